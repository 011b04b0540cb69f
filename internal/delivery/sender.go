// Package delivery sends editions: it works through the send ledger with a
// pool of SMTP connections, recording each outcome before the connection
// carries another message's data, so a crash can only repeat the messages
// that were in flight (DESIGN.md invariants 1 and 2).
package delivery

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/internal/mail/compose"
	"github.com/herald-news/herald/internal/mail/smtpmail"
)

// Store is the ledger as senders use it (implemented by sqldb).
type Store interface {
	EditionsInStatus(ctx context.Context, status herald.EditionStatus) ([]*herald.Edition, error)
	Claim(ctx context.Context, editionID int64, node string, n int, lease time.Duration) ([]herald.SendClaim, error)
	RenewLeases(ctx context.Context, node string, sendIDs []int64, lease time.Duration) error
	Release(ctx context.Context, node string, sendIDs []int64) error
	Eligible(ctx context.Context, subscriberID, newsletterID int64, email string) (bool, string, error)
	Record(ctx context.Context, node string, outcomes []herald.SendOutcome) error
	FailOverdue(ctx context.Context, editionID int64, deadline time.Time) (int, error)
	FinishIfDone(ctx context.Context, editionID int64) (bool, error)
}

// Relay carries messages to the mail relay (a smtpmail.Pool).
type Relay interface {
	// SendAfter sends one message as smtpmail.Pool.SendAfter does: before
	// is called once the relay has taken the envelope, just before the
	// message is written, and when it fails nothing is sent.
	SendAfter(ctx context.Context, env smtpmail.Envelope, data []byte, before func() error) (smtpmail.Reply, error)
	SupportsSMTPUTF8(ctx context.Context) (bool, error)
}

// Links makes each reader's signed links.
type Links interface {
	UnsubscribeURL(subscriberID int64, linkKey string, newsletterID int64) string
	PreferencesURL(subscriberID int64, linkKey string, newsletterID int64) string
}

// Signer signs a finished message (DKIM).
type Signer interface {
	Sign(msg []byte) ([]byte, error)
}

// claimBatch is how many rows a sender leases at a time: enough to make
// claiming cheap per message, few enough that a dead node's leases hold
// back little.
const claimBatch = 200

// Sender sends every edition in the sending state.
type Sender struct {
	Store   Store
	Relay   Relay
	Links   Links
	Site    herald.SiteService
	Compose compose.Options
	DKIM    Signer // nil: messages go unsigned
	Clock   herald.Clock
	Logger  *slog.Logger
	Policy  Policy
	// ReturnPath gives each message's envelope sender, a signed VERP
	// address naming its ledger row and its reader's link key; nil: the
	// newsletter's From address.
	ReturnPath func(sendID int64, linkKey string) string

	Node        string        // this process's name on its leases
	Connections int           // transactions in flight at once
	Lease       time.Duration // how long a claimed row stays this node's
	Poll        time.Duration // how often to look for work
	Drain       time.Duration // on shutdown, how long in-flight messages may take

	mu       sync.Mutex
	rendered map[int64]*compose.EditionMail
}

// Run sends until ctx ends, then finishes and records the messages in
// flight and returns.
func (s *Sender) Run(ctx context.Context) error {
	for {
		if err := s.Pass(ctx); err != nil && ctx.Err() == nil {
			s.Logger.Error("sending", "err", err)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(s.Poll):
		}
	}
}

// Pass works through every sending edition until none has a row to send
// right now; deferred rows wait for a later pass.
func (s *Sender) Pass(ctx context.Context) error {
	eds, err := s.Store.EditionsInStatus(ctx, herald.EditionSending)
	if err != nil {
		return err
	}
	for _, ed := range eds {
		if _, err := s.Store.FailOverdue(ctx, ed.ID, ed.StartedAt.Add(s.Policy.Deadline)); err != nil {
			return err
		}
		if err := s.sendEdition(ctx, ed); err != nil {
			return fmt.Errorf("edition %d: %w", ed.ID, err)
		}
		if done, err := s.Store.FinishIfDone(ctx, ed.ID); err != nil {
			return err
		} else if done {
			s.Logger.Info("edition sent", "edition", ed.ID, "newsletter", ed.Newsletter.Slug, "date", ed.DateString())
		}
	}
	return nil
}

