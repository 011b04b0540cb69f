package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/internal/bounce"
)

// Suppressions lists the suppression list, newest first. Each entry's
// address is filled in when a subscriber still has it; erased readers
// stay a hash.
func (s *BounceService) Suppressions(ctx context.Context) ([]bounce.Suppression, error) {
	list, err := queryAll(ctx, s.db.db, `SELECT email_hash, reason, source, COALESCE(source_event_id, 0), created_at
		FROM suppressions ORDER BY created_at DESC, email_hash`, func(r rowScanner) (bounce.Suppression, error) {
		var e bounce.Suppression
		return e, r.Scan(&e.EmailHash, &e.Reason, &e.Source, &e.EventID, &e.CreatedAt)
	})
	if err != nil || len(list) == 0 {
		return list, err
	}
	// Only hashes are stored: hash every address we still have to find
	// each entry's. A scan of the subscribers, fine for an operator's
	// command.
	idx := make(map[string]int, len(list))
	for i, e := range list {
		idx[e.EmailHash] = i
	}
	err = eachRow(ctx, s.db.db, `SELECT email FROM subscribers`, func(r rowScanner) error {
		var email string
		if err := r.Scan(&email); err != nil {
			return err
		}
		if i, ok := idx[EmailHash(email)]; ok {
			list[i].Email = email
		}
		return nil
	})
	return list, err
}

// erasedReason is the reason SubscriberService.Delete records.
const erasedReason = "erased on request"

// LiftSuppression takes an address off the suppression list and records
// who did so and why. The reader's subscriptions stay as they are; the
// address may now sign up or be imported again. Returns ENOTFOUND when
// the address is not suppressed, EINVALID without a reason, and
// EFORBIDDEN for a reader erased on request.
func (s *BounceService) LiftSuppression(ctx context.Context, email, reason, by string) (bounce.Suppression, error) {
	e := bounce.Suppression{Email: email, EmailHash: EmailHash(email)}
	if strings.TrimSpace(reason) == "" {
		return e, herald.Errorf(herald.EINVALID, "Say why %s may be mailed again (--reason).", email)
	}
	err := s.db.inTx(ctx, func(tx *Tx) error {
		err := tx.QueryRowContext(ctx, `SELECT reason, source, COALESCE(source_event_id, 0), created_at FROM suppressions WHERE email_hash = $1`,
			e.EmailHash).Scan(&e.Reason, &e.Source, &e.EventID, &e.CreatedAt)
		if errors.Is(err, sql.ErrNoRows) {
			return herald.Errorf(herald.ENOTFOUND, "%s is not on the suppression list.", email)
		} else if err != nil {
			return fmt.Errorf("sqldb: find suppression: %w", err)
		}
		if e.Reason == erasedReason {
			return herald.Errorf(herald.EFORBIDDEN, "%s was erased at the reader's request; that suppression cannot be lifted.", email)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM suppressions WHERE email_hash = $1`, e.EmailHash); err != nil {
			return fmt.Errorf("sqldb: lift suppression: %w", err)
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO suppression_lifts (email_hash, reason, source, suppressed_at, lifted_by, lift_reason, lifted_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7)`, e.EmailHash, e.Reason, e.Source, utc(e.CreatedAt), truncate(by, 200), truncate(reason, 1000), tx.now)
		if err != nil {
			return fmt.Errorf("sqldb: record lift: %w", err)
		}
		return nil
	})
	return e, err
}

// Alerts lists operator alerts, newest first.
func (s *BounceService) Alerts(ctx context.Context, limit int) ([]bounce.Alert, error) {
	return queryAll(ctx, s.db.db, `SELECT id, kind, message, COALESCE(bounce_event_id, 0), created_at, resolved_at
		FROM alerts ORDER BY id DESC LIMIT $1`, func(r rowScanner) (bounce.Alert, error) {
		var a bounce.Alert
		var resolved sql.NullTime
		err := r.Scan(&a.ID, &a.Kind, &a.Message, &a.EventID, &a.CreatedAt, &resolved)
		a.ResolvedAt = resolved.Time
		return a, err
	}, limit)
}

