package sqldb

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/herald-news/herald"
)

// copyBatch is how many rows one copy transaction carries.
const copyBatch = 2000

// CopyProgress reports a copy's progress: rows copied so far in a table.
type CopyProgress func(table string, copied, total int64)

// CopyTo copies every Herald table from db (SQLite) to dst (migrated here),
// batch by batch with ON CONFLICT DO NOTHING, so an interrupted copy run
// again continues where it stopped. It then compares row counts and
// checksums of every table. A mark in dst tells a copy under way from a
// database in use: a dst holding data that no copy put there is refused
// before anything is written, and a finished copy is only verified again.
// Differences and refusals are ECONFLICT errors whose message says what
// to do; any other error means the copy stopped and may be run again.
func (db *DB) CopyTo(ctx context.Context, dst *DB, progress CopyProgress) error {
	tables, err := db.copyTables(ctx)
	if err != nil {
		return err
	}
	if err := dst.Migrate(ctx); err != nil {
		return err
	}
	var started, finished sql.NullTime
	err = dst.db.QueryRowContext(ctx, `SELECT started_at, finished_at FROM db_copy WHERE id = 1`).Scan(&started, &finished)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		if err := dst.refuseInUse(ctx, tables); err != nil {
			return err
		}
		if _, err := dst.db.ExecContext(ctx, `INSERT INTO db_copy (id, started_at) VALUES (1, $1)`, utc(db.Clock.Now())); err != nil {
			return fmt.Errorf("sqldb: copy: mark the target: %w", err)
		}
	case err != nil:
		return fmt.Errorf("sqldb: copy: read the target's mark: %w", err)
	case finished.Valid:
		diffs, err := db.compareTables(ctx, dst, tables)
		if err != nil || len(diffs) == 0 {
			return err
		}
		return herald.Errorf(herald.ECONFLICT, "The target database has changed since the copy finished on %s: %s. "+
			"Herald has probably run on it. Copying again would mix the two newsrooms, so nothing was changed. "+
			"If the target is the newsroom you now use, keep it. To copy the source afresh, drop and create the target database, then run this command again.",
			finished.Time.UTC().Format("2 Jan 2006 15:04 UTC"), strings.Join(diffs, "; "))
	}
	for _, t := range tables {
		if err := db.copyTable(ctx, dst, t, progress); err != nil {
			return fmt.Errorf("sqldb: copy %s: %w", t.name, err)
		}
	}
	issued, err := db.issuedIDs(ctx)
	if err != nil {
		return err
	}
	if err := dst.resetIdentities(ctx, tables, issued); err != nil {
		return err
	}
	diffs, err := db.compareTables(ctx, dst, tables)
	if err != nil {
		return err
	}
	if len(diffs) > 0 {
		return herald.Errorf(herald.ECONFLICT, "The copy does not match the source: %s. "+
			"One of the databases was probably written to while the copy ran. Stop every Herald node using either database, "+
			"drop and create the target database, then run this command again.", strings.Join(diffs, "; "))
	}
	if _, err := dst.db.ExecContext(ctx, `UPDATE db_copy SET finished_at = $1 WHERE id = 1`, utc(db.Clock.Now())); err != nil {
		return fmt.Errorf("sqldb: copy: mark the target finished: %w", err)
	}
	return nil
}