// render renders an edition once per process.
func (s *Sender) render(ctx context.Context, ed *herald.Edition) (*compose.EditionMail, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if m := s.rendered[ed.ID]; m != nil {
		return m, nil
	}
	site, err := s.Site.Site(ctx)
	if err != nil {
		return nil, err
	}
	m, err := compose.Render(site, ed, s.Compose)
	if err != nil {
		return nil, err
	}
	if s.rendered == nil {
		s.rendered = map[int64]*compose.EditionMail{}
	}
	s.rendered[ed.ID] = m
	return m, nil
}

// sendEdition claims the edition's rows in batches and feeds them to
// Connections workers until nothing is left to claim.
func (s *Sender) sendEdition(ctx context.Context, ed *herald.Edition) error {
	mailer, err := s.render(ctx, ed)
	if err != nil {
		return err
	}
	utf8, err := s.Relay.SupportsSMTPUTF8(ctx)
	if err != nil {
		s.Logger.Warn("could not ask the relay about SMTPUTF8; holding Unicode addresses back", "err", err)
	}
	// stop ends the pass early when outcomes cannot be recorded: sending
	// on without a record would risk duplicates.
	work, stop := context.WithCancel(ctx)
	defer stop()
	held := newHeldSet()
	go s.renewLeases(work, held)

	claims := make(chan herald.SendClaim, s.Connections)
	rec := newRecorder(s)
	recorded := make(chan struct{})
	go func() {
		defer close(recorded)
		rec.run()
	}()
	var wg sync.WaitGroup
	for range s.Connections {
		wg.Go(func() {
			w := worker{s: s, ed: ed, mailer: mailer, utf8: utf8, held: held, rec: rec}
			if err := w.run(work, claims); err != nil {
				s.Logger.Error("stopping the send: cannot record outcomes", "edition", ed.ID, "err", err)
				stop()
			}
		})
	}
	err = s.feed(work, ed, claims, held)
	close(claims)
	wg.Wait()
	rec.close()
	<-recorded
	// Rows claimed but never started go back to the queue at once.
	if left := held.ids(); len(left) > 0 {
		if rerr := s.Store.Release(context.WithoutCancel(ctx), s.Node, left); rerr != nil {
			s.Logger.Error("release rows", "err", rerr)
		}
	}
	return err
}

// feed claims batches and hands the rows to the workers.
func (s *Sender) feed(ctx context.Context, ed *herald.Edition, claims chan<- herald.SendClaim, held *heldSet) error {
	for ctx.Err() == nil {
		batch, err := s.Store.Claim(ctx, ed.ID, s.Node, claimBatch, s.Lease)
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return err
		}
		if len(batch) == 0 {
			return nil
		}
		for _, c := range batch {
			held.add(c.SendID)
		}
		for _, c := range batch {
			select {
			case claims <- c:
			case <-ctx.Done():
				return nil
			}
		}
	}
	return nil
}

// renewLeases keeps the leases of rows this node holds alive.
func (s *Sender) renewLeases(ctx context.Context, held *heldSet) {
	t := time.NewTicker(s.Lease / 3)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if err := s.Store.RenewLeases(ctx, s.Node, held.ids(), s.Lease); err != nil && ctx.Err() == nil {
				s.Logger.Error("renew leases", "err", err)
			}
		}
	}
}

// heldSet is the rows this node has claimed and not yet recorded.
type heldSet struct {
	mu  sync.Mutex
	set map[int64]struct{}
}

func newHeldSet() *heldSet { return &heldSet{set: map[int64]struct{}{}} }

func (h *heldSet) add(id int64) {
	h.mu.Lock()
	h.set[id] = struct{}{}
	h.mu.Unlock()
}

func (h *heldSet) done(id int64) {
	h.mu.Lock()
	delete(h.set, id)
	h.mu.Unlock()
}

func (h *heldSet) ids() []int64 {
	h.mu.Lock()
	defer h.mu.Unlock()
	out := make([]int64, 0, len(h.set))
	for id := range h.set {
		out = append(out, id)
	}
	return out
}
