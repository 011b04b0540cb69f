package sqldb

import (
	"context"
	"fmt"
	"slices"
	"strings"
)

// copyTable is one table herald db copy moves: its name and its primary
// key columns (copy order and resume point).
type copyTable struct {
	name  string
	key   []string
	intID bool // keyed by an integer id: copied in id order, resumed past the highest
}

// notCopied are tables the copy leaves behind on purpose, with why. Every
// other table of the schema is copied, so a table added later is copied
// without anyone remembering to list it.
var notCopied = map[string]string{
	"story_search":     "the search index: the target builds its own as stories arrive",
	"db_copy":          "the copy's own progress mark, kept by the target only",
	"goose_db_version": "the schema version: the target is migrated first",
	"rate_hits":        "request counters of the current hour: they start afresh",
}

// LeftBehind tells whether db copy leaves a table alone, and why: Herald's
// list, the job queue's tables (pending jobs are re-created by the nodes
// that start on the target) and each engine's own.
func LeftBehind(name string) (why string, ok bool) {
	if why, ok := notCopied[name]; ok {
		return why, true
	}
	switch {
	case strings.HasPrefix(name, "river_"):
		return "the job queue: nodes on the target re-create pending jobs", true
	case strings.HasPrefix(name, "sqlite_"), strings.HasPrefix(name, "story_search_"):
		return "SQLite's own", true
	}
	return "", false
}

// copyTables reads the tables to copy from a SQLite schema, parents before
// children so that every foreign key holds as rows arrive.
func (db *DB) copyTables(ctx context.Context) ([]copyTable, error) {
	if db.dialect != SQLite {
		return nil, fmt.Errorf("sqldb: copy: the source must be a SQLite database")
	}
	var names []string
	err := eachRow(ctx, db.db, `SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`, func(r rowScanner) error {
		var name string
		err := r.Scan(&name)
		if _, skip := LeftBehind(name); !skip {
			names = append(names, name)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	parents := map[string][]string{}
	keys := map[string][]string{}
	intID := map[string]bool{}
	for _, name := range names {
		err := eachRow(ctx, db.db, `SELECT DISTINCT "table" FROM pragma_foreign_key_list($1)`, func(r rowScanner) error {
			var parent string
			err := r.Scan(&parent)
			if parent != name {
				parents[name] = append(parents[name], parent)
			}
			return err
		}, name)
		if err != nil {
			return nil, err
		}
		var types []string
		err = eachRow(ctx, db.db, `SELECT name, upper(type) FROM pragma_table_info($1) WHERE pk > 0 ORDER BY pk`, func(r rowScanner) error {
			var col, typ string
			err := r.Scan(&col, &typ)
			keys[name] = append(keys[name], col)
			types = append(types, typ)
			return err
		}, name)
		intID[name] = len(keys[name]) == 1 && keys[name][0] == "id" && types[0] == "INTEGER"
		if err != nil {
			return nil, err
		}
		if len(keys[name]) == 0 {
			return nil, fmt.Errorf("sqldb: copy: table %s has no primary key, so a copy could not continue where it stopped", name)
		}
	}
	// Depth-first: a table comes after every table it refers to.
	var out []copyTable
	done := map[string]bool{}
	var visit func(name string, path []string) error
	visit = func(name string, path []string) error {
		if done[name] {
			return nil
		}
		if slices.Contains(path, name) {
			return fmt.Errorf("sqldb: copy: foreign keys go round in a circle: %s", strings.Join(append(path, name), " -> "))
		}
		for _, p := range parents[name] {
			if err := visit(p, append(path, name)); err != nil {
				return err
			}
		}
		done[name] = true
		out = append(out, copyTable{name, keys[name], intID[name]})
		return nil
	}
	for _, name := range names {
		if err := visit(name, nil); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// TablesToCopy names the tables herald db copy moves from a SQLite
// database, in copy order.
func (db *DB) TablesToCopy(ctx context.Context) ([]string, error) {
	tables, err := db.copyTables(ctx)
	names := make([]string, len(tables))
	for i, t := range tables {
		names[i] = t.name
	}
	return names, err
}

// Tables names every table of the schema that herald db copy concerns
// itself with (the job queue's and the engine's own aside), whichever the
// engine: tests compare it with TablesToCopy.
func (db *DB) Tables(ctx context.Context) ([]string, error) {
	query := `SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`
	if db.dialect == Postgres {
		query = `SELECT table_name FROM information_schema.tables
			WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name`
	}
	var out []string
	err := eachRow(ctx, db.db, query, func(r rowScanner) error {
		var name string
		err := r.Scan(&name)
		if !strings.HasPrefix(name, "river_") && !strings.HasPrefix(name, "sqlite_") && name != "goose_db_version" {
			out = append(out, name)
		}
		return err
	})
	return out, err
}
