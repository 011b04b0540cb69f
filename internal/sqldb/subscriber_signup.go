package sqldb

import (
	"context"
	"database/sql"
	"fmt"
	"sync"
	"time"

	"github.com/herald-news/herald"
)

// maxSignupBatch caps the signups that share one transaction.
const maxSignupBatch = 64

// ConfirmationBatcher is a JobEnqueuer that can queue many confirmation
// emails with one insert; jobs.Queue is one.
type ConfirmationBatcher interface {
	// EnqueueConfirmations queues one confirmation email per pair of
	// subscriber and newsletter IDs, in tx.
	EnqueueConfirmations(ctx context.Context, tx *sql.Tx, pairs [][2]int64) error
}

// signupBatcher stores the signups that arrive together in one write
// transaction: SQLite takes one writer at a time, so under a burst each
// signup otherwise waits for every one before it to begin, write, enqueue
// its confirmation job and commit on its own. Each caller still returns
// only once its signup is committed (or has failed).
type signupBatcher struct {
	once sync.Once
	reqs chan *signupReq
}

type signupReq struct {
	ctx        context.Context
	in         herald.Signup
	suppressed bool // the address is suppressed: nothing is stored
	out        herald.SignupOutcome
	err        error
	done       chan struct{}
}

// do stores in with whatever other signups are waiting.
func (b *signupBatcher) do(ctx context.Context, s *SubscriberService, in herald.Signup, suppressed bool) (herald.SignupOutcome, error) {
	b.once.Do(func() {
		b.reqs = make(chan *signupReq, maxSignupBatch)
		go b.run(s)
	})
	r := &signupReq{ctx: ctx, in: in, suppressed: suppressed, done: make(chan struct{})}
	select {
	case b.reqs <- r:
	case <-ctx.Done():
		return herald.SignupOutcome{}, fmt.Errorf("sqldb: signup: %w", ctx.Err())
	}
	select {
	case <-r.done:
		return r.out, r.err
	case <-ctx.Done(): // it may still be stored: the answer is lost, not the signup
		return herald.SignupOutcome{}, fmt.Errorf("sqldb: signup: %w", ctx.Err())
	}
}

// run stores signups in batches, for the life of the process.
func (b *signupBatcher) run(s *SubscriberService) {
	batch := make([]*signupReq, 0, maxSignupBatch)
	for r := range b.reqs {
		batch = append(batch[:0], r)
	more:
		for len(batch) < maxSignupBatch {
			select {
			case r := <-b.reqs:
				batch = append(batch, r)
			default:
				break more
			}
		}
		s.storeSignups(batch)
	}
}

// storeSignups stores a batch in one transaction; if that fails, each
// signup is tried alone, so that one bad signup fails only itself.
func (s *SubscriberService) storeSignups(batch []*signupReq) {
	defer func() {
		for _, r := range batch {
			close(r.done)
		}
	}()
	if len(batch) > 1 {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		err := s.signupTx(ctx, batch)
		cancel()
		if err == nil {
			return
		}
	}
	for _, r := range batch {
		ctx, cancel := context.WithTimeout(context.WithoutCancel(r.ctx), time.Minute)
		r.err = s.signupTx(ctx, []*signupReq{r})
		cancel()
	}
}

// signupTx stores signups and queues their confirmation emails in one
// transaction, so a crash can lose neither without the other.
func (s *SubscriberService) signupTx(ctx context.Context, batch []*signupReq) error {
	for _, r := range batch {
		r.out = herald.SignupOutcome{}
	}
	return s.db.inTx(ctx, func(tx *Tx) error {
		var pairs [][2]int64
		for _, r := range batch {
			if r.suppressed {
				// A write like a signup's that changes nothing.
				if _, err := tx.ExecContext(ctx, `UPDATE suppressions SET reason = reason WHERE email_hash = $1`, EmailHash(r.in.Email)); err != nil {
					return fmt.Errorf("sqldb: signup of a suppressed address: %w", err)
				}
				continue
			}
			if err := s.signupOne(ctx, tx, r.in, &r.out); err != nil {
				return err
			}
			if r.out.SendConfirm {
				pairs = append(pairs, [2]int64{r.out.Subscriber.ID, r.in.NewsletterID})
			}
		}
		if s.Jobs == nil || len(pairs) == 0 {
			return nil
		}
		if many, ok := s.Jobs.(ConfirmationBatcher); ok {
			return many.EnqueueConfirmations(ctx, tx.Tx, pairs)
		}
		for _, p := range pairs {
			if err := s.Jobs.EnqueueConfirmation(ctx, tx.Tx, p[0], p[1]); err != nil {
				return err
			}
		}
		return nil
	})
}