// refuseInUse refuses a target that holds rows no copy put there.
func (db *DB) refuseInUse(ctx context.Context, tables []copyTable) error {
	for _, t := range tables {
		var n int64
		if err := db.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM `+t.name).Scan(&n); err != nil {
			return fmt.Errorf("sqldb: copy: count %s on the target: %w", t.name, err)
		}
		if n > 0 {
			return herald.Errorf(herald.ECONFLICT, "The target database already holds a newsroom (%d rows in %s) that no copy put there, "+
				"so nothing was copied. herald db copy fills an empty database only: create an empty one and name it with --to.", n, t.name)
		}
	}
	return nil
}

// compareTables describes, table by table, where dst differs from db.
func (db *DB) compareTables(ctx context.Context, dst *DB, tables []copyTable) ([]string, error) {
	var diffs []string
	for _, t := range tables {
		a, na, err := db.checksum(ctx, t.name, t.key)
		if err != nil {
			return nil, fmt.Errorf("sqldb: verify %s: %w", t.name, err)
		}
		b, nb, err := dst.checksum(ctx, t.name, t.key)
		if err != nil {
			return nil, fmt.Errorf("sqldb: verify %s on the target: %w", t.name, err)
		}
		switch {
		case na != nb:
			diffs = append(diffs, fmt.Sprintf("%s has %d rows in the source and %d in the target", t.name, na, nb))
		case a != b:
			diffs = append(diffs, fmt.Sprintf("%s has %d rows on both sides but they differ", t.name, na))
		}
	}
	return diffs, nil
}

// columns lists a table's columns in dst's order, with PostgreSQL's type
// of each when dst is PostgreSQL.
func (db *DB) columns(ctx context.Context, table string) ([]string, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT * FROM `+table+` WHERE 1 = 0`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	return rows.Columns()
}

func (db *DB) copyTable(ctx context.Context, dst *DB, t copyTable, progress CopyProgress) error {
	table, key := t.name, t.key
	cols, err := db.columns(ctx, table)
	if err != nil {
		return err
	}
	var total int64
	if err := db.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM `+table).Scan(&total); err != nil {
		return err
	}
	bools, err := dst.booleanColumns(ctx, table)
	if err != nil {
		return err
	}
	if t.intID {
		return db.copyByID(ctx, dst, table, cols, bools, total, progress)
	}
	// Tables keyed otherwise are small: copy them whole, skipping rows
	// already there.
	var copied int64
	for offset := int64(0); offset < total; offset += copyBatch {
		rows, err := db.fetch(ctx, `SELECT `+strings.Join(cols, ", ")+` FROM `+table+` ORDER BY `+strings.Join(key, ", ")+
			fmt.Sprintf(` LIMIT %d OFFSET %d`, copyBatch, offset), len(cols))
		if err != nil {
			return err
		}
		if err := dst.insertRows(ctx, table, cols, bools, rows); err != nil {
			return err
		}
		copied += int64(len(rows))
		if progress != nil {
			progress(table, copied, total)
		}
	}
	return ctx.Err()
}

// copyByID copies a table with an integer id in id order from just past
// the highest id already at dst: batches commit in order, so everything
// below it is there, and a resumed copy does no work twice.
func (db *DB) copyByID(ctx context.Context, dst *DB, table string, cols []string, bools map[string]bool, total int64, progress CopyProgress) error {
	var after int64
	if err := dst.db.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) FROM `+table).Scan(&after); err != nil {
		return err
	}
	var copied int64
	if err := db.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM `+table+` WHERE id <= $1`, after).Scan(&copied); err != nil {
		return err
	}
	idCol := slices.Index(cols, "id")
	for ctx.Err() == nil {
		rows, err := db.fetch(ctx, `SELECT `+strings.Join(cols, ", ")+` FROM `+table+
			fmt.Sprintf(` WHERE id > %d ORDER BY id LIMIT %d`, after, copyBatch), len(cols))
		if err != nil || len(rows) == 0 {
			return err
		}
		if err := dst.insertRows(ctx, table, cols, bools, rows); err != nil {
			return err
		}
		after = rows[len(rows)-1][idCol].(int64)
		copied += int64(len(rows))
		if progress != nil {
			progress(table, copied, total)
		}
	}
	return ctx.Err()
}

// fetch reads a query's rows as driver values.
func (db *DB) fetch(ctx context.Context, query string, width int) ([][]any, error) {
	var out [][]any
	err := eachRow(ctx, db.db, query, func(r rowScanner) error {
		vals := make([]any, width)
		ptrs := make([]any, width)
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := r.Scan(ptrs...); err != nil {
			return err
		}
		out = append(out, vals)
		return nil
	})
	return out, err
}

// insertRows writes one batch in one transaction; rows already there are
// left alone, which is what makes a copy resumable.
func (db *DB) insertRows(ctx context.Context, table string, cols []string, bools map[string]bool, rows [][]any) error {
	if len(rows) == 0 {
		return nil
	}
	ph := make([]string, len(cols))
	for i := range cols {
		ph[i] = fmt.Sprintf("$%d", i+1)
	}
	overriding := ""
	if db.dialect == Postgres && slices.Contains(cols, "id") {
		overriding = " OVERRIDING SYSTEM VALUE"
	}
	query := `INSERT INTO ` + table + ` (` + strings.Join(cols, ", ") + `)` + overriding +
		` VALUES (` + strings.Join(ph, ", ") + `) ON CONFLICT DO NOTHING`
	return db.inTx(ctx, func(tx *Tx) error {
		stmt, err := tx.PrepareContext(ctx, query)
		if err != nil {
			return err
		}
		defer stmt.Close()
		for _, row := range rows {
			for i, c := range cols {
				row[i] = portable(row[i], bools[c])
			}
			if _, err := stmt.ExecContext(ctx, row...); err != nil {
				return err
			}
		}
		return nil
	})
}

// portable converts a value read from one engine for the other: SQLite
// keeps booleans as 0 and 1, and times are written in UTC.
func portable(v any, boolean bool) any {
	switch x := v.(type) {
	case int64:
		if boolean {
			return x != 0
		}
	case time.Time:
		return x.UTC()
	}
	return v
}

// booleanColumns names a table's boolean columns on PostgreSQL.
func (db *DB) booleanColumns(ctx context.Context, table string) (map[string]bool, error) {
	out := map[string]bool{}
	if db.dialect != Postgres {
		return out, nil
	}
	err := eachRow(ctx, db.db, `SELECT column_name FROM information_schema.columns
		WHERE table_schema = current_schema() AND table_name = $1 AND data_type = 'boolean'`, func(r rowScanner) error {
		var c string
		err := r.Scan(&c)
		out[c] = true
		return err
	}, table)
	return out, err
}

// issuedIDs is the highest id SQLite ever handed out per table
// (sqlite_sequence): deleted newest rows included, so the target never
// hands their ids out again.
func (db *DB) issuedIDs(ctx context.Context) (map[string]int64, error) {
	issued := map[string]int64{}
	var tables int
	if err := db.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM sqlite_master WHERE name = 'sqlite_sequence'`).Scan(&tables); err != nil || tables == 0 {
		return issued, err
	}
	err := eachRow(ctx, db.db, `SELECT name, seq FROM sqlite_sequence`, func(r rowScanner) error {
		var name string
		var seq int64
		err := r.Scan(&name, &seq)
		issued[name] = seq
		return err
	})
	return issued, err
}