// OpenAlerts counts the alerts not yet resolved.
func (s *BounceService) OpenAlerts(ctx context.Context) (int, error) {
	var n int
	if err := s.db.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM alerts WHERE resolved_at IS NULL`).Scan(&n); err != nil {
		return 0, fmt.Errorf("sqldb: open alerts: %w", err)
	}
	return n, nil
}

// ResolveAlert marks an alert dealt with. Returns ENOTFOUND for an alert
// that does not exist or is resolved already.
func (s *BounceService) ResolveAlert(ctx context.Context, id int64) error {
	res, err := s.db.db.ExecContext(ctx, `UPDATE alerts SET resolved_at = $1 WHERE id = $2 AND resolved_at IS NULL`,
		utc(s.db.Clock.Now()), id)
	if err != nil {
		return fmt.Errorf("sqldb: resolve alert: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return herald.Errorf(herald.ENOTFOUND, "There is no open alert %d.", id)
	}
	return nil
}

// SubscriberBounces lists a reader's bounces and complaints, newest first.
func (s *BounceService) SubscriberBounces(ctx context.Context, subscriberID int64, limit int) ([]bounce.StoredEvent, error) {
	return queryAll(ctx, s.db.db, `SELECT id, provider, kind, status, diagnostic, action, COALESCE(edition_id, 0), created_at
		FROM bounce_events WHERE subscriber_id = $1 ORDER BY id DESC LIMIT $2`, func(r rowScanner) (bounce.StoredEvent, error) {
		var e bounce.StoredEvent
		var kind, action string
		err := r.Scan(&e.ID, &e.Provider, &kind, &e.Status, &e.Diagnostic, &action, &e.EditionID, &e.CreatedAt)
		e.Kind, e.Action = bounce.Kind(kind), bounce.Action(action)
		return e, err
	}, subscriberID, limit)
}

// rateSelect counts, per edition: messages delivered (accepted by the
// relay, or refused at once as a hard bounce: the sender's ledger rows
// it suppressed, whose reply is the relay's and not "not sent: …"),
// bounces (those refusals, and rows with a later hard or soft bounce) and
// complaints.
const rateSelect = `SELECT e.id, n.slug,
	(SELECT COUNT(*) FROM sends s WHERE s.edition_id = e.id
		AND (s.status = 'accepted' OR s.status = 'suppressed' AND s.reply NOT LIKE 'not sent:%')),
	(SELECT COUNT(*) FROM sends s WHERE s.edition_id = e.id AND s.status = 'suppressed' AND s.reply NOT LIKE 'not sent:%')
		+ (SELECT COUNT(DISTINCT b.send_id) FROM bounce_events b WHERE b.edition_id = e.id AND b.kind IN ('hard', 'soft')
			AND b.provider <> 'smtp'), -- refusals during the send: counted as the suppressed rows above
	(SELECT COUNT(DISTINCT b.send_id) FROM bounce_events b WHERE b.edition_id = e.id AND b.kind = 'complaint')
	FROM editions e JOIN newsletters n ON n.id = e.newsletter_id `

func scanRate(r rowScanner) (bounce.EditionRate, error) {
	var e bounce.EditionRate
	return e, r.Scan(&e.EditionID, &e.Newsletter, &e.Delivered, &e.Bounces, &e.Complaints)
}

// EditionRates returns the delivery, bounce and complaint counts of the
// editions started since since.
func (s *BounceService) EditionRates(ctx context.Context, since time.Time) ([]bounce.EditionRate, error) {
	return queryAll(ctx, s.db.db, rateSelect+`WHERE e.started_at >= $1 ORDER BY e.id`, scanRate, utc(since))
}

// EditionFeedback returns an edition's delivered messages, bounces and
// complaints, for its progress report.
func (s *EditionService) EditionFeedback(ctx context.Context, editionID int64) (delivered, bounces, complaints int, err error) {
	r, err := scanRate(s.db.db.QueryRowContext(ctx, rateSelect+`WHERE e.id = $1`, editionID))
	if err != nil {
		return 0, 0, 0, notFound(err, "Edition")
	}
	return r.Delivered, r.Bounces, r.Complaints, nil
}

// UseWebhookToken records that a signed webhook token came with a body
// of the given digest. It reports false when the token came before with
// another body: a captured signature replayed on forged content. The
// same body again (a provider's retry) is fine. Tokens older than keep
// are forgotten: their signatures have expired.
func (s *BounceService) UseWebhookToken(ctx context.Context, provider, token, digest string, keep time.Duration) (bool, error) {
	var stored string
	err := s.db.inTx(ctx, func(tx *Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM webhook_tokens WHERE created_at < $1`, tx.now.Add(-keep)); err != nil {
			return fmt.Errorf("sqldb: forget webhook tokens: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO webhook_tokens (provider, token, digest, created_at) VALUES ($1, $2, $3, $4)
			ON CONFLICT (provider, token) DO NOTHING`, provider, token, digest, tx.now); err != nil {
			return fmt.Errorf("sqldb: webhook token: %w", err)
		}
		return tx.QueryRowContext(ctx, `SELECT digest FROM webhook_tokens WHERE provider = $1 AND token = $2`, provider, token).Scan(&stored)
	})
	return err == nil && stored == digest, err
}
