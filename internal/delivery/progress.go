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
	AcceptedSince(ctx context.Context, editionID int64, since time.Time) (int, error)
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

// Progress is how a send is going.
type Progress struct {
	EditionID  int64                `json:"edition_id"`
	Status     herald.EditionStatus `json:"status"`
	Counts     herald.SendCounts    `json:"counts"`
	Total      int                  `json:"total"`
	Done       int                  `json:"done"`
	PerMinute  int                  `json:"per_minute"`      // accepted in the last minute
	ETA        string               `json:"eta,omitempty"`   // at the current rate
	Recent     []herald.SendRow     `json:"recent_problems"` // latest failures, deferrals, unknowns
	StartedAt  time.Time            `json:"started_at,omitzero"`
	FinishedAt time.Time            `json:"finished_at,omitzero"`

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
	perMinute, err := store.AcceptedSince(ctx, editionID, now.Add(-time.Minute))
	if err != nil {
		return nil, err
	}
	recent, err := store.RecentProblems(ctx, editionID, 10)
	if err != nil {
		return nil, err
	}
	delivered, bounces, complaints, err := store.EditionFeedback(ctx, editionID)
	if err != nil {
		return nil, err
	}
	p := &Progress{EditionID: ed.ID, Status: ed.Status, Counts: counts, Total: counts.Total(), Done: counts.Done(),
		PerMinute: perMinute, Recent: recent, StartedAt: ed.StartedAt, FinishedAt: ed.FinishedAt}
	p.feedback(delivered, bounces, complaints)
	if left := p.Total - p.Done; left > 0 && perMinute > 0 && ed.Status == herald.EditionSending {
		p.ETA = (time.Duration(left) * time.Minute / time.Duration(perMinute)).Round(time.Second).String()
	}
	return p, nil
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
