package delivery

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/herald-news/herald"
)

// fakeProgress is a ProgressStore of one edition with fixed numbers.
type fakeProgress struct {
	ed        *herald.Edition
	counts    herald.SendCounts
	doneSince func(since time.Time) int
	nextRetry time.Time
}

func (f *fakeProgress) FindEdition(context.Context, int64) (*herald.Edition, error) { return f.ed, nil }
func (f *fakeProgress) Counts(context.Context, int64) (herald.SendCounts, error) {
	return f.counts, nil
}
func (f *fakeProgress) DoneSince(_ context.Context, _ int64, since time.Time) (int, error) {
	return f.doneSince(since), nil
}
func (f *fakeProgress) NextRetry(context.Context, int64) (time.Time, error) { return f.nextRetry, nil }
func (f *fakeProgress) RecentProblems(context.Context, int64, int) ([]herald.SendRow, error) {
	return nil, nil
}
func (f *fakeProgress) EditionFeedback(context.Context, int64) (int, int, int, error) {
	return 0, 0, 0, nil
}

func TestProgressRateIsMeasuredNotGuessed(t *testing.T) {
	now := time.Date(2026, 12, 8, 15, 40, 0, 0, time.UTC)
	nl := &herald.Newsletter{Name: "AM", TimeZone: "America/New_York"}
	store := &fakeProgress{ed: &herald.Edition{ID: 1, Newsletter: nl, Status: herald.EditionSending}}

	// Five seconds in: too early to tell.
	store.ed.StartedAt = now.Add(-5 * time.Second)
	store.counts = herald.SendCounts{herald.SendAccepted: 50, herald.SendQueued: 9950}
	store.doneSince = func(time.Time) int { return 50 }
	p, err := Report(context.Background(), store, 1, now)
	if err != nil || !p.Measuring || p.ETA != "" {
		t.Fatalf("five seconds in: %+v %v, want measuring", p, err)
	}

	// Fifteen seconds in, 1,500 done: 6,000 a minute, not 1,500; the
	// 1,500 left take 15 s.
	store.ed.StartedAt = now.Add(-15 * time.Second)
	store.counts = herald.SendCounts{herald.SendAccepted: 1400, herald.SendFailed: 100, herald.SendQueued: 1500}
	store.doneSince = func(since time.Time) int {
		if !since.Equal(store.ed.StartedAt) {
			t.Errorf("rate measured since %v, want the start %v", since, store.ed.StartedAt)
		}
		return 1500
	}
	if p, _ = Report(context.Background(), store, 1, now); p.Measuring || p.PerMinute != 6000 || p.ETA != "15s" {
		t.Errorf("fifteen seconds in: %d/min, ETA %q", p.PerMinute, p.ETA)
	}

	// Only deferred readers left: no ETA, but when they are retried.
	store.ed.StartedAt = now.Add(-time.Hour)
	store.counts = herald.SendCounts{herald.SendAccepted: 2998, herald.SendDeferred: 2}
	store.doneSince = func(time.Time) int { return 0 }
	store.nextRetry = time.Date(2026, 12, 8, 15, 42, 0, 0, time.UTC)
	p, _ = Report(context.Background(), store, 1, now)
	if p.ETA != "" || p.Waiting != 2 || p.RetryNote != "2 waiting to retry, next at 10:42 EST" {
		t.Errorf("deferred only: ETA %q, retry note %q", p.ETA, p.RetryNote)
	}

	// Paused with three messages handed to a connection: it says so.
	store.ed.Status = herald.EditionPaused
	store.counts = herald.SendCounts{herald.SendAccepted: 10, herald.SendSending: 3, herald.SendQueued: 87}
	p, _ = Report(context.Background(), store, 1, now)
	if !strings.Contains(p.PauseNote, "up to 3 messages already handed to the relay may still arrive") {
		t.Errorf("pause note %q", p.PauseNote)
	}
}
