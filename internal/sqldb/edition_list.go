package sqldb

import (
	"context"
	"fmt"

	"github.com/herald-news/herald"
)

// ListEditions returns up to limit editions of a newsletter (zero: every
// newsletter's) with an ID below before (zero: from the newest), newest
// first by ID, for keyset pagination.
func (s *EditionService) ListEditions(ctx context.Context, newsletterID, before int64, limit int) ([]*herald.Edition, error) {
	if limit <= 0 || limit > 500 {
		limit = 50
	}
	if before <= 0 {
		before = 1<<63 - 1
	}
	eds, err := queryAll(ctx, s.db.db, `SELECT `+editionColumns+` FROM editions e
		WHERE ($1 = 0 OR e.newsletter_id = $1) AND e.id < $2 ORDER BY e.id DESC LIMIT $3`,
		scanEdition, newsletterID, before, limit)
	if err != nil {
		return nil, fmt.Errorf("sqldb: list editions: %w", err)
	}
	return eds, s.withNewsletter(ctx, eds)
}
