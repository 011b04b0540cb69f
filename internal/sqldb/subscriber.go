package sqldb

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/herald-news/herald"
)

// confirmEvery is the least time between two confirmation emails to one
// address, so a form cannot be used to bomb someone's inbox.
const confirmEvery = 24 * time.Hour

// SubscriberService implements herald.SubscriberService.
type SubscriberService struct {
	db *DB
	// Jobs receives the confirmation email job of each signup that needs one.
	Jobs JobEnqueuer
	// signup holds the signup statements, prepared once: parsing them
	// anew was 40% of a signup's cost, most of it while holding SQLite's
	// one write lock.
	signup struct {
		once                                       sync.Once
		err                                        error
		suppressed, subscriber, subscription, note *sql.Stmt
		consent                                    *sql.Stmt
	}
	signups signupBatcher
	imports stmtCache // the import's multi-row statements
}

// Statements a signup runs.
const (
	suppressedQuery  = `SELECT 1 FROM suppressions WHERE email_hash = $1`
	signupSubscriber = `INSERT INTO subscribers (email, email_key, utf8_local, created_at) VALUES ($1, $2, $3, $4)
		ON CONFLICT (email_key) DO UPDATE SET email_key = excluded.email_key
		RETURNING id, created_at, confirm_sent_at`
	signupSubscription = `INSERT INTO subscriptions (subscriber_id, newsletter_id, status, source, created_at, updated_at)
		VALUES ($1, $2, 'pending', 'signup', $3, $3)
		ON CONFLICT (subscriber_id, newsletter_id) DO UPDATE SET
			status = CASE WHEN subscriptions.status = 'unsubscribed' THEN 'pending' ELSE subscriptions.status END,
			updated_at = excluded.updated_at
		RETURNING status`
	signupNote   = `UPDATE subscribers SET confirm_sent_at = $1 WHERE id = $2`
	consentQuery = `INSERT INTO consents (subscriber_id, newsletter_id, action, at, ip, user_agent, form, wording_version)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`
)

// signupStmts prepares the signup statements on first use.
func (s *SubscriberService) signupStmts(ctx context.Context) error {
	p := &s.signup
	p.once.Do(func() {
		for _, st := range []struct {
			to    **sql.Stmt
			query string
		}{{&p.suppressed, suppressedQuery}, {&p.subscriber, signupSubscriber}, {&p.subscription, signupSubscription},
			{&p.note, signupNote}, {&p.consent, consentQuery}} {
			if *st.to, p.err = s.db.db.PrepareContext(ctx, st.query); p.err != nil {
				return
			}
		}
	})
	if p.err != nil {
		return fmt.Errorf("sqldb: prepare signup statements: %w", p.err)
	}
	return nil
}

// NewSubscriberService returns the subscriber service on db.
func NewSubscriberService(db *DB) *SubscriberService { return &SubscriberService{db: db} }

var _ herald.SubscriberService = (*SubscriberService)(nil)

// emailKey is the lookup form of an address.
func emailKey(email string) string { return strings.ToLower(email) }

// EmailHash is the suppression list's form of an address.
func EmailHash(email string) string {
	sum := sha256.Sum256([]byte(emailKey(email)))
	return hex.EncodeToString(sum[:])
}

// Signup records a signup. See herald.SubscriberService.
func (s *SubscriberService) Signup(ctx context.Context, in herald.Signup) (herald.SignupOutcome, error) {
	var out herald.SignupOutcome
	if err := s.signupStmts(ctx); err != nil {
		return out, err
	}
	p := &s.signup
	// The suppression list is read before the write transaction, which
	// holds SQLite's one write lock: a signup racing the suppression of
	// its own address is as if it came a moment earlier.
	var one int
	switch err := p.suppressed.QueryRowContext(ctx, EmailHash(in.Email)).Scan(&one); {
	case err == nil:
		// Stored nowhere, but through the same write transaction as any
		// other signup: the answer's timing must not tell it apart.
		_, err := s.signups.do(ctx, s, in, true)
		return out, err
	case !errors.Is(err, sql.ErrNoRows):
		return out, fmt.Errorf("sqldb: check suppression: %w", err)
	}
	return s.signups.do(ctx, s, in, false)
}

