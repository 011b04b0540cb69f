package sqldb

import (
	"context"
	"fmt"
	"time"
)

// RateLimiter allows each key a number of requests per window, counted in
// the database so that every node shares one count. A counter is one row
// per key and window, raised in one statement: simultaneous requests on
// any node cannot both take the last one.
type RateLimiter struct {
	db     *DB
	name   string // prefixes keys: one table serves several limits
	limit  int
	window time.Duration
}

// NewRateLimiter allows limit requests per window for each key.
func NewRateLimiter(db *DB, name string, limit int, window time.Duration) *RateLimiter {
	return &RateLimiter{db: db, name: name, limit: max(limit, 1), window: window}
}

// Allow counts a request for key at now and reports whether it is within
// the limit.
func (l *RateLimiter) Allow(ctx context.Context, key string, now time.Time) (bool, error) {
	start := now.UTC().Truncate(l.window)
	var hits int
	err := l.db.inTx(ctx, func(tx *Tx) error {
		if err := tx.QueryRowContext(ctx, `INSERT INTO rate_hits (key, window_start, hits) VALUES ($1, $2, 1)
			ON CONFLICT (key, window_start) DO UPDATE SET hits = rate_hits.hits + 1 RETURNING hits`,
			l.name+":"+key, start).Scan(&hits); err != nil {
			return fmt.Errorf("sqldb: rate limit: %w", err)
		}
		if hits == 1 { // the first of a window sweeps the old ones
			_, err := tx.ExecContext(ctx, `DELETE FROM rate_hits WHERE window_start < $1`, start.Add(-l.window))
			return err
		}
		return nil
	})
	return err == nil && hits <= l.limit, err
}
