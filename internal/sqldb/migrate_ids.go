package sqldb

import (
	"context"
	"database/sql"
	"fmt"
	"regexp"
	"strings"

	"github.com/pressly/goose/v3"
)

// Migration 00011 on SQLite. An INTEGER PRIMARY KEY without AUTOINCREMENT
// hands the id of a deleted newest row to the next insert, so an erased
// reader's links, a deleted story's admin URL or a removed send's VERP
// address would name whoever came next. SQLite cannot add AUTOINCREMENT to
// a table, so each table is rebuilt with it, rows, indexes and triggers
// kept, ids unchanged. The same step gives subscribers their link key
// (tokens.go): PostgreSQL does it in 00011_link_keys.sql, and its identity
// columns never reused an id.
const idsMigrationVersion = 11

// plainIntegerKey finds a rowid key declared without AUTOINCREMENT.
var plainIntegerKey = regexp.MustCompile(`(?i)\bid(\s+)INTEGER PRIMARY KEY\b(\s*)(,|\n|\))`)

// linkKeyColumn is added to subscribers. Rows from before the migration
// keep an empty key, which only the links mailed before it carry.
const linkKeyColumn = "    link_key        TEXT NOT NULL DEFAULT (lower(hex(randomblob(5))))"

func sqliteIDsMigration() *goose.Migration {
	return goose.NewGoMigration(idsMigrationVersion,
		&goose.GoFunc{RunDB: neverReuseIDs},
		&goose.GoFunc{RunDB: func(context.Context, *sql.DB) error { return nil }})
}

// neverReuseIDs rebuilds every table keyed by a plain INTEGER PRIMARY KEY,
// in one transaction on one connection with foreign keys off (the SQLite
// documentation's procedure for changing a table), checking the foreign
// keys before it commits.
func neverReuseIDs(ctx context.Context, pool *sql.DB) (err error) {
	conn, err := pool.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "PRAGMA foreign_keys = OFF"); err != nil {
		return err
	}
	defer func() {
		if _, onErr := conn.ExecContext(context.WithoutCancel(ctx), "PRAGMA foreign_keys = ON"); onErr != nil && err == nil {
			err = onErr
		}
	}()
	// The old behaviour of RENAME leaves triggers and foreign keys of other
	// tables naming the table as they are, which is what a rebuild wants.
	if _, err := conn.ExecContext(ctx, "PRAGMA legacy_alter_table = ON"); err != nil {
		return err
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), "PRAGMA legacy_alter_table = OFF")

	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	tables, err := plainKeyTables(ctx, tx)
	if err != nil {
		return err
	}
	for _, t := range tables {
		if err := rebuildWithAutoincrement(ctx, tx, t); err != nil {
			return fmt.Errorf("rebuild %s: %w", t.name, err)
		}
	}
	rows, err := tx.QueryContext(ctx, "PRAGMA foreign_key_check")
	if err != nil {
		return err
	}
	broken := rows.Next()
	rows.Close()
	if broken {
		return fmt.Errorf("rebuilding tables for AUTOINCREMENT broke a foreign key; nothing was changed")
	}
	return tx.Commit()
}

type schemaTable struct {
	name, sql string
	extras    []string // its indexes and triggers, to create again
}

func plainKeyTables(ctx context.Context, tx *sql.Tx) ([]schemaTable, error) {
	// Ordinary tables only: the full-text index's shadow tables are its own.
	rows, err := tx.QueryContext(ctx, `SELECT s.name, s.sql FROM sqlite_schema s
		JOIN pragma_table_list l ON l.name = s.name AND l.schema = 'main' AND l.type = 'table'
		WHERE s.type = 'table' AND s.name NOT LIKE 'sqlite_%' AND s.name NOT LIKE 'goose_%' ORDER BY s.name`)
	if err != nil {
		return nil, err
	}
	var tables []schemaTable
	for rows.Next() {
		var t schemaTable
		if err := rows.Scan(&t.name, &t.sql); err != nil {
			rows.Close()
			return nil, err
		}
		if plainIntegerKey.MatchString(t.sql) && !strings.Contains(t.sql, "CHECK (id = 1)") {
			tables = append(tables, t)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i := range tables {
		extras, err := tx.QueryContext(ctx, `SELECT sql FROM sqlite_schema
			WHERE tbl_name = ? AND type IN ('index', 'trigger') AND sql IS NOT NULL`, tables[i].name)
		if err != nil {
			return nil, err
		}
		for extras.Next() {
			var s string
			if err := extras.Scan(&s); err != nil {
				extras.Close()
				return nil, err
			}
			tables[i].extras = append(tables[i].extras, s)
		}
		extras.Close()
	}
	return tables, nil
}

func rebuildWithAutoincrement(ctx context.Context, tx *sql.Tx, t schemaTable) error {
	cols, err := columnNames(ctx, tx, t.name)
	if err != nil {
		return err
	}
	tmp := t.name + "__rebuild"
	def := plainIntegerKey.ReplaceAllString(t.sql, "id${1}INTEGER PRIMARY KEY AUTOINCREMENT${2}${3}")
	if t.name == "subscribers" {
		end := strings.LastIndexByte(def, ')')
		def = strings.TrimRight(def[:end], " \n") + ",\n" + linkKeyColumn + "\n)"
	}
	head := regexp.MustCompile(`^(?i)CREATE TABLE\s+"?` + regexp.QuoteMeta(t.name) + `"?`)
	if !head.MatchString(def) {
		return fmt.Errorf("unexpected definition %q", firstLine(def))
	}
	def = head.ReplaceAllLiteralString(def, "CREATE TABLE "+quoteName(tmp))
	list := strings.Join(cols, ", ")
	steps := []string{
		def,
		"INSERT INTO " + tmp + " (" + list + ") SELECT " + list + " FROM " + t.name,
		"DROP TABLE " + t.name,
		"ALTER TABLE " + tmp + " RENAME TO " + t.name,
	}
	if t.name == "subscribers" {
		steps = append(steps, "UPDATE subscribers SET link_key = ''")
	}
	steps = append(steps, t.extras...)
	for _, s := range steps {
		if _, err := tx.ExecContext(ctx, s); err != nil {
			return fmt.Errorf("%s: %w", firstLine(s), err)
		}
	}
	return nil
}

func columnNames(ctx context.Context, tx *sql.Tx, table string) ([]string, error) {
	rows, err := tx.QueryContext(ctx, "SELECT name FROM pragma_table_info(?) ORDER BY cid", table)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var cols []string
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			return nil, err
		}
		cols = append(cols, quoteName(c))
	}
	return cols, rows.Err()
}

func quoteName(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

func firstLine(s string) string {
	s, _, _ = strings.Cut(strings.TrimSpace(s), "\n")
	return s
}