// resetIdentities moves PostgreSQL's identity sequences past the copied
// ids and past every id the source issued.
func (db *DB) resetIdentities(ctx context.Context, tables []copyTable, issued map[string]int64) error {
	if db.dialect != Postgres {
		return nil
	}
	for _, t := range tables {
		if !t.intID {
			continue
		}
		_, err := db.db.ExecContext(ctx, `SELECT setval(pg_get_serial_sequence('`+t.name+`', 'id'),
			GREATEST(COALESCE((SELECT MAX(id) FROM `+t.name+`), 0), $1) + 1, false)`, issued[t.name])
		if err != nil {
			return fmt.Errorf("sqldb: reset %s ids: %w", t.name, err)
		}
	}
	return nil
}

// checksum hashes a table's rows in key order, written the same way
// whichever engine holds them.
func (db *DB) checksum(ctx context.Context, table string, key []string) (string, int64, error) {
	cols, err := db.columns(ctx, table)
	if err != nil {
		return "", 0, err
	}
	slices.Sort(cols) // the engines may order columns differently
	h := sha256.New()
	var n int64
	err = eachRow(ctx, db.db, `SELECT `+strings.Join(cols, ", ")+` FROM `+table+` ORDER BY `+strings.Join(key, ", "),
		func(r rowScanner) error {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := r.Scan(ptrs...); err != nil {
				return err
			}
			for _, v := range vals {
				fmt.Fprintf(h, "%s\x1f", canonical(v))
			}
			h.Write([]byte{'\x1e'})
			n++
			return nil
		})
	return hex.EncodeToString(h.Sum(nil)), n, err
}

// canonical writes a value the same way from either engine.
func canonical(v any) string {
	switch x := v.(type) {
	case nil:
		return "∅"
	case bool:
		if x {
			return "1"
		}
		return "0"
	case time.Time:
		return x.UTC().Format(time.RFC3339Nano)
	case []byte:
		return hex.EncodeToString(x)
	}
	return fmt.Sprint(v)
}
