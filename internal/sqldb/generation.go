package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// ContentGeneration counts this process's writes to what the public site
// shows: stories, sections, topics, cities, authors, newsletters, the
// site's settings and sent editions. A cache of rendered pages is good
// while it stays the same. Writes by other processes (other nodes on one
// PostgreSQL database, the command line) don't move it: such caches must
// also expire on their own within a short time.
func (db *DB) ContentGeneration() uint64 { return db.content.Load() }

// contentChanged moves ContentGeneration on; writers call it after their
// write commits (and, to be safe, even when it failed).
func (db *DB) contentChanged() { db.content.Add(1) }

// NextScheduled returns when the next scheduled story goes live after now
// (stories are live from their publish time, job or not), or the zero time
// when none is scheduled: a cached page must not outlive it.
func (s *StoryService) NextScheduled(ctx context.Context, now time.Time) (time.Time, error) {
	// ORDER BY, not MIN(): SQLite's MIN() loses the column's type, and
	// with it the driver's time parsing.
	var next time.Time
	err := s.db.db.QueryRowContext(ctx, `SELECT published_at FROM stories
		WHERE status = 'scheduled' AND published_at > $1 ORDER BY published_at LIMIT 1`, utc(now)).Scan(&next)
	if errors.Is(err, sql.ErrNoRows) {
		return time.Time{}, nil
	} else if err != nil {
		return time.Time{}, fmt.Errorf("sqldb: next scheduled story: %w", err)
	}
	return next, nil
}
