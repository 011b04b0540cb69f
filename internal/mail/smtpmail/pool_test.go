package smtpmail

import (
	"context"
	"errors"
	"fmt"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"github.com/herald-news/herald/internal/mail/smtptest"
)

// mustPool makes a pool for the relay on port and closes it when the test
// ends.
func mustPool(t *testing.T, port int, configure func(*PoolConfig)) *Pool {
	t.Helper()
	cfg := PoolConfig{Config: loopback(port)}
	if configure != nil {
		configure(&cfg)
	}
	p, err := NewPool(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		p.Close(ctx)
	})
	return p
}

func reader(i int) Envelope {
	return Envelope{From: "news@herald.example", To: fmt.Sprintf("reader%d@example.com", i)}
}

func edition(i int) []byte {
	return fmt.Appendf(nil, "From: news@herald.example\r\nTo: reader%d@example.com\r\nSubject: Morning edition\r\n\r\nGood morning, reader %d.\r\n", i, i)
}

// sendAll sends messages first..last (inclusive) from workers goroutines
// and fails the test on any error.
func sendAll(t *testing.T, p *Pool, first, last, workers int) {
	t.Helper()
	next := make(chan int)
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for i := range next {
				reply, err := p.Send(context.Background(), reader(i), edition(i))
				if err != nil {
					t.Errorf("message %d: %v", i, err)
				} else if reply.Code != 250 {
					t.Errorf("message %d: reply %+v", i, reply)
				}
			}
		})
	}
	for i := first; i <= last; i++ {
		next <- i
	}
	close(next)
	wg.Wait()
}

func TestPoolSendsOverAtMostConnectionsSessionsWithoutRSET(t *testing.T) {
	r := &smtptest.Relay{}
	p := mustPool(t, smtptest.MustStart(t, r, nil), func(c *PoolConfig) { c.Connections = 4 })

	sendAll(t, p, 1, 200, 16)

	msgs := r.Messages()
	seen := make(map[string]int)
	for _, m := range msgs {
		seen[m.To[0]]++
	}
	for i := 1; i <= 200; i++ {
		if n := seen[reader(i).To]; n != 1 {
			t.Errorf("%s got %d copies", reader(i).To, n)
		}
	}
	total, peak := r.Connections()
	if total > 4 || peak > 4 || r.Sessions() > 4 {
		t.Errorf("relay saw %d connections (%d at once, %d sessions), want at most 4", total, peak, r.Sessions())
	}
	if n := r.Commands("RSET"); n != 0 {
		t.Errorf("relay saw %d RSET between accepted messages, want none", n)
	}
	if ehlo, mail := r.Commands("EHLO"), r.Commands("MAIL"); ehlo != total || mail != 200 {
		t.Errorf("relay saw %d EHLO and %d MAIL, want one EHLO per connection (%d) and 200 MAIL", ehlo, mail, total)
	}
	if s := p.Stats(); s.Sent != 200 || s.Opened != int64(total) || s.Open != int64(total) {
		t.Errorf("Stats = %+v, relay saw %d connections", s, total)
	}
}

func TestPoolReturnsTheRelaysReply(t *testing.T) {
	p := mustPool(t, smtptest.MustStart(t, &smtptest.Relay{}, nil), nil)
	reply, err := p.Send(context.Background(), reader(1), edition(1))
	if err != nil {
		t.Fatal(err)
	}
	if want := (Reply{Code: 250, EnhancedCode: [3]int{2, 0, 0}, Message: "OK: queued"}); reply != want {
		t.Errorf("reply = %+v, want %+v", reply, want)
	}
}

