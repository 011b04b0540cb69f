// Package sqldbtest opens real, migrated, throwaway databases for tests:
// SQLite in a temporary folder by default, or a fresh PostgreSQL database
// when HERALD_TEST_POSTGRES names a server
// (postgres://postgres@127.0.0.1:54329/postgres?sslmode=disable).
package sqldbtest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"github.com/herald-news/herald/internal/sqldb"
)

// PostgresEnv names the variable that switches tests to PostgreSQL.
const PostgresEnv = "HERALD_TEST_POSTGRES"

// MustOpen returns a migrated database that is closed and removed when the
// test ends.
func MustOpen(tb testing.TB) *sqldb.DB {
	tb.Helper()
	db, err := sqldb.Open(MustURL(tb))
	if err != nil {
		tb.Fatalf("open test database: %v", err)
	}
	tb.Cleanup(func() { db.Close() })
	if err := db.Migrate(context.Background()); err != nil {
		tb.Fatalf("migrate test database: %v", err)
	}
	return db
}

// MustURL returns the address of a new, empty database for one test: a
// SQLite file, or a PostgreSQL database created now and dropped after.
func MustURL(tb testing.TB) string {
	tb.Helper()
	server := os.Getenv(PostgresEnv)
	if server == "" {
		return filepath.Join(tb.TempDir(), "herald.db")
	}
	return mustPostgresDatabase(tb, server)
}

// Dialect names the engine the tests run on, for their logs.
func Dialect() string {
	if os.Getenv(PostgresEnv) != "" {
		return "postgres"
	}
	return "sqlite"
}

func mustPostgresDatabase(tb testing.TB, server string) string {
	tb.Helper()
	admin, err := sql.Open("pgx", server)
	if err != nil {
		tb.Fatal(err)
	}
	defer admin.Close()
	suffix := make([]byte, 6)
	rand.Read(suffix)
	name := "herald_test_" + hex.EncodeToString(suffix)
	if _, err := admin.Exec(`CREATE DATABASE ` + name); err != nil {
		tb.Fatalf("create test database: %v", err)
	}
	tb.Cleanup(func() {
		drop, err := sql.Open("pgx", server)
		if err != nil {
			return
		}
		defer drop.Close()
		drop.Exec(`DROP DATABASE IF EXISTS ` + name + ` WITH (FORCE)`)
	})
	u, err := url.Parse(server)
	if err != nil {
		tb.Fatal(err)
	}
	u.Path = "/" + name
	return u.String()
}

// ServerEnv names a PostgreSQL server for tests that need PostgreSQL
// itself (copying into it), whichever engine the other tests use.
const ServerEnv = "HERALD_POSTGRES_SERVER"

// MustPostgresURL returns a new, empty PostgreSQL database for one test.
// Without a server the test is skipped, except in CI, where it fails.
func MustPostgresURL(tb testing.TB) string {
	tb.Helper()
	server := os.Getenv(PostgresEnv)
	if server == "" {
		server = os.Getenv(ServerEnv)
	}
	if server == "" {
		if os.Getenv("CI") == "true" {
			tb.Fatalf("no PostgreSQL server: .ci/run must set %s", ServerEnv)
		}
		tb.Skipf("no PostgreSQL server (set %s); skipped outside CI", ServerEnv)
	}
	return mustPostgresDatabase(tb, server)
}
