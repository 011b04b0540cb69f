package bench

import (
	"fmt"
	"io"
	"log"
	"net"
	"time"

	"github.com/emersion/go-smtp"
	"github.com/herald-news/herald/internal/mail/smtptest"
)

// Sink is a go-smtp server on loopback that accepts every message and
// keeps none: the relay both the sender and the bare client send to.
type Sink struct {
	relay  *smtptest.Relay
	server *smtp.Server
	addr   string
}

// StartSink starts a discarding sink on a free port of 127.0.0.1.
func StartSink() (*Sink, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("sink: %w", err)
	}
	relay := &smtptest.Relay{Discard: true}
	s := smtp.NewServer(relay)
	s.Domain = "sink.bench"
	s.ReadTimeout, s.WriteTimeout = time.Minute, time.Minute
	s.ErrorLog = log.New(io.Discard, "", 0)
	go s.Serve(ln)
	return &Sink{relay: relay, server: s, addr: ln.Addr().String()}, nil
}

// URL is the sink's address as Herald's -smtp-url takes it.
func (s *Sink) URL() string { return "smtp://" + s.addr }

// Count is how many messages the sink has accepted.
func (s *Sink) Count() int { return s.relay.Count() }

// Close stops the sink and drops its connections.
func (s *Sink) Close() error { return s.server.Close() }
