package sqldb

import (
	"context"
	"fmt"
	"time"
)

// SubscriberImports keeps the state of imports started in the admin (an
// opaque JSON document the admin writes), so that every web node can show
// an import's progress and report.
type SubscriberImports struct{ db *DB }

// NewSubscriberImports returns the import states stored in db.
func NewSubscriberImports(db *DB) *SubscriberImports { return &SubscriberImports{db: db} }

// Save stores an import's state, replacing the one before.
func (s *SubscriberImports) Save(ctx context.Context, id string, state []byte) error {
	return s.db.inTx(ctx, func(tx *Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO subscriber_imports (id, state, created_at, updated_at) VALUES ($1, $2, $3, $3)
			ON CONFLICT (id) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at`, id, string(state), tx.now)
		if err != nil {
			return fmt.Errorf("sqldb: save import state: %w", err)
		}
		return nil
	})
}

// Find returns an import's state; ENOTFOUND when there is none.
func (s *SubscriberImports) Find(ctx context.Context, id string) ([]byte, error) {
	var state string
	err := s.db.db.QueryRowContext(ctx, `SELECT state FROM subscriber_imports WHERE id = $1`, id).Scan(&state)
	return []byte(state), notFound(err, "Import")
}

// Forget removes imports whose state has not changed since before.
func (s *SubscriberImports) Forget(ctx context.Context, before time.Time) error {
	return s.db.inTx(ctx, func(tx *Tx) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM subscriber_imports WHERE updated_at < $1`, utc(before))
		return err
	})
}
