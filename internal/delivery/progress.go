package delivery

import (
	"context"
	"fmt"
	"time"

	"github.com/herald-news/herald"
)

// ProgressStore is what a progress report reads.
type ProgressStore interface {
	FindEdition(ctx context.Context, id int64) (*herald.Edition, error)
	Counts(ctx context.Context, editionID int64) (herald.SendCounts, error)
	DoneSince(ctx context.Context, editionID int64, since time.Time) (int, error)
	NextRetry(ctx context.Context, editionID int64) (time.Time, error)
	RecentProblems(ctx context.Context, editionID int64, n int) ([]herald.SendRow, error)
	// EditionFeedback counts the messages delivered, the readers whose
	// message bounced and the readers who complained.
	EditionFeedback(ctx context.Context, editionID int64) (delivered, bounces, complaints int, err error)
}

// Complaint rates past which a progress report warns: Gmail asks senders
// to stay under 0.1% and starts refusing mail past 0.3%.
const (
	ComplaintWarn     = 0.001
	ComplaintCritical = 0.003
)

// Rates need this much of a send behind them before they mean anything;
// until then they are "measuring".
const (
	rateWindow = time.Minute
	minMeasure = 10 * time.Second
)

// MaxProblems is how many rows of readers not accepted a report lists.
const MaxProblems = 200

// Progress is how a send is going.
type Progress struct {
	EditionID int64                `json:"edition_id"`
	Status    herald.EditionStatus `json:"status"`
	Counts    herald.SendCounts    `json:"counts"`
	Total     int                  `json:"total"`
	Done      int                  `json:"done"`
	// PerMinute is the rate of the last minute of real progress (rows
	// that reached an outcome), or of the send so far when younger;
	// Measuring is true while there is too little of it to tell.
	PerMinute int    `json:"per_minute"`
	Measuring bool   `json:"measuring"`
	ETA       string `json:"eta,omitempty"` // for the rows not waiting to retry, at that rate
	// NotAccepted counts readers refused (hard bounces among them),
	// suppressed or unknown; Waiting those deferred, the next due at
	// NextRetry, said in words in RetryNote.
	NotAccepted int       `json:"not_accepted"`
	Waiting     int       `json:"waiting"`
	NextRetry   time.Time `json:"next_retry,omitzero"`
	RetryNote   string    `json:"retry_note,omitempty"`
	// InFlight are messages handed to a sending connection: a pause
	// cannot call them back. PauseNote says so while paused.
	InFlight   int              `json:"in_flight"`
	PauseNote  string           `json:"pause_note,omitempty"`
	Recent     []herald.SendRow `json:"recent_problems"` // readers not accepted, latest first, at most MaxProblems
	StartedAt  time.Time        `json:"started_at,omitzero"`
	FinishedAt time.Time        `json:"finished_at,omitzero"`

	Bounces       int     `json:"bounces"`        // readers whose message bounced, at once or later
	Complaints    int     `json:"complaints"`     // readers who reported it as spam
	BounceRate    float64 `json:"bounce_rate"`    // per delivered message
	ComplaintRate float64 `json:"complaint_rate"` // per delivered message
	// Warning is set when the complaint rate passes ComplaintWarn;
	// WarningLevel is "warning" then, and "critical" past
	// ComplaintCritical.
	Warning      string `json:"warning,omitempty"`
	WarningLevel string `json:"warning_level,omitempty"`
}

// Report reads an edition's progress at now.
func Report(ctx context.Context, store ProgressStore, editionID int64, now time.Time) (*Progress, error) {
	ed, err := store.FindEdition(ctx, editionID)
	if err != nil {
		return nil, err
	}
	counts, err := store.Counts(ctx, editionID)
	if err != nil {
		return nil, err
	}
	recent, err := store.RecentProblems(ctx, editionID, MaxProblems)
	if err != nil {
		return nil, err
	}
	delivered, bounces, complaints, err := store.EditionFeedback(ctx, editionID)
	if err != nil {
		return nil, err
	}
	p := &Progress{EditionID: ed.ID, Status: ed.Status, Counts: counts, Total: counts.Total(), Done: counts.Done(),
		Recent: recent, StartedAt: ed.StartedAt, FinishedAt: ed.FinishedAt,
		NotAccepted: counts.NotAccepted(),
		Waiting:     counts[herald.SendDeferred], InFlight: counts[herald.SendSending]}
	p.feedback(delivered, bounces, complaints)
	if err := p.rate(ctx, store, now); err != nil {
		return nil, err
	}
	if p.Waiting > 0 {
		if p.NextRetry, err = store.NextRetry(ctx, editionID); err != nil {
			return nil, err
		}
		p.RetryNote = fmt.Sprintf("%s waiting to retry, next at %s", herald.FormatCount(p.Waiting),
			p.NextRetry.In(ed.Newsletter.Location()).Format("15:04 MST"))
	}
	if ed.Status == herald.EditionPaused {
		p.PauseNote = PauseNote(p.InFlight)
	}
	return p, nil
}

// PauseNote is what a paused send says: a pause stops new messages, not
// those already handed to the relay.
func PauseNote(inFlight int) string {
	if inFlight == 0 {
		return "Paused. No more messages go out until you resume."
	}
	return fmt.Sprintf("Paused; up to %s messages already handed to the relay may still arrive. No others go out until you resume.",
		herald.FormatCount(inFlight))
}

// rate fills in PerMinute and ETA from the progress of the last minute,
// or of the send so far when it is younger: Measuring until there is
// minMeasure of it.
func (p *Progress) rate(ctx context.Context, store ProgressStore, now time.Time) error {
	if p.Status != herald.EditionSending {
		return nil
	}
	window := min(rateWindow, now.Sub(p.StartedAt))
	if p.StartedAt.IsZero() || window < minMeasure {
		p.Measuring = true
		return nil
	}
	done, err := store.DoneSince(ctx, p.EditionID, now.Add(-window))
	if err != nil {
		return err
	}
	p.PerMinute = int(float64(done) * float64(time.Minute) / float64(window))
	if left := p.Total - p.Done - p.Waiting; left > 0 && done > 0 {
		p.ETA = (time.Duration(float64(left) / float64(done) * float64(window))).Round(time.Second).String()
	}
	return nil
}

// feedback fills in the bounce and complaint rates and the warning.
func (p *Progress) feedback(delivered, bounces, complaints int) {
	p.Bounces, p.Complaints = bounces, complaints
	if delivered == 0 {
		return
	}
	p.BounceRate, p.ComplaintRate = float64(bounces)/float64(delivered), float64(complaints)/float64(delivered)
	switch {
	case p.ComplaintRate > ComplaintCritical:
		p.WarningLevel = "critical"
		p.Warning = fmt.Sprintf("COMPLAINT RATE %.2f%% IS PAST 0.3%%: mailbox providers will refuse this newsletter's mail. "+
			"Stop sending and review who gets it and why they complain.", 100*p.ComplaintRate)
	case p.ComplaintRate > ComplaintWarn:
		p.WarningLevel = "warning"
		p.Warning = fmt.Sprintf("Complaint rate %.2f%% is past 0.1%% (Gmail's guidance): check the list's consent and the unsubscribe link.",
			100*p.ComplaintRate)
	}
}
