package delivery

import (
	"context"
	"time"

	"github.com/herald-news/herald"
)

// ProgressStore is what a progress report reads.
type ProgressStore interface {
	FindEdition(ctx context.Context, id int64) (*herald.Edition, error)
	Counts(ctx context.Context, editionID int64) (herald.SendCounts, error)
	AcceptedSince(ctx context.Context, editionID int64, since time.Time) (int, error)
	RecentProblems(ctx context.Context, editionID int64, n int) ([]herald.SendRow, error)
}

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
	p := &Progress{EditionID: ed.ID, Status: ed.Status, Counts: counts, Total: counts.Total(), Done: counts.Done(),
		PerMinute: perMinute, Recent: recent, StartedAt: ed.StartedAt, FinishedAt: ed.FinishedAt}
	if left := p.Total - p.Done; left > 0 && perMinute > 0 && ed.Status == herald.EditionSending {
		p.ETA = (time.Duration(left) * time.Minute / time.Duration(perMinute)).Round(time.Second).String()
	}
	return p, nil
}
