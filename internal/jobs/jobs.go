// Package jobs wires the River job queue: scheduled publishing now, edition
// sends and retries later. Jobs are inserted in the same transaction as the
// data that needs them.
package jobs

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"time"

	"github.com/herald-news/herald"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"
)

// driver is River's driver for the database behind db: both work on
// *sql.Tx, so jobs join the transactions of the data they are about.
func driver(db *sql.DB, postgres bool) riverdriver.Driver[*sql.Tx] {
	if postgres {
		return riverdatabasesql.New(db)
	}
	return riversqlite.New(db)
}

// Migrate brings River's own tables up to date.
func Migrate(ctx context.Context, db *sql.DB, postgres bool) error {
	migrator, err := rivermigrate.New(driver(db, postgres), nil)
	if err != nil {
		return fmt.Errorf("jobs: migrator: %w", err)
	}
	if _, err := migrator.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		return fmt.Errorf("jobs: migrate: %w", err)
	}
	return nil
}

// Options configure a Queue.
type Options struct {
	// Postgres says the database is PostgreSQL rather than SQLite.
	Postgres bool
	Stories  herald.StoryService
	// Confirmations sends signup confirmation emails; required with Work.
	Confirmations Confirmer
	// Editions starts due editions every TickEvery; nil: no edition jobs.
	Editions  Ticker
	TickEvery time.Duration
	Clock     herald.Clock
	Logger    *slog.Logger
	// Work makes this process run jobs; without it the queue only inserts.
	Work bool
	// SweepEvery is how often a safety-net job publishes any scheduled
	// story whose own job was lost; zero means every minute.
	SweepEvery time.Duration
}

// Queue is Herald's job queue.
type Queue struct {
	client *river.Client[*sql.Tx]
}

// New returns a queue on db.
func New(db *sql.DB, opts Options) (*Queue, error) {
	cfg := &river.Config{Logger: opts.Logger}
	if opts.Work {
		workers := river.NewWorkers()
		river.AddWorker(workers, &publishStoryWorker{stories: opts.Stories, clock: opts.Clock})
		river.AddWorker(workers, &publishDueWorker{stories: opts.Stories, clock: opts.Clock})
		river.AddWorker(workers, &confirmationWorker{confirmer: opts.Confirmations})
		sweep := opts.SweepEvery
		if sweep <= 0 {
			sweep = time.Minute
		}
		cfg.Workers = workers
		cfg.Queues = map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: 4}}
		cfg.FetchPollInterval = 200 * time.Millisecond
		cfg.PeriodicJobs = []*river.PeriodicJob{river.NewPeriodicJob(river.PeriodicInterval(sweep),
			func() (river.JobArgs, *river.InsertOpts) { return PublishDueArgs{}, nil },
			&river.PeriodicJobOpts{RunOnStart: true})}
		if opts.Editions != nil {
			tick := opts.TickEvery
			if tick <= 0 {
				tick = time.Minute
			}
			river.AddWorker(workers, &editionTickWorker{ticker: opts.Editions})
			cfg.PeriodicJobs = append(cfg.PeriodicJobs, river.NewPeriodicJob(river.PeriodicInterval(tick),
				func() (river.JobArgs, *river.InsertOpts) { return EditionTickArgs{}, nil },
				&river.PeriodicJobOpts{RunOnStart: true}))
		}
	}
	client, err := river.NewClient(driver(db, opts.Postgres), cfg)
	if err != nil {
		return nil, fmt.Errorf("jobs: client: %w", err)
	}
	return &Queue{client: client}, nil
}

// Start runs the workers, when this queue has them.
func (q *Queue) Start(ctx context.Context) error {
	if err := q.client.Start(ctx); err != nil {
		return fmt.Errorf("jobs: start: %w", err)
	}
	return nil
}

// Stop waits for running jobs to finish, until ctx ends.
func (q *Queue) Stop(ctx context.Context) error { return q.client.Stop(ctx) }

// EnqueueStoryPublish schedules the job that marks a story published at at.
func (q *Queue) EnqueueStoryPublish(ctx context.Context, tx *sql.Tx, storyID int64, at time.Time) error {
	_, err := q.client.InsertTx(ctx, tx, PublishStoryArgs{StoryID: storyID}, &river.InsertOpts{ScheduledAt: at})
	if err != nil {
		return fmt.Errorf("jobs: enqueue story publish: %w", err)
	}
	return nil
}
