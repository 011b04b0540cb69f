package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/internal/bounce"
)

// BounceService stores bounces and complaints, acts on them, and keeps
// the suppression list and the operator alerts they raise.
type BounceService struct{ db *DB }

// NewBounceService returns the bounce service on db.
func NewBounceService(db *DB) *BounceService { return &BounceService{db: db} }

var _ bounce.Store = (*BounceService)(nil)

// bounceTarget is the ledger row, reader and newsletter an event is about.
type bounceTarget struct {
	sendID, editionID, subscriberID int64
	newsletter, email               string
}

const targetSelect = `SELECT s.id, s.edition_id, n.slug, s.subscriber_id, b.email
	FROM sends s JOIN editions e ON e.id = s.edition_id JOIN newsletters n ON n.id = e.newsletter_id
	JOIN subscribers b ON b.id = s.subscriber_id `

func scanTarget(r rowScanner) (bounceTarget, error) {
	var t bounceTarget
	return t, r.Scan(&t.sendID, &t.editionID, &t.newsletter, &t.subscriberID, &t.email)
}

// RecordBounce stores an event once per provider event id and applies it,
// in one transaction. See bounce.Store.
func (s *BounceService) RecordBounce(ctx context.Context, ev bounce.Event, rule bounce.SoftRule) (bounce.Result, error) {
	var res bounce.Result
	err := s.db.inTx(ctx, func(tx *Tx) error {
		t, err := tx.bounceTarget(ctx, ev)
		if err != nil {
			return err
		}
		res = bounce.Result{Kind: ev.Kind, Action: bounce.NoAction, SendID: t.sendID, EditionID: t.editionID,
			SubscriberID: t.subscriberID, Newsletter: t.newsletter}
		at, hash := ev.At, ""
		if at.IsZero() {
			at = tx.now
		}
		if t.email != "" {
			hash = EmailHash(t.email)
		}
		err = tx.QueryRowContext(ctx, `INSERT INTO bounce_events (provider, event_id, kind, status, diagnostic, action,
				send_id, edition_id, subscriber_id, email_hash, occurred_at, created_at)
			VALUES ($1, $2, $3, $4, $5, '', $6, $7, $8, $9, $10, $11)
			ON CONFLICT (provider, event_id) DO NOTHING RETURNING id`,
			ev.Provider, truncate(ev.ID, 300), string(ev.Kind), truncate(ev.Status, 20), scrub(ev.Diagnostic, t.email),
			nullInt64(t.sendID), nullInt64(t.editionID), nullInt64(t.subscriberID), hash, utc(at), tx.now).Scan(&res.EventID)
		if errors.Is(err, sql.ErrNoRows) {
			res.Duplicate = true
			return nil
		} else if err != nil {
			return fmt.Errorf("sqldb: record bounce: %w", err)
		}
		if err := tx.applyBounce(ctx, ev, t, hash, rule, &res); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE bounce_events SET action = $1 WHERE id = $2`, string(res.Action), res.EventID)
		return err
	})
	return res, err
}

// bounceTarget resolves an event to its ledger row: by send, else by
// edition and subscriber (our Message-ID), else by address, taking the
// reader's latest send. The address used is the reader's own, never the
// report's, once the row is known; a verified send whose row is gone, or
// whose reader no longer holds the address's link key, names no one.
func (tx *Tx) bounceTarget(ctx context.Context, ev bounce.Event) (bounceTarget, error) {
	var t bounceTarget
	var err error
	switch {
	case ev.SendID > 0:
		t, err = scanTarget(tx.QueryRowContext(ctx, targetSelect+`WHERE s.id = $1 AND b.link_key = $2`, ev.SendID, ev.LinkKey))
		if errors.Is(err, sql.ErrNoRows) {
			return bounceTarget{}, nil
		}
		return t, err
	case ev.EditionID > 0 && ev.SubscriberID > 0:
		t, err = scanTarget(tx.QueryRowContext(ctx, targetSelect+`WHERE s.edition_id = $1 AND s.subscriber_id = $2`,
			ev.EditionID, ev.SubscriberID))
		if !errors.Is(err, sql.ErrNoRows) {
			return t, err
		}
	}
	if ev.Email == "" {
		return bounceTarget{}, nil
	}
	t = bounceTarget{email: ev.Email}
	err = tx.QueryRowContext(ctx, `SELECT id, email FROM subscribers WHERE email_key = $1`, emailKey(ev.Email)).Scan(&t.subscriberID, &t.email)
	if errors.Is(err, sql.ErrNoRows) {
		return t, nil
	} else if err != nil {
		return t, fmt.Errorf("sqldb: bounce subscriber: %w", err)
	}
	latest, err := scanTarget(tx.QueryRowContext(ctx, targetSelect+`WHERE s.subscriber_id = $1 ORDER BY s.id DESC LIMIT 1`, t.subscriberID))
	if errors.Is(err, sql.ErrNoRows) {
		return t, nil
	}
	return latest, err
}

// applyBounce does what the event's kind asks and sets res.Action.
func (tx *Tx) applyBounce(ctx context.Context, ev bounce.Event, t bounceTarget, hash string, rule bounce.SoftRule, res *bounce.Result) error {
	source := fmt.Sprintf("%s event %d", ev.Provider, res.EventID)
	switch ev.Kind {
	case bounce.Hard:
		if hash == "" {
			return nil
		}
		res.Action = bounce.Suppressed
		return tx.suppressFor(ctx, hash, "hard bounce "+ev.Status, source, res.EventID)
	case bounce.Soft:
		if hash == "" {
			return nil
		}
		err := tx.QueryRowContext(ctx, `SELECT COUNT(DISTINCT edition_id) FROM bounce_events
			WHERE email_hash = $1 AND kind = 'soft' AND created_at >= $2`, hash, tx.now.Add(-rule.Window)).Scan(&res.SoftEditions)
		if err != nil {
			return fmt.Errorf("sqldb: count soft bounces: %w", err)
		}
		res.Action = bounce.Counted
		if res.SoftEditions < rule.Limit {
			return nil
		}
		res.Action = bounce.Suppressed
		reason := fmt.Sprintf("soft bounces on %d editions within %d days", res.SoftEditions, int(rule.Window.Hours()/24))
		return tx.suppressFor(ctx, hash, reason, source, res.EventID)
	case bounce.Policy:
		res.Action = bounce.Alerted
		msg := fmt.Sprintf("A mailbox provider refused our mail for our own authentication or policy (%s): %s. No reader was suppressed; check DKIM, SPF, DMARC and the relay.",
			ev.Status, truncate(scrub(ev.Diagnostic, t.email), 300))
		_, err := tx.ExecContext(ctx, `INSERT INTO alerts (kind, message, bounce_event_id, created_at) VALUES ('bounce policy', $1, $2, $3)`,
			msg, res.EventID, tx.now)
		if err != nil {
			return fmt.Errorf("sqldb: raise alert: %w", err)
		}
		return nil
	case bounce.Complaint:
		if hash == "" {
			return nil
		}
		res.Action = bounce.Suppressed
		if t.subscriberID > 0 {
			res.Action = bounce.Unsubscribed
			ids, err := queryAll(ctx, tx, `SELECT newsletter_id FROM subscriptions WHERE subscriber_id = $1`, scanInt64, t.subscriberID)
			if err != nil {
				return err
			}
			// The same path as SubscriberService.UnsubscribeAll, inside
			// this transaction, so a complaint is never half-applied.
			if err := tx.turnOff(ctx, t.subscriberID, ids, herald.Consent{Form: "complaint via " + ev.Provider}); err != nil {
				return err
			}
		}
		return tx.suppressFor(ctx, hash, "complaint", source, res.EventID)
	}
	return nil
}

// suppressFor puts an address on the suppression list, noting the event
// that put it there. An address already there keeps its first reason.
func (tx *Tx) suppressFor(ctx context.Context, hash, reason, source string, eventID int64) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO suppressions (email_hash, reason, created_at, source, source_event_id)
		VALUES ($1, $2, $3, $4, $5) ON CONFLICT (email_hash) DO NOTHING`, hash, truncate(reason, 200), tx.now, source, eventID)
	if err != nil {
		return fmt.Errorf("sqldb: suppress: %w", err)
	}
	return nil
}

// scrub takes the reader's address out of a remote server's words, so
// erasing the reader leaves none of it behind.
func scrub(text, email string) string {
	text = truncate(text, 1000)
	if email == "" {
		return text
	}
	return regexp.MustCompile(`(?i)`+regexp.QuoteMeta(email)).ReplaceAllLiteralString(text, "(recipient)")
}
