package sqldb

import (
	"context"
	"fmt"
	"time"

	"github.com/herald-news/herald"
)

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// HoldEdition holds a draft of an automatic newsletter (it will not go
// out at its slot) or lets it go automatically again. Returns ECONFLICT
// when the edition is no longer a draft.
func (s *EditionService) HoldEdition(ctx context.Context, id int64, held bool) error {
	res, err := s.db.db.ExecContext(ctx, `UPDATE editions SET held = $1, updated_at = $2 WHERE id = $3 AND status = 'draft'`,
		boolInt(held), utc(s.db.Clock.Now()), id)
	if err != nil {
		return fmt.Errorf("sqldb: hold edition: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return herald.Errorf(herald.ECONFLICT, "Only a draft can be held or let go automatically.")
	}
	return nil
}

// MarkMissed records that a draft's slot passed with nobody's yes. It
// reports false when the edition was not a draft or was already marked.
func (s *EditionService) MarkMissed(ctx context.Context, id int64, slot time.Time) (bool, error) {
	res, err := s.db.db.ExecContext(ctx, `UPDATE editions SET missed_at = $1, updated_at = $2
		WHERE id = $3 AND status = 'draft' AND missed_at IS NULL`, utc(slot), utc(s.db.Clock.Now()), id)
	if err != nil {
		return false, fmt.Errorf("sqldb: mark missed: %w", err)
	}
	n, _ := res.RowsAffected()
	return n > 0, nil
}

// BlockEdition records why an edition could not go out at its time and
// returns it to draft, so that nothing goes out later by itself. It
// reports false when the edition had already started or was blocked.
func (s *EditionService) BlockEdition(ctx context.Context, id int64, reason string) (bool, error) {
	res, err := s.db.db.ExecContext(ctx, `UPDATE editions SET status = 'draft', scheduled_at = NULL, blocked = $1, updated_at = $2
		WHERE id = $3 AND status IN ('draft', 'scheduled') AND blocked = ''`, reason, utc(s.db.Clock.Now()), id)
	if err != nil {
		return false, fmt.Errorf("sqldb: block edition: %w", err)
	}
	n, _ := res.RowsAffected()
	return n > 0, nil
}
