package bench

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"path/filepath"

	"github.com/herald-news/herald/internal/sqldb"
)

// store is the fresh database of one phase and its data folder.
type store struct {
	dir      string // -data-dir: the SQLite file (by default) and media
	url      string // -database-url when on PostgreSQL; "" for SQLite in dir
	server   string // the PostgreSQL server the database was created on
	database string
}

// flags are the configuration flags that point a child at the store.
func (s *store) flags() []string {
	if s.url == "" {
		return []string{"-data-dir", s.dir}
	}
	return []string{"-data-dir", s.dir, "-database-url", s.url}
}

// dsn is what sqldb.Open takes to reach the store.
func (s *store) dsn() string {
	if s.url == "" {
		return filepath.Join(s.dir, "herald.db")
	}
	return s.url
}

// freshStore makes an empty database for one phase: a new folder for
// SQLite, plus a new database on the PostgreSQL server when one is given.
func (r *runner) freshStore(ctx context.Context, name string) (*store, error) {
	r.seq++
	dir := filepath.Join(r.tmp, fmt.Sprintf("%03d-%s", r.seq, name))
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	s := &store{dir: dir}
	r.stores = append(r.stores, s)
	if r.opts.PostgresURL == "" {
		return s, nil
	}
	suffix := make([]byte, 6)
	rand.Read(suffix)
	s.server, s.database = r.opts.PostgresURL, "herald_bench_"+hex.EncodeToString(suffix)
	if err := pgExec(ctx, s.server, `CREATE DATABASE `+s.database); err != nil {
		return nil, fmt.Errorf("create database: %w", err)
	}
	u, err := url.Parse(s.server)
	if err != nil {
		return nil, err
	}
	u.Path = "/" + s.database
	s.url = u.String()
	return s, nil
}

// remove deletes the store's folder and database as soon as its phase is
// done (a 1,000,000-reader ledger takes a lot of disk); Run removes any
// left behind by a failed phase. Removing twice is harmless.
func (s *store) remove(ctx context.Context) error {
	err := os.RemoveAll(s.dir)
	if s.database != "" {
		if derr := pgExec(ctx, s.server, `DROP DATABASE IF EXISTS `+s.database+` WITH (FORCE)`); derr != nil && err == nil {
			err = derr
		}
		s.database = ""
	}
	return err
}

// pgExec runs one statement on the PostgreSQL server.
func pgExec(ctx context.Context, server, stmt string) error {
	db, err := sql.Open("pgx", server)
	if err != nil {
		return err
	}
	defer db.Close()
	_, err = db.ExecContext(ctx, stmt)
	return err
}

// queryStore opens the store after its child has stopped and runs fn on
// it.
func queryStore(s *store, fn func(db *sql.DB) error) error {
	db, err := sqldb.Open(s.dsn())
	if err != nil {
		return err
	}
	defer db.Close()
	return fn(db.SQL())
}
