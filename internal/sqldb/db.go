// Package sqldb is Herald's one storage implementation, on database/sql:
// modernc.org/sqlite embedded by default; the SQL is kept portable to
// PostgreSQL (DESIGN.md, "Portable SQL").
package sqldb

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/herald-news/herald"
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

//go:embed migrations
var migrations embed.FS

// sqlitePragmas are set on every connection. modernc ignores mattn-style
// parameters such as _journal_mode, so each pragma is spelled out.
const sqlitePragmas = "_pragma=busy_timeout(5000)&_pragma=journal_mode(WAL)&_pragma=foreign_keys(1)&_pragma=synchronous(NORMAL)&_txlock=immediate"

// DB is a handle on Herald's database.
type DB struct {
	db      *sql.DB
	dialect Dialect
	// writeMu queues this process's SQLite write transactions in Go:
	// SQLite would make them poll for its lock with sleeps, which costs
	// milliseconds each under load.
	writeMu sync.Mutex
	// Clock gives the "now" of every transaction; replace it in tests.
	Clock herald.Clock
	// content counts writes to what the public site shows (generation.go).
	content atomic.Uint64
}

// Open opens the database named by dsn: a postgres:// URL, or a SQLite
// file path (optionally prefixed "sqlite:" or "file:") whose folder is
// created if needed.
func Open(dsn string) (*DB, error) {
	if IsPostgres(dsn) {
		return openPostgres(dsn)
	}
	path := strings.TrimPrefix(strings.TrimPrefix(dsn, "sqlite:"), "file:")
	if i := strings.IndexByte(path, '?'); i >= 0 {
		path = path[:i]
	}
	if path == "" {
		return nil, herald.Errorf(herald.EINVALID, "database path is empty")
	}
	if dir := filepath.Dir(path); dir != "." {
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return nil, fmt.Errorf("sqldb: create database folder: %w", err)
		}
	}
	sqlDB, err := sql.Open("sqlite", "file:"+path+"?"+sqlitePragmas)
	if err != nil {
		return nil, fmt.Errorf("sqldb: open %s: %w", path, err)
	}
	// WAL lets readers run beside the one writer; more connections than
	// that only queue on the write lock.
	sqlDB.SetMaxOpenConns(8)
	sqlDB.SetMaxIdleConns(8) // reopening a connection re-runs its pragmas
	sqlDB.SetConnMaxIdleTime(5 * time.Minute)
	if err := sqlDB.Ping(); err != nil {
		sqlDB.Close()
		return nil, fmt.Errorf("sqldb: open %s: %w", path, err)
	}
	return &DB{db: sqlDB, dialect: SQLite, Clock: systemClock()}, nil
}

// Close closes the database.
func (db *DB) Close() error { return db.db.Close() }

// SQL returns the underlying pool, for the job queue's driver.
func (db *DB) SQL() *sql.DB { return db.db }

// Dialect tells which database engine is behind db.
func (db *DB) Dialect() Dialect { return db.dialect }

// Migrate brings the schema up to date.
func (db *DB) Migrate(ctx context.Context) error {
	provider, err := db.migrations()
	if err != nil {
		return err
	}
	if _, err := provider.Up(ctx); err != nil {
		return fmt.Errorf("sqldb: migrate: %w", err)
	}
	return nil
}

func (db *DB) migrations() (*goose.Provider, error) {
	dir, err := fs.Sub(migrations, "migrations/"+db.dialect.migrationDir())
	if err != nil {
		return nil, fmt.Errorf("sqldb: migrations: %w", err)
	}
	var opts []goose.ProviderOption
	if db.dialect == Postgres {
		// Nodes starting together take turns; the first migrates.
		locker, err := lock.NewPostgresSessionLocker()
		if err != nil {
			return nil, fmt.Errorf("sqldb: migration lock: %w", err)
		}
		opts = append(opts, goose.WithSessionLocker(locker))
	} else {
		opts = append(opts, goose.WithGoMigrations(sqliteIDsMigration()))
	}
	provider, err := goose.NewProvider(db.dialect.gooseDialect(), db.db, dir, opts...)
	if err != nil {
		return nil, fmt.Errorf("sqldb: migrations: %w", err)
	}
	return provider, nil
}

// Tx is a transaction with the one "now" that all its writes use.
type Tx struct {
	*sql.Tx
	db    *DB
	now   time.Time
	ended bool
}

// BeginTx starts a write transaction; Commit or Rollback ends it.
func (db *DB) BeginTx(ctx context.Context) (*Tx, error) {
	if db.dialect == SQLite {
		db.writeMu.Lock()
	}
	tx, err := db.db.BeginTx(ctx, nil)
	if err != nil {
		db.unlockWrites()
		return nil, fmt.Errorf("sqldb: begin: %w", err)
	}
	return &Tx{Tx: tx, db: db, now: db.Clock.Now().UTC().Truncate(time.Microsecond)}, nil
}

func (db *DB) unlockWrites() {
	if db.dialect == SQLite {
		db.writeMu.Unlock()
	}
}

// Commit commits the transaction and lets the next writer in.
func (tx *Tx) Commit() error {
	err := tx.Tx.Commit()
	tx.end()
	return err
}

// Rollback abandons the transaction (a no-op after Commit).
func (tx *Tx) Rollback() error {
	err := tx.Tx.Rollback()
	tx.end()
	return err
}

// end releases the write queue once, whichever of Commit and Rollback
// comes first.
func (tx *Tx) end() {
	if !tx.ended {
		tx.ended = true
		tx.db.unlockWrites()
	}
}

// Now is the transaction's time.
func (tx *Tx) Now() time.Time { return tx.now }

// inTx runs fn in a transaction, committing when it returns nil.
func (db *DB) inTx(ctx context.Context, fn func(tx *Tx) error) error {
	tx, err := db.BeginTx(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("sqldb: commit: %w", err)
	}
	return nil
}

// notFound passes nil through and turns sql.ErrNoRows into an ENOTFOUND error naming what was
// missing; other errors are wrapped with context.
func notFound(err error, what string) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, sql.ErrNoRows) {
		return herald.Errorf(herald.ENOTFOUND, "%s not found.", what)
	}
	return fmt.Errorf("sqldb: find %s: %w", strings.ToLower(what), err)
}

// utc prepares a time for binding: UTC, microsecond precision (what
// PostgreSQL keeps), and NULL when zero.
func utc(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UTC().Truncate(time.Microsecond)
}

// nullInt64 binds a zero ID as NULL.
func nullInt64(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

func systemClock() herald.Clock { return herald.SystemClock{} }
