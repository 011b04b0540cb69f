package delivery

import (
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/internal/mail/smtpmail"
)

// Policy decides what a relay's answer means for a ledger row (DESIGN.md
// invariant 2).
type Policy struct {
	RetryBase    time.Duration // first wait after a 4xx; doubles each attempt
	RetryMax     time.Duration // longest wait between attempts
	Deadline     time.Duration // after this since the send started, stop retrying
	RetryUnknown bool          // resend when the connection broke after the data (risks a duplicate)
}

// DefaultPolicy retries for 12 hours, from one minute apart up to an hour.
var DefaultPolicy = Policy{RetryBase: time.Minute, RetryMax: time.Hour, Deadline: 12 * time.Hour}

// Outcome turns one send's result into the row's next state. started is
// when the edition began sending.
func (p Policy) Outcome(c herald.SendClaim, reply smtpmail.Reply, err error, started, now time.Time) herald.SendOutcome {
	o := herald.SendOutcome{SendID: c.SendID, Reply: replyText(reply, err)}
	switch smtpmail.Classify(err) {
	case smtpmail.OutcomeAccepted:
		o.Status = herald.SendAccepted
	case smtpmail.OutcomeHardBounce:
		o.Status, o.Suppress = herald.SendSuppressed, c.Email
	case smtpmail.OutcomePolicy, smtpmail.OutcomeFailed:
		o.Status = herald.SendFailed
	case smtpmail.OutcomeUnknown:
		o.Status = herald.SendUnknown
		if p.RetryUnknown {
			o = p.retry(o, c.Attempts, started, now)
		}
	default: // deferred: a 4xx, or nothing reached the relay
		o = p.retry(o, c.Attempts, started, now)
	}
	return o
}

// retry schedules the next attempt with exponential backoff and jitter,
// or gives up past the deadline.
func (p Policy) retry(o herald.SendOutcome, attempts int, started, now time.Time) herald.SendOutcome {
	wait := p.RetryBase << min(max(attempts-1, 0), 20)
	if wait <= 0 || wait > p.RetryMax {
		wait = p.RetryMax
	}
	wait += time.Duration(rand.Int64N(int64(wait)/5 + 1)) // spread retries out
	next := now.Add(wait)
	if next.After(started.Add(p.Deadline)) {
		o.Status, o.Reply = herald.SendFailed, o.Reply+" (gave up: retry deadline passed)"
		return o
	}
	o.Status, o.NextAttempt = herald.SendDeferred, next
	return o
}

// replyText is what the ledger keeps of an answer.
func replyText(r smtpmail.Reply, err error) string {
	if err != nil {
		return err.Error()
	}
	if r.EnhancedCode == ([3]int{}) {
		return fmt.Sprintf("%d %s", r.Code, r.Message)
	}
	return fmt.Sprintf("%d %d.%d.%d %s", r.Code, r.EnhancedCode[0], r.EnhancedCode[1], r.EnhancedCode[2], r.Message)
}
