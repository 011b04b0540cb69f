package smtpmail

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/internal/mail/smtptest"
)

var noSuchUser = &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "no such user"}

func refuseReader2(to string) *smtp.SMTPError {
	if to == reader(2).To {
		return noSuchUser
	}
	return nil
}

func TestPoolResetsAfterRefusedRecipientAndKeepsSession(t *testing.T) {
	for _, pipelining := range []bool{true, false} {
		t.Run(fmt.Sprintf("pipelining=%v", pipelining), func(t *testing.T) {
			spam := &smtp.SMTPError{Code: 554, EnhancedCode: smtp.EnhancedCode{5, 7, 1}, Message: "looks like spam"}
			r := &smtptest.Relay{NoPipelining: !pipelining, RcptReply: refuseReader2, Reply: func(n int, _ string, _ []string) *smtp.SMTPError {
				if n == 3 { // the fourth message: the second was refused at RCPT
					return spam
				}
				return nil
			}}
			p := mustPool(t, smtptest.MustStart(t, r, nil), func(c *PoolConfig) { c.Connections = 1 })
			ctx := context.Background()

			sendAll(t, p, 1, 1, 1)
			_, err := p.Send(ctx, reader(2), edition(2))
			if Classify(err) != OutcomeHardBounce {
				t.Fatalf("Send to an unknown user = %v (%v), want a hard bounce", err, Classify(err))
			}
			sendAll(t, p, 3, 3, 1)
			if _, err := p.Send(ctx, reader(4), edition(4)); Classify(err) != OutcomePolicy {
				t.Fatalf("Send refused as spam = %v (%v), want policy", err, Classify(err))
			}
			sendAll(t, p, 5, 5, 1)

			if total, _ := r.Connections(); total != 1 {
				t.Errorf("relay saw %d connections, want the one session kept", total)
			}
			// One RSET for the refused RCPT; none after the refused data,
			// which ends the transaction. go-smtp says EHLO again after
			// its RSET; the pipelined path does not.
			wantEHLO := 1
			if !pipelining {
				wantEHLO = 2
			}
			if rset, ehlo := r.Commands("RSET"), r.Commands("EHLO"); rset != 1 || ehlo != wantEHLO {
				t.Errorf("relay saw %d RSET and %d EHLO, want 1 and %d", rset, ehlo, wantEHLO)
			}
			if n := r.Count(); n != 3 {
				t.Errorf("relay accepted %d messages, want 3", n)
			}
			if m := r.Messages(); len(m) == 3 && string(m[2].Data) != string(edition(5)) {
				t.Errorf("last message = %q, want %q", m[2].Data, edition(5))
			}
		})
	}
}

func TestPoolRetiresAuthenticatedSessionAfterRefusalWithoutPipelining(t *testing.T) {
	r := &smtptest.Relay{Password: "s3cret", RcptReply: refuseReader2, NoPipelining: true}
	p := mustPool(t, smtptest.MustStart(t, r, nil), func(c *PoolConfig) {
		c.Connections, c.Username, c.Password = 1, "herald", "s3cret"
	})

	sendAll(t, p, 1, 1, 1)
	if _, err := p.Send(context.Background(), reader(2), edition(2)); Classify(err) != OutcomeHardBounce {
		t.Fatalf("Send = %v, want a hard bounce", err)
	}
	sendAll(t, p, 3, 4, 1)
	if total, _ := r.Connections(); total != 2 || r.Commands("RSET") != 0 || r.Commands("QUIT") != 1 {
		t.Errorf("relay saw %d connections, %d RSET, %d QUIT; want the refused session ended with QUIT and replaced",
			total, r.Commands("RSET"), r.Commands("QUIT"))
	}
	if n := r.Count(); n != 3 {
		t.Errorf("relay accepted %d messages, want 3", n)
	}
}

func TestPoolKeepsAuthenticatedPipeliningSessionAfterRefusal(t *testing.T) {
	r := &smtptest.Relay{Password: "s3cret", RcptReply: refuseReader2}
	p := mustPool(t, smtptest.MustStart(t, r, nil), func(c *PoolConfig) {
		c.Connections, c.Username, c.Password = 1, "herald", "s3cret"
	})

	sendAll(t, p, 1, 1, 1)
	if _, err := p.Send(context.Background(), reader(2), edition(2)); Classify(err) != OutcomeHardBounce {
		t.Fatalf("Send = %v, want a hard bounce", err)
	}
	sendAll(t, p, 3, 4, 1)
	// Its RSET is not followed by EHLO, so the login holds.
	if total, _ := r.Connections(); total != 1 || r.Commands("RSET") != 1 || r.Commands("EHLO") != 1 {
		t.Errorf("relay saw %d connections, %d RSET, %d EHLO; want the session kept after one RSET",
			total, r.Commands("RSET"), r.Commands("EHLO"))
	}
	if _, auth := r.Calls(); auth != 1 {
		t.Errorf("relay saw %d logins, want 1", auth)
	}
	if n := r.Count(); n != 3 {
		t.Errorf("relay accepted %d messages, want 3", n)
	}
}

