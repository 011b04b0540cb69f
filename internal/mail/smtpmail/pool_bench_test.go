package smtpmail

import (
	"bytes"
	"context"
	"net"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/herald-news/herald/internal/mail/smtptest"
)

// benchConnections is the number of sessions both benchmarks use.
const benchConnections = 4

// benchMessage is a 10 KB message of 76-character lines.
func benchMessage() []byte {
	var b bytes.Buffer
	b.WriteString("From: news@herald.example\r\nTo: reader@example.com\r\nSubject: Morning edition\r\n\r\n")
	line := bytes.Repeat([]byte("x"), 74)
	for b.Len() < 10<<10 {
		b.Write(line)
		b.WriteString("\r\n")
	}
	return b.Bytes()
}

// runWorkers shares b.N messages among benchConnections goroutines, each
// calling send for its share, and reports messages per second.
func runWorkers(b *testing.B, send func(worker int) error) {
	var next atomic.Int64
	var wg sync.WaitGroup
	b.SetBytes(int64(len(benchMessage())))
	b.ResetTimer()
	start := time.Now()
	for w := range benchConnections {
		wg.Go(func() {
			for next.Add(1) <= int64(b.N) {
				if err := send(w); err != nil {
					b.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "msgs/s")
}

func BenchmarkPoolSend(b *testing.B) {
	r := &smtptest.Relay{Discard: true}
	port := smtptest.MustStart(b, r, nil)
	p, err := NewPool(PoolConfig{Config: loopback(port), Connections: benchConnections, MaxPerConn: 1 << 30})
	if err != nil {
		b.Fatal(err)
	}
	defer p.Close(context.Background())
	data := benchMessage()
	env := Envelope{From: "news@herald.example", To: "reader@example.com"}

	runWorkers(b, func(int) error {
		_, err := p.Send(context.Background(), env, data)
		return err
	})
	if r.Count() < b.N {
		b.Errorf("relay accepted %d of %d messages", r.Count(), b.N)
	}
}

// BenchmarkBareClient is the baseline: go-smtp's client on as many
// connections, one transaction after another with the same bytes.
func BenchmarkBareClient(b *testing.B) {
	r := &smtptest.Relay{Discard: true}
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(smtptest.MustStart(b, r, nil)))
	data := benchMessage()
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	elapsed, err := smtptest.BareSend(addr, benchConnections, b.N, "news@herald.example", "reader@example.com", data)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "msgs/s")
	if r.Count() < b.N {
		b.Errorf("relay accepted %d of %d messages", r.Count(), b.N)
	}
}