// signupOne stores one signup in tx; out.SendConfirm tells whether its
// confirmation email is due.
func (s *SubscriberService) signupOne(ctx context.Context, tx *Tx, in herald.Signup, out *herald.SignupOutcome) error {
	p := &s.signup
	sub := &herald.Subscriber{Email: in.Email, UTF8Local: in.UTF8Local}
	var confirmSent sql.NullTime
	err := tx.StmtContext(ctx, p.subscriber).QueryRowContext(ctx,
		in.Email, emailKey(in.Email), in.UTF8Local, tx.now).Scan(&sub.ID, &sub.CreatedAt, &confirmSent)
	if err != nil {
		return fmt.Errorf("sqldb: signup subscriber: %w", err)
	}
	// A reader who left and signs up again must confirm again.
	var status string
	err = tx.StmtContext(ctx, p.subscription).QueryRowContext(ctx, sub.ID, in.NewsletterID, tx.now).Scan(&status)
	if err != nil {
		return fmt.Errorf("sqldb: signup subscription: %w", err)
	}
	c := herald.Consent{SubscriberID: sub.ID, NewsletterID: in.NewsletterID, Action: "signup",
		IP: in.IP, UserAgent: in.UserAgent, Form: in.Form, WordingVersion: herald.ConsentWordingVersion}
	if _, err := tx.StmtContext(ctx, p.consent).ExecContext(ctx, c.SubscriberID, nullInt64(c.NewsletterID), c.Action, tx.now,
		truncate(c.IP, 64), truncate(c.UserAgent, 512), truncate(c.Form, 512), c.WordingVersion); err != nil {
		return fmt.Errorf("sqldb: record consent: %w", err)
	}
	out.Subscriber = sub
	if status != string(herald.SubPending) || (confirmSent.Valid && tx.now.Sub(confirmSent.Time) < confirmEvery) {
		return nil
	}
	if _, err := tx.StmtContext(ctx, p.note).ExecContext(ctx, tx.now, sub.ID); err != nil {
		return fmt.Errorf("sqldb: note confirmation: %w", err)
	}
	out.SendConfirm = true
	return nil
}

// Confirm activates every pending subscription of the subscriber: the
// link proves the reader owns the address, whichever newsletter sent it.
func (s *SubscriberService) Confirm(ctx context.Context, subscriberID, newsletterID int64, c herald.Consent) error {
	return s.db.inTx(ctx, func(tx *Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM subscriptions WHERE subscriber_id = $1 AND newsletter_id = $2`,
			subscriberID, newsletterID).Scan(&n); err != nil {
			return fmt.Errorf("sqldb: confirm: %w", err)
		} else if n == 0 {
			return herald.Errorf(herald.ENOTFOUND, "This subscription no longer exists.")
		}
		pending, err := queryAll(ctx, tx, `SELECT newsletter_id FROM subscriptions WHERE subscriber_id = $1 AND status = 'pending'`,
			scanInt64, subscriberID)
		if err != nil {
			return err
		}
		for _, id := range pending {
			if err := tx.setStatus(ctx, subscriberID, id, herald.SubActive); err != nil {
				return err
			}
			c.SubscriberID, c.NewsletterID, c.Action = subscriberID, id, "confirm"
			if err := tx.recordConsent(ctx, c); err != nil {
				return err
			}
		}
		return nil
	})
}

// Unsubscribe turns one subscription off.
func (s *SubscriberService) Unsubscribe(ctx context.Context, subscriberID, newsletterID int64, c herald.Consent) error {
	return s.db.inTx(ctx, func(tx *Tx) error {
		if err := tx.mustSubscriber(ctx, subscriberID); err != nil {
			return err
		}
		return tx.turnOff(ctx, subscriberID, []int64{newsletterID}, c)
	})
}

// UnsubscribeAll turns every subscription off.
func (s *SubscriberService) UnsubscribeAll(ctx context.Context, subscriberID int64, c herald.Consent) error {
	return s.db.inTx(ctx, func(tx *Tx) error {
		if err := tx.mustSubscriber(ctx, subscriberID); err != nil {
			return err
		}
		ids, err := queryAll(ctx, tx, `SELECT newsletter_id FROM subscriptions WHERE subscriber_id = $1`, scanInt64, subscriberID)
		if err != nil {
			return err
		}
		return tx.turnOff(ctx, subscriberID, ids, c)
	})
}

// SetSubscriptions switches newsletters on and off from the preferences
// page. A reader who has confirmed their address once needs no new
// confirmation to add a newsletter.
func (s *SubscriberService) SetSubscriptions(ctx context.Context, subscriberID int64, on map[int64]bool, c herald.Consent) error {
	return s.db.inTx(ctx, func(tx *Tx) error {
		if err := tx.mustSubscriber(ctx, subscriberID); err != nil {
			return err
		}
		var confirmed int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM subscriptions WHERE subscriber_id = $1 AND confirmed_at IS NOT NULL`,
			subscriberID).Scan(&confirmed); err != nil {
			return fmt.Errorf("sqldb: preferences: %w", err)
		}
		var off []int64
		for id, want := range on {
			if !want {
				off = append(off, id)
				continue
			}
			status := herald.SubPending
			if confirmed > 0 {
				status = herald.SubActive
			}
			changed, err := tx.switchOn(ctx, subscriberID, id, status)
			if err != nil {
				return err
			}
			if changed {
				c.SubscriberID, c.NewsletterID, c.Action = subscriberID, id, "preferences"
				if err := tx.recordConsent(ctx, c); err != nil {
					return err
				}
			}
		}
		return tx.turnOff(ctx, subscriberID, off, c)
	})
}