func TestPoolReplacesSessionTheRelayClosedWhileIdle(t *testing.T) {
	r := &smtptest.Relay{}
	port := smtptest.MustStart(t, r, func(s *smtp.Server) { s.ReadTimeout = 150 * time.Millisecond })
	p := mustPool(t, port, func(c *PoolConfig) { c.Connections = 1 })

	sendAll(t, p, 1, 1, 1)
	time.Sleep(400 * time.Millisecond) // the relay says 421 and hangs up
	sendAll(t, p, 2, 2, 1)
	if total, _ := r.Connections(); total != 2 || r.Count() != 2 {
		t.Errorf("relay saw %d connections and accepted %d messages, want 2 and 2", total, r.Count())
	}
}

func TestPoolCancelledSendReturnsPromptly(t *testing.T) {
	tests := []struct {
		name  string
		relay func(started chan<- struct{}) *smtptest.Relay
		want  error
	}{
		{"before the data", func(started chan<- struct{}) *smtptest.Relay {
			return &smtptest.Relay{RcptReply: func(string) *smtp.SMTPError {
				started <- struct{}{}
				time.Sleep(2 * time.Second)
				return nil
			}}
		}, ErrNotSent},
		{"after the data", func(started chan<- struct{}) *smtptest.Relay {
			return &smtptest.Relay{Delay: 2 * time.Second, Reply: func(int, string, []string) *smtp.SMTPError {
				started <- struct{}{}
				return nil
			}}
		}, ErrOutcomeUnknown},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			started := make(chan struct{}, 1)
			p := mustPool(t, smtptest.MustStart(t, tt.relay(started), nil), nil)
			ctx, cancel := context.WithCancel(context.Background())
			go func() {
				<-started
				cancel()
			}()
			start := time.Now()
			_, err := p.Send(ctx, reader(1), edition(1))
			if !errors.Is(err, tt.want) || !errors.Is(err, context.Canceled) {
				t.Errorf("Send = %v, want %v", err, tt.want)
			}
			if d := time.Since(start); d > time.Second {
				t.Errorf("Send took %v after cancellation", d)
			}
			if s := p.Stats(); s.Open != 0 {
				t.Errorf("%d sessions left open, want the cancelled one closed", s.Open)
			}
		})
	}
}

func TestPoolSendWithEndedContextLeavesSessionAlone(t *testing.T) {
	r := &smtptest.Relay{}
	p := mustPool(t, smtptest.MustStart(t, r, nil), func(c *PoolConfig) { c.Connections = 1 })

	sendAll(t, p, 1, 1, 1)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := p.Send(ctx, reader(2), edition(2)); !errors.Is(err, ErrNotSent) {
		t.Errorf("Send with an ended context = %v, want ErrNotSent", err)
	}
	sendAll(t, p, 3, 3, 1)
	if total, _ := r.Connections(); total != 1 || r.Count() != 2 {
		t.Errorf("relay saw %d connections and accepted %d messages, want 1 and 2", total, r.Count())
	}
}

func TestPoolRefusesBadEnvelopeBeforeConnecting(t *testing.T) {
	p := mustPool(t, 1, nil) // nothing listens on port 1
	for _, env := range []Envelope{
		{From: "news@herald.example"},
		{From: "news@herald.example", To: "ann@example.com\r\nRCPT TO:<eve@example.com>"},
		{From: "news@herald.example>", To: "ann@example.com"},
	} {
		_, err := p.Send(context.Background(), env, edition(1))
		if herald.ErrorCode(err) != herald.EINVALID || Classify(err) != OutcomeFailed {
			t.Errorf("Send(%+v) = %v, want EINVALID", env, err)
		}
	}
}

func TestNewPoolFillsDefaults(t *testing.T) {
	p, err := NewPool(PoolConfig{Config: Config{Host: "smtp.example.com"}})
	if err != nil {
		t.Fatal(err)
	}
	if c := p.cfg; c.Connections != 4 || c.MaxPerConn != 1000 || c.ThrottlePause != time.Minute || c.Port != 587 || p.limiter != nil {
		t.Errorf("defaults = %+v", c)
	}
	if _, err := NewPool(PoolConfig{Config: Config{Host: "smtp.example.com"}, Connections: -1}); herald.ErrorCode(err) != herald.EINVALID {
		t.Errorf("NewPool with -1 connections = %v, want EINVALID", err)
	}
}
