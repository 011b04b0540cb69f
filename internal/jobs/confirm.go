package jobs

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/riverqueue/river"
)

// Confirmer sends the confirmation email of a signup.
type Confirmer interface {
	SendConfirmation(ctx context.Context, subscriberID, newsletterID int64) error
}

// ConfirmationArgs sends one confirmation email.
type ConfirmationArgs struct {
	SubscriberID int64 `json:"subscriber_id"`
	NewsletterID int64 `json:"newsletter_id"`
}

// Kind names the job kind in the queue.
func (ConfirmationArgs) Kind() string { return "send_confirmation" }

// InsertOpts retries a failed relay for about a day: a confirmation that
// arrives late is still useful, one that arrives after a week's retries
// is not.
func (ConfirmationArgs) InsertOpts() river.InsertOpts { return river.InsertOpts{MaxAttempts: 12} }

type confirmationWorker struct {
	river.WorkerDefaults[ConfirmationArgs]
	confirmer Confirmer
}

// Work sends the email; the worker itself checks that it is still wanted.
func (w *confirmationWorker) Work(ctx context.Context, job *river.Job[ConfirmationArgs]) error {
	return w.confirmer.SendConfirmation(ctx, job.Args.SubscriberID, job.Args.NewsletterID)
}

// Timeout bounds one SMTP conversation.
func (w *confirmationWorker) Timeout(*river.Job[ConfirmationArgs]) time.Duration {
	return 2 * time.Minute
}

// EnqueueConfirmation queues a signup's confirmation email in the signup's
// transaction, so a crash can lose neither without the other.
func (q *Queue) EnqueueConfirmation(ctx context.Context, tx *sql.Tx, subscriberID, newsletterID int64) error {
	_, err := q.client.InsertTx(ctx, tx, ConfirmationArgs{SubscriberID: subscriberID, NewsletterID: newsletterID}, nil)
	if err != nil {
		return fmt.Errorf("jobs: enqueue confirmation: %w", err)
	}
	return nil
}

// EnqueueConfirmations queues the confirmation emails of several signups
// stored in one transaction, with one insert.
func (q *Queue) EnqueueConfirmations(ctx context.Context, tx *sql.Tx, pairs [][2]int64) error {
	params := make([]river.InsertManyParams, len(pairs))
	for i, p := range pairs {
		params[i] = river.InsertManyParams{Args: ConfirmationArgs{SubscriberID: p[0], NewsletterID: p[1]}}
	}
	if _, err := q.client.InsertManyTx(ctx, tx, params); err != nil {
		return fmt.Errorf("jobs: enqueue confirmations: %w", err)
	}
	return nil
}
