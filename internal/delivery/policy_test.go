package delivery

import (
	"testing"
	"time"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/internal/mail/smtpmail"
)

func TestPolicyOutcome(t *testing.T) {
	p := Policy{RetryBase: time.Minute, RetryMax: time.Hour, Deadline: 12 * time.Hour}
	started := time.Date(2026, 11, 27, 6, 0, 0, 0, time.UTC)
	now := started.Add(time.Hour)
	c := herald.SendClaim{SendID: 7, Email: "ann@example.com", Attempts: 1}
	refusal := func(code int, enh [3]int, stage string) error {
		return &smtpmail.SendError{Stage: stage, Code: code, EnhancedCode: enh, Message: "x"}
	}
	tests := []struct {
		name     string
		err      error
		status   herald.SendStatus
		suppress bool
	}{
		{"accepted", nil, herald.SendAccepted, false},
		{"greylisted", refusal(451, [3]int{4, 7, 1}, "end of DATA"), herald.SendDeferred, false},
		{"throttled", refusal(421, [3]int{4, 7, 28}, "end of DATA"), herald.SendDeferred, false},
		{"nothing sent", smtpmail.ErrNotSent, herald.SendDeferred, false},
		{"no such user", refusal(550, [3]int{5, 1, 1}, "RCPT TO"), herald.SendSuppressed, true},
		{"our DKIM", refusal(550, [3]int{5, 7, 26}, "end of DATA"), herald.SendFailed, false},
		{"message too big", refusal(552, [3]int{5, 3, 4}, "end of DATA"), herald.SendFailed, false},
		{"lost after data", smtpmail.ErrOutcomeUnknown, herald.SendUnknown, false},
	}
	for _, tt := range tests {
		o := p.Outcome(c, smtpmail.Reply{Code: 250, EnhancedCode: [3]int{2, 0, 0}, Message: "queued as 1"}, tt.err, started, now)
		if o.Status != tt.status || (o.Suppress != "") != tt.suppress || o.SendID != 7 {
			t.Errorf("%s: %+v, want %s (suppress %v)", tt.name, o, tt.status, tt.suppress)
		}
		if tt.status == herald.SendDeferred && (o.NextAttempt.Before(now.Add(time.Minute)) || o.NextAttempt.After(now.Add(73*time.Second))) {
			t.Errorf("%s: next attempt %v, want a minute (+20%% jitter) after %v", tt.name, o.NextAttempt, now)
		}
	}
	if o := p.Outcome(c, smtpmail.Reply{Code: 250, EnhancedCode: [3]int{2, 0, 0}, Message: "queued as 1"}, nil, started, now); o.Reply != "250 2.0.0 queued as 1" {
		t.Errorf("accepted reply kept as %q", o.Reply)
	}
	// Backoff doubles and stops at the cap; past the deadline it gives up.
	c.Attempts = 4
	if o := p.Outcome(c, smtpmail.Reply{}, smtpmail.ErrNotSent, started, now); o.NextAttempt.Sub(now) < 8*time.Minute {
		t.Errorf("4th attempt waits %v, want 8 minutes or more", o.NextAttempt.Sub(now))
	}
	c.Attempts = 30
	if o := p.Outcome(c, smtpmail.Reply{}, smtpmail.ErrNotSent, started, now); o.NextAttempt.Sub(now) > 72*time.Minute {
		t.Errorf("30th attempt waits %v, past the cap", o.NextAttempt.Sub(now))
	}
	late := started.Add(11*time.Hour + 59*time.Minute)
	if o := p.Outcome(c, smtpmail.Reply{}, smtpmail.ErrNotSent, started, late); o.Status != herald.SendFailed {
		t.Errorf("past the deadline: %s", o.Status)
	}
	p.RetryUnknown = true
	if o := p.Outcome(herald.SendClaim{Attempts: 1}, smtpmail.Reply{}, smtpmail.ErrOutcomeUnknown, started, now); o.Status != herald.SendDeferred {
		t.Errorf("unknown with RetryUnknown: %s", o.Status)
	}
}
