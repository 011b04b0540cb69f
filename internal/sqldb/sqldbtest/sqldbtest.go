// Package sqldbtest opens real, migrated, throwaway databases for tests.
package sqldbtest

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/herald-news/herald/internal/sqldb"
)

// MustOpen returns a migrated SQLite database in a temporary folder that is
// closed and removed when the test ends.
func MustOpen(tb testing.TB) *sqldb.DB {
	tb.Helper()
	db, err := sqldb.Open(filepath.Join(tb.TempDir(), "herald.db"))
	if err != nil {
		tb.Fatalf("open test database: %v", err)
	}
	tb.Cleanup(func() { db.Close() })
	if err := db.Migrate(context.Background()); err != nil {
		tb.Fatalf("migrate test database: %v", err)
	}
	return db
}