func TestPoolReplacesSessionAfterMaxPerConn(t *testing.T) {
	r := &smtptest.Relay{}
	p := mustPool(t, smtptest.MustStart(t, r, nil), func(c *PoolConfig) { c.Connections, c.MaxPerConn = 1, 10 })

	sendAll(t, p, 1, 50, 1)

	// Each session is ended with QUIT before the next is dialled (the
	// relay may close its side a moment later, so its count of
	// connections open at once can't tell).
	if total, _ := r.Connections(); total != 5 || r.Commands("QUIT") != 5 {
		t.Errorf("relay saw %d connections and %d QUIT, want 5 and 5", total, r.Commands("QUIT"))
	}
	if s := p.Stats(); s.Opened != 5 || s.Open != 0 {
		t.Errorf("Stats = %+v, want 5 sessions opened and all ended", s)
	}
	if n := r.Count(); n != 50 {
		t.Errorf("relay accepted %d messages, want 50", n)
	}
}

func TestPoolKeepsToTheRateLimit(t *testing.T) {
	r := &smtptest.Relay{}
	p := mustPool(t, smtptest.MustStart(t, r, nil), func(c *PoolConfig) { c.RatePerSecond = 200 })

	start := time.Now()
	sendAll(t, p, 1, 100, 8)
	// 100 messages at 200 a second take about half a second.
	if d := time.Since(start); d < 400*time.Millisecond {
		t.Errorf("100 messages at 200/s took %v", d)
	}
}

func TestPoolThrottlingReplyPausesEverySession(t *testing.T) {
	throttle := &smtp.SMTPError{Code: 421, EnhancedCode: smtp.EnhancedCode{4, 7, 28}, Message: "slow down"}
	r := &smtptest.Relay{Reply: func(n int, _ string, _ []string) *smtp.SMTPError {
		if n == 5 {
			return throttle
		}
		return nil
	}}
	const pause = 300 * time.Millisecond
	p := mustPool(t, smtptest.MustStart(t, r, nil), func(c *PoolConfig) { c.Connections, c.ThrottlePause = 2, pause })

	sendAll(t, p, 1, 4, 1)
	throttled := time.Now()
	_, err := p.Send(context.Background(), reader(5), edition(5))
	var se *SendError
	if !errors.As(err, &se) || !se.Temporary() || !IsThrottling(err) || Classify(err) != OutcomeDeferred {
		t.Fatalf("Send = %v, want a temporary throttling SendError", err)
	}
	if s := p.Stats(); s.PausedUntil.IsZero() {
		t.Errorf("Stats = %+v, want a pause", s)
	}

	var mu sync.Mutex
	var done []time.Duration
	var wg sync.WaitGroup
	for i := 6; i <= 9; i++ {
		wg.Go(func() {
			if _, err := p.Send(context.Background(), reader(i), edition(i)); err != nil {
				t.Errorf("message %d after the pause: %v", i, err)
			}
			mu.Lock()
			done = append(done, time.Since(throttled))
			mu.Unlock()
		})
	}
	wg.Wait()
	for _, d := range done {
		if d < pause {
			t.Errorf("a send finished %v after the throttling reply, within the %v pause", d, pause)
		}
	}
	if total, _ := r.Connections(); total < 2 || total > 3 {
		t.Errorf("relay saw %d connections, want the throttled session replaced (2 or 3 in all)", total)
	}
	if n := r.Count(); n != 8 {
		t.Errorf("relay accepted %d messages, want 8", n)
	}
}

func TestPoolConnectionLostAfterDataIsOutcomeUnknown(t *testing.T) {
	r := &smtptest.Relay{Drop: func(n int) bool { return n == 3 }}
	p := mustPool(t, smtptest.MustStart(t, r, nil), func(c *PoolConfig) { c.Connections = 1 })

	sendAll(t, p, 1, 2, 1)
	_, err := p.Send(context.Background(), reader(3), edition(3))
	if !errors.Is(err, ErrOutcomeUnknown) || errors.Is(err, ErrNotSent) || Classify(err) != OutcomeUnknown {
		t.Fatalf("Send = %v, want ErrOutcomeUnknown only", err)
	}
	sendAll(t, p, 4, 5, 1)
	if total, _ := r.Connections(); total != 2 {
		t.Errorf("relay saw %d connections, want 2", total)
	}
	if n := r.Count(); n != 4 {
		t.Errorf("relay accepted %d messages, want 4", n)
	}
}

