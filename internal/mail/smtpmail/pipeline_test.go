package smtpmail

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/emersion/go-smtp"

	"github.com/herald-news/herald/internal/mail/smtptest"
)

// The transaction's paths, pipelined (RFC 2920) and not, against a real
// go-smtp relay over loopback TCP.
var pipelinings = []bool{true, false}

func TestSendAfterCallsBeforeOnceTheEnvelopeIsTakenAndBeforeTheData(t *testing.T) {
	for _, pipelining := range pipelinings {
		t.Run(fmt.Sprintf("pipelining=%v", pipelining), func(t *testing.T) {
			r := &smtptest.Relay{NoPipelining: !pipelining}
			p := mustPool(t, smtptest.MustStart(t, r, nil), func(c *PoolConfig) { c.Connections = 1 })
			for i := 1; i <= 3; i++ {
				calls := 0
				reply, err := p.SendAfter(context.Background(), reader(i), edition(i), func() error {
					calls++
					if mail, _ := r.Calls(); mail != i || r.Count() != i-1 {
						t.Errorf("message %d: before called with %d MAIL and %d messages at the relay, want %d and %d",
							i, mail, r.Count(), i, i-1)
					}
					return nil
				})
				if err != nil || reply.Code != 250 || calls != 1 {
					t.Fatalf("message %d: SendAfter = %+v, %v, before called %d times; want 250 and once", i, reply, err, calls)
				}
			}
			if total, _ := r.Connections(); total != 1 || r.Commands("RSET") != 0 {
				t.Errorf("relay saw %d connections and %d RSET, want 1 and 0", total, r.Commands("RSET"))
			}
			for i, m := range r.Messages() {
				if string(m.Data) != string(edition(i+1)) || m.To[0] != reader(i+1).To {
					t.Errorf("message %d = %q to %v", i+1, m.Data, m.To)
				}
			}
		})
	}
}

func TestSendAfterSendsNothingWhenBeforeFails(t *testing.T) {
	for _, pipelining := range pipelinings {
		t.Run(fmt.Sprintf("pipelining=%v", pipelining), func(t *testing.T) {
			r := &smtptest.Relay{NoPipelining: !pipelining}
			p := mustPool(t, smtptest.MustStart(t, r, nil), func(c *PoolConfig) { c.Connections = 1 })
			sendAll(t, p, 1, 1, 1) // so that the next send reuses a session
			unrecorded := errors.New("could not record the previous message")
			calls := 0
			_, err := p.SendAfter(context.Background(), reader(2), edition(2), func() error {
				calls++
				return unrecorded
			})
			if !errors.Is(err, ErrNotSent) || !errors.Is(err, unrecorded) || Classify(err) != OutcomeDeferred || calls != 1 {
				t.Errorf("SendAfter = %v, before called %d times; want ErrNotSent wrapping before's error, once", err, calls)
			}
			sendAll(t, p, 3, 3, 1)
			if n := r.Count(); n != 2 {
				t.Errorf("relay accepted %d messages, want 2", n)
			}
			if total, _ := r.Connections(); total != 2 {
				t.Errorf("relay saw %d connections, want the abandoned session closed and replaced", total)
			}
		})
	}
}

func TestRefusedEnvelopeIsNotSentAndSkipsBefore(t *testing.T) {
	tooBusy := &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "try again later"}
	tests := []struct {
		name  string
		relay func() *smtptest.Relay
		stage string
		want  Outcome
	}{
		{"4xx to MAIL", func() *smtptest.Relay { return &smtptest.Relay{MailErr: tooBusy} }, "MAIL FROM", OutcomeDeferred},
		{"550 to RCPT", func() *smtptest.Relay { return &smtptest.Relay{RcptErr: noSuchUser} }, "RCPT TO", OutcomeHardBounce},
		{"4xx to RCPT", func() *smtptest.Relay { return &smtptest.Relay{RcptErr: tooBusy} }, "RCPT TO", OutcomeDeferred},
	}
	for _, tt := range tests {
		for _, pipelining := range pipelinings {
			t.Run(fmt.Sprintf("%s/pipelining=%v", tt.name, pipelining), func(t *testing.T) {
				r := tt.relay()
				r.NoPipelining = !pipelining
				p := mustPool(t, smtptest.MustStart(t, r, nil), func(c *PoolConfig) { c.Connections = 1 })
				for i := 1; i <= 2; i++ {
					called := false
					_, err := p.SendAfter(context.Background(), reader(i), edition(i), func() error {
						called = true
						return nil
					})
					var se *SendError
					if !errors.As(err, &se) || se.Stage != tt.stage || Classify(err) != tt.want || called {
						t.Fatalf("message %d: SendAfter = %v (%v), before called: %v; want a refusal at %s (%v), before not called",
							i, err, Classify(err), called, tt.stage, tt.want)
					}
				}
				if total, _ := r.Connections(); total != 1 || r.Commands("RSET") != 2 || r.Count() != 0 {
					t.Errorf("relay saw %d connections and %d RSET and accepted %d; want the session kept, reset twice, nothing accepted",
						total, r.Commands("RSET"), r.Count())
				}
			})
		}
	}
}

func TestPipelinedConnectionLostAfterFinalDotIsOutcomeUnknown(t *testing.T) {
	for _, pipelining := range pipelinings {
		t.Run(fmt.Sprintf("pipelining=%v", pipelining), func(t *testing.T) {
			r := &smtptest.Relay{NoPipelining: !pipelining, HangUp: true}
			p := mustPool(t, smtptest.MustStart(t, r, nil), nil)
			_, err := p.Send(context.Background(), reader(1), edition(1))
			if !errors.Is(err, ErrOutcomeUnknown) || errors.Is(err, ErrNotSent) || Classify(err) != OutcomeUnknown {
				t.Errorf("Send = %v, want ErrOutcomeUnknown only", err)
			}
		})
	}
}

func TestPipelinedDataIsDotStuffedAsDotWriterDoes(t *testing.T) {
	head := "From: news@herald.example\r\nTo: reader1@example.com\r\nSubject: Dots\r\n\r\n"
	tests := []struct{ name, data, want string }{
		{"CRLF", head + ".first\r\n..\r\n.\r\nlast\r\n", head + ".first\r\n..\r\n.\r\nlast\r\n"},
		{"no final CRLF", head + "last", head + "last\r\n"},
		{"bare LF", head + "one\ntwo\n.three\n", head + "one\r\ntwo\r\n.three\r\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := &smtptest.Relay{}
			p := mustPool(t, smtptest.MustStart(t, r, nil), nil)
			if _, err := p.Send(context.Background(), reader(1), []byte(tt.data)); err != nil {
				t.Fatal(err)
			}
			if m := r.Messages(); len(m) != 1 || string(m[0].Data) != tt.want {
				t.Errorf("relay got %+v, want %q", m, tt.want)
			}
		})
	}
}
