package sqldb

import (
	"context"
	"fmt"
	"time"

	"github.com/herald-news/herald"
)

// StartSend writes the ledger, one queued row per active subscriber of the
// newsletter, and marks the edition sending, in one transaction. It
// returns how many rows it wrote. Only one caller wins: the others get
// ECONFLICT, so an edition is never started twice.
func (s *EditionService) StartSend(ctx context.Context, editionID int64) (int, error) {
	var rows int
	err := s.db.inTx(ctx, func(tx *Tx) error {
		var newsletterID int64
		res := tx.QueryRowContext(ctx, `UPDATE editions SET status = 'sending', started_at = $1, updated_at = $1, blocked = ''
			WHERE id = $2 AND status IN ('draft', 'scheduled') RETURNING newsletter_id`, tx.now, editionID)
		if err := res.Scan(&newsletterID); err != nil {
			if herald.ErrorCode(notFound(err, "Edition")) == herald.ENOTFOUND {
				return herald.Errorf(herald.ECONFLICT, "This edition is not a draft or scheduled: it was sent, is sending or was cancelled.")
			}
			return fmt.Errorf("sqldb: start send: %w", err)
		}
		d := s.db.dialect
		r, err := tx.ExecContext(ctx, `INSERT INTO sends (edition_id, subscriber_id, status, attempts, next_attempt_at, updated_at)
			SELECT `+d.id(1)+`, subscriber_id, 'queued', 0, `+d.ts(2)+`, `+d.ts(2)+` FROM subscriptions
			WHERE newsletter_id = $3 AND status = 'active'
			ON CONFLICT (edition_id, subscriber_id) DO NOTHING`, editionID, tx.now, newsletterID)
		if err != nil {
			return fmt.Errorf("sqldb: write ledger: %w", err)
		}
		n, err := r.RowsAffected()
		rows = int(n)
		return err
	})
	return rows, err
}

// editionMoves are the status changes editors may make, from → to.
var editionMoves = map[herald.EditionStatus][]herald.EditionStatus{
	herald.EditionScheduled: {herald.EditionDraft},
	herald.EditionDraft:     {herald.EditionScheduled},
	herald.EditionPaused:    {herald.EditionSending},
	herald.EditionSending:   {herald.EditionPaused},
	herald.EditionCancelled: {herald.EditionDraft, herald.EditionScheduled, herald.EditionSending, herald.EditionPaused},
}

// SetEditionStatus moves an edition: schedule a draft (at must be in the
// future), unschedule, pause, resume or cancel. Starting a send is
// StartSend's.
func (s *EditionService) SetEditionStatus(ctx context.Context, id int64, to herald.EditionStatus, at time.Time) error {
	from, ok := editionMoves[to]
	if !ok {
		return herald.Errorf(herald.EINVALID, "An edition cannot be set to %q.", to)
	}
	return s.db.inTx(ctx, func(tx *Tx) error {
		if to == herald.EditionScheduled && !at.After(tx.now) {
			return herald.Errorf(herald.EINVALID, "Pick a time in the future to schedule the edition.")
		}
		var current string
		if err := tx.QueryRowContext(ctx, `SELECT status FROM editions WHERE id = $1`, id).Scan(&current); err != nil {
			return notFound(err, "Edition")
		}
		allowed := false
		for _, f := range from {
			allowed = allowed || string(f) == current
		}
		if !allowed {
			return herald.Errorf(herald.ECONFLICT, "A %s edition cannot become %s.", current, to)
		}
		_, err := tx.ExecContext(ctx, `UPDATE editions SET status = $1, scheduled_at = $2, updated_at = $3,
			blocked = CASE WHEN $1 = 'scheduled' THEN '' ELSE blocked END WHERE id = $4`,
			string(to), utc(at), tx.now, id)
		if err != nil {
			return fmt.Errorf("sqldb: set edition status: %w", err)
		}
		return nil
	})
}

// EditionsInStatus lists editions in one status, oldest first.
func (s *EditionService) EditionsInStatus(ctx context.Context, status herald.EditionStatus) ([]*herald.Edition, error) {
	eds, err := queryAll(ctx, s.db.db, `SELECT `+editionColumns+` FROM editions e WHERE e.status = $1 ORDER BY e.id`, scanEdition, string(status))
	if err != nil {
		return nil, fmt.Errorf("sqldb: editions in status: %w", err)
	}
	return eds, s.withNewsletter(ctx, eds)
}

// DueEditions lists scheduled editions whose time has come.
func (s *EditionService) DueEditions(ctx context.Context, now time.Time) ([]*herald.Edition, error) {
	eds, err := queryAll(ctx, s.db.db, `SELECT `+editionColumns+` FROM editions e
		WHERE e.status = 'scheduled' AND e.scheduled_at <= $1 ORDER BY e.scheduled_at`, scanEdition, utc(now))
	if err != nil {
		return nil, fmt.Errorf("sqldb: due editions: %w", err)
	}
	return eds, s.withNewsletter(ctx, eds)
}
