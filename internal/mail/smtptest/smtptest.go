// Package smtptest runs a real go-smtp relay on 127.0.0.1 for tests: it
// records every transaction, counts connections and commands, and refuses,
// delays or drops messages on request.
package smtptest

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"io"
	"log"
	"math/big"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// Received is one transaction as the relay saw it.
type Received struct {
	From     string
	UTF8     bool
	To       []string
	Data     []byte
	Username string
	Password string
	TLS      bool
}

// Relay is a go-smtp Backend that records what it is sent and refuses
// commands on request. Set the fields before starting it.
type Relay struct {
	mu        sync.Mutex
	msgs      []Received
	accepted  int            // messages accepted, kept or not
	ended     int            // messages whose data has ended, accepted or not
	mailCalls int            // MAIL commands
	authCalls int            // AUTH attempts
	sessions  int            // NewSession calls
	conns     int            // connections accepted
	open      int            // connections open now
	peak      int            // most connections open at once
	commands  map[string]int // commands by verb, from the plaintext byte stream

	Password string          // the password AUTH accepts for any user
	MailErr  *smtp.SMTPError // the reply to every MAIL, if set
	RcptErr  *smtp.SMTPError // the reply to every RCPT, if set
	DataErr  *smtp.SMTPError // the reply to the end of DATA, if set
	HangUp   bool            // drop the connection after the message instead of replying

	// RcptReply, if set, decides the reply to RCPT TO:<to>; nil accepts.
	RcptReply func(to string) *smtp.SMTPError
	// Reply, if set, decides the reply to the end of the n-th message
	// (counted from 1 across all connections, in the order their data
	// ends); nil accepts.
	Reply func(n int, from string, to []string) *smtp.SMTPError
	// Drop, if set, closes the connection after the n-th message's data
	// instead of replying when it returns true.
	Drop    func(n int) bool
	Delay   time.Duration // wait this long before answering each message's data
	Discard bool          // count accepted messages without keeping them: Messages returns none
	// NoPipelining takes PIPELINING out of the relay's EHLO reply (go-smtp
	// offers it always), for relays that don't pipeline. Not under
	// implicit TLS.
	NoPipelining bool
}

// NewSession implements smtp.Backend.
func (r *Relay) NewSession(c *smtp.Conn) (smtp.Session, error) {
	r.mu.Lock()
	r.sessions++
	r.mu.Unlock()
	return &session{relay: r, conn: c}, nil
}

// Messages returns what the relay has accepted so far.
func (r *Relay) Messages() []Received {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Received(nil), r.msgs...)
}

// Calls returns how many MAIL and AUTH commands the relay has seen.
func (r *Relay) Calls() (mail, auth int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.mailCalls, r.authCalls
}

// Count returns how many messages the relay has accepted, with Discard
// or without.
func (r *Relay) Count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.accepted
}

// Sessions returns how many sessions go-smtp has begun: one at the first
// EHLO of each connection and one more after each STARTTLS.
func (r *Relay) Sessions() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.sessions
}

type session struct {
	relay *Relay
	conn  *smtp.Conn
	cur   Received
	user  string
	pass  string
}

func (s *session) AuthMechanisms() []string { return []string{sasl.Plain} }

func (s *session) Auth(mech string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(identity, username, password string) error {
		s.relay.mu.Lock()
		s.relay.authCalls++
		s.relay.mu.Unlock()
		if password != s.relay.Password {
			return smtp.ErrAuthFailed
		}
		s.user, s.pass = username, password
		return nil
	}), nil
}

func (s *session) Mail(from string, opts *smtp.MailOptions) error {
	s.relay.mu.Lock()
	s.relay.mailCalls++
	s.relay.mu.Unlock()
	if s.relay.MailErr != nil {
		return s.relay.MailErr
	}
	s.cur = Received{From: from, UTF8: opts != nil && opts.UTF8}
	return nil
}

func (s *session) Rcpt(to string, opts *smtp.RcptOptions) error {
	if s.relay.RcptErr != nil {
		return s.relay.RcptErr
	}
	if s.relay.RcptReply != nil {
		if err := s.relay.RcptReply(to); err != nil {
			return err
		}
	}
	s.cur.To = append(s.cur.To, to)
	return nil
}

func (s *session) Data(r io.Reader) error {
	var data []byte
	var err error
	if s.relay.Discard {
		_, err = io.Copy(io.Discard, r)
	} else {
		data, err = io.ReadAll(r)
	}
	if err != nil {
		return err
	}
	s.relay.mu.Lock()
	s.relay.ended++
	n := s.relay.ended
	s.relay.mu.Unlock()

	if s.relay.DataErr != nil {
		return s.relay.DataErr
	}
	if s.relay.HangUp || s.relay.Drop != nil && s.relay.Drop(n) {
		s.conn.Conn().Close()
		return nil
	}
	if s.relay.Reply != nil {
		if err := s.relay.Reply(n, s.cur.From, s.cur.To); err != nil {
			return err
		}
	}
	time.Sleep(s.relay.Delay)
	s.cur.Data = data
	s.cur.Username, s.cur.Password = s.user, s.pass
	_, s.cur.TLS = s.conn.TLSConnectionState()
	s.relay.mu.Lock()
	s.relay.accepted++
	if !s.relay.Discard {
		s.relay.msgs = append(s.relay.msgs, s.cur)
	}
	s.relay.mu.Unlock()
	return nil
}

func (s *session) Reset()        { s.cur = Received{} }
func (s *session) Logout() error { return nil }

// MustStart runs a go-smtp server on 127.0.0.1 over TCP until the test
// ends and returns its port. configure may enable STARTTLS, SMTPUTF8, ….
func MustStart(tb testing.TB, r *Relay, configure func(*smtp.Server)) int {
	tb.Helper()
	return serve(tb, r, r.watch(MustListen(tb), true), configure)
}

// MustStartTLS is MustStart speaking TLS from the first byte, as on port
// 465. Commands are not counted: the relay sees only ciphertext.
func MustStartTLS(tb testing.TB, r *Relay, cfg *tls.Config) int {
	tb.Helper()
	return serve(tb, r, tls.NewListener(r.watch(MustListen(tb), false), cfg), nil)
}

// MustListen listens on a free loopback port until the caller closes it.
func MustListen(tb testing.TB) net.Listener {
	tb.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	return l
}

func serve(tb testing.TB, r *Relay, l net.Listener, configure func(*smtp.Server)) int {
	s := smtp.NewServer(r)
	s.Domain = "relay.test"
	s.AllowInsecureAuth = true
	s.ReadTimeout, s.WriteTimeout = 10*time.Second, 10*time.Second
	s.ErrorLog = log.New(io.Discard, "", 0)
	if configure != nil {
		configure(s)
	}
	go s.Serve(l)
	tb.Cleanup(func() { s.Close() })
	return l.Addr().(*net.TCPAddr).Port
}

// MustCert makes a self-signed ECDSA certificate for 127.0.0.1 and
// localhost, and a pool that trusts it.
func MustCert(tb testing.TB) (tls.Certificate, *x509.CertPool) {
	tb.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		tb.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "relay.test"},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IPAddresses:  []net.IP{net.IPv4(127, 0, 0, 1)},
		DNSNames:     []string{"localhost"},
		IsCA:         true,

		BasicConstraintsValid: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		tb.Fatal(err)
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		tb.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(leaf)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}, pool
}