// switchOn subscribes to a newsletter unless already on; it reports
// whether anything changed.
func (tx *Tx) switchOn(ctx context.Context, subscriberID, newsletterID int64, status herald.SubscriptionStatus) (bool, error) {
	var current string
	err := tx.QueryRowContext(ctx, `SELECT status FROM subscriptions WHERE subscriber_id = $1 AND newsletter_id = $2`,
		subscriberID, newsletterID).Scan(&current)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		_, err = tx.ExecContext(ctx, `INSERT INTO subscriptions (subscriber_id, newsletter_id, status, source, created_at, updated_at)
			VALUES ($1, $2, $3, 'preferences', $4, $4)`, subscriberID, newsletterID, string(status), tx.now)
		if err != nil {
			return false, fmt.Errorf("sqldb: subscribe: %w", err)
		}
		if status == herald.SubActive {
			return true, tx.setStatus(ctx, subscriberID, newsletterID, status)
		}
		return true, nil
	case err != nil:
		return false, fmt.Errorf("sqldb: subscription: %w", err)
	case current == string(herald.SubActive) || current == string(status):
		return false, nil
	}
	return true, tx.setStatus(ctx, subscriberID, newsletterID, status)
}

// turnOff unsubscribes from the newsletters that are not off already and
// records the reader's word for each.
func (tx *Tx) turnOff(ctx context.Context, subscriberID int64, newsletterIDs []int64, c herald.Consent) error {
	for _, id := range newsletterIDs {
		res, err := tx.ExecContext(ctx, `UPDATE subscriptions SET status = 'unsubscribed', unsubscribed_at = $1, updated_at = $1
			WHERE subscriber_id = $2 AND newsletter_id = $3 AND status <> 'unsubscribed'`, tx.now, subscriberID, id)
		if err != nil {
			return fmt.Errorf("sqldb: unsubscribe: %w", err)
		}
		if n, _ := res.RowsAffected(); n > 0 {
			c.SubscriberID, c.NewsletterID, c.Action = subscriberID, id, "unsubscribe"
			if err := tx.recordConsent(ctx, c); err != nil {
				return err
			}
		}
	}
	return nil
}

// setStatus moves a subscription to status, stamping the time.
func (tx *Tx) setStatus(ctx context.Context, subscriberID, newsletterID int64, status herald.SubscriptionStatus) error {
	stamp := "confirmed_at"
	if status == herald.SubUnsubscribed {
		stamp = "unsubscribed_at"
	}
	_, err := tx.ExecContext(ctx, `UPDATE subscriptions SET status = $1, `+stamp+` = $2, updated_at = $2
		WHERE subscriber_id = $3 AND newsletter_id = $4`, string(status), tx.now, subscriberID, newsletterID)
	if err != nil {
		return fmt.Errorf("sqldb: set subscription status: %w", err)
	}
	return nil
}

func (tx *Tx) recordConsent(ctx context.Context, c herald.Consent) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO consents (subscriber_id, newsletter_id, action, at, ip, user_agent, form, wording_version)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, c.SubscriberID, nullInt64(c.NewsletterID), c.Action, tx.now,
		truncate(c.IP, 64), truncate(c.UserAgent, 512), truncate(c.Form, 512), c.WordingVersion)
	if err != nil {
		return fmt.Errorf("sqldb: record consent: %w", err)
	}
	return nil
}

func (tx *Tx) mustSubscriber(ctx context.Context, id int64) error {
	var one int
	err := tx.QueryRowContext(ctx, `SELECT 1 FROM subscribers WHERE id = $1`, id).Scan(&one)
	return notFound(err, "Subscriber")
}

// queryRower is a *sql.DB or *sql.Tx (or Tx).
type queryRower interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

func isSuppressed(ctx context.Context, q queryRower, email string) (bool, error) {
	var one int
	err := q.QueryRowContext(ctx, `SELECT 1 FROM suppressions WHERE email_hash = $1`, EmailHash(email)).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	} else if err != nil {
		return false, fmt.Errorf("sqldb: check suppression: %w", err)
	}
	return true, nil
}

func scanInt64(r rowScanner) (int64, error) {
	var v int64
	return v, r.Scan(&v)
}

// truncate keeps client-supplied strings (user agents) to a sane size.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return strings.ToValidUTF8(s[:n], "")
}