func TestPoolDialToClosedPortIsNotSent(t *testing.T) {
	l := smtptest.MustListen(t)
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	p := mustPool(t, port, nil)

	start := time.Now()
	_, err := p.Send(context.Background(), reader(1), edition(1))
	if !errors.Is(err, ErrNotSent) || Classify(err) != OutcomeDeferred {
		t.Errorf("Send = %v, want ErrNotSent", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("Send took %v", d)
	}
	if _, err := p.SupportsSMTPUTF8(context.Background()); !errors.Is(err, ErrNotSent) {
		t.Errorf("SupportsSMTPUTF8 = %v, want ErrNotSent", err)
	}
}

func TestPoolUnicodeAddressNeedsSMTPUTF8(t *testing.T) {
	zoe := Envelope{From: "news@herald.example", To: "zoë@example.com", UTF8: true}
	ctx := context.Background()

	plain := &smtptest.Relay{}
	p := mustPool(t, smtptest.MustStart(t, plain, nil), nil)
	_, err := p.Send(ctx, zoe, edition(1))
	if !errors.Is(err, ErrNoSMTPUTF8) || errors.Is(err, ErrNotSent) || Classify(err) != OutcomeFailed {
		t.Errorf("Send = %v, want ErrNoSMTPUTF8", err)
	}
	if mails, _ := plain.Calls(); mails != 0 {
		t.Errorf("relay without SMTPUTF8 saw %d MAIL", mails)
	}
	if ok, err := p.SupportsSMTPUTF8(ctx); ok || err != nil {
		t.Errorf("SupportsSMTPUTF8 = %v, %v; want false", ok, err)
	}

	utf8 := &smtptest.Relay{}
	p = mustPool(t, smtptest.MustStart(t, utf8, func(s *smtp.Server) { s.EnableSMTPUTF8 = true }), nil)
	if ok, err := p.SupportsSMTPUTF8(ctx); !ok || err != nil {
		t.Errorf("SupportsSMTPUTF8 = %v, %v; want true", ok, err)
	}
	zoe.UTF8 = false // found out from the address
	if _, err := p.Send(ctx, zoe, edition(1)); err != nil {
		t.Fatal(err)
	}
	if msgs := utf8.Messages(); len(msgs) != 1 || !msgs[0].UTF8 || msgs[0].To[0] != "zoë@example.com" {
		t.Errorf("relay got %+v, want one SMTPUTF8 message to zoë", msgs)
	}
}

func TestPoolCloseWaitsForSendInFlightThenQuits(t *testing.T) {
	started := make(chan struct{}, 1)
	r := &smtptest.Relay{Delay: 200 * time.Millisecond, Reply: func(int, string, []string) *smtp.SMTPError {
		started <- struct{}{}
		return nil
	}}
	p := mustPool(t, smtptest.MustStart(t, r, nil), nil)

	result := make(chan error, 1)
	go func() {
		_, err := p.Send(context.Background(), reader(1), edition(1))
		result <- err
	}()
	<-started
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := p.Close(ctx); err != nil {
		t.Fatalf("Close: %v", err)
	}
	select {
	case err := <-result:
		if err != nil {
			t.Errorf("send in flight: %v", err)
		}
	default:
		t.Fatal("Close returned before the send in flight")
	}
	if n := r.Commands("QUIT"); n != 1 || p.Stats().Open != 0 {
		t.Errorf("relay saw %d QUIT, %d sessions open; want the session ended", n, p.Stats().Open)
	}
	if _, err := p.Send(context.Background(), reader(2), edition(2)); !errors.Is(err, ErrPoolClosed) || !errors.Is(err, ErrNotSent) {
		t.Errorf("Send after Close = %v, want ErrPoolClosed and ErrNotSent", err)
	}
}
