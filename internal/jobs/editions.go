package jobs

import (
	"context"
	"time"

	"github.com/riverqueue/river"
)

// Ticker starts the editions that are due (editions.Desk).
type Ticker interface {
	Tick(ctx context.Context) error
}

// EditionTickArgs looks for due editions; it runs every minute on the
// cluster's leader, so each send time is seen once.
type EditionTickArgs struct{}

// Kind names the job kind in the queue.
func (EditionTickArgs) Kind() string { return "edition_tick" }

type editionTickWorker struct {
	river.WorkerDefaults[EditionTickArgs]
	ticker Ticker
}

// Work starts due editions.
func (w *editionTickWorker) Work(ctx context.Context, _ *river.Job[EditionTickArgs]) error {
	return w.ticker.Tick(ctx)
}

// Timeout bounds one tick: drafting reads recent stories and writes ledgers.
func (w *editionTickWorker) Timeout(*river.Job[EditionTickArgs]) time.Duration {
	return 5 * time.Minute
}
