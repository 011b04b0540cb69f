package sqldb

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"sync"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/internal/subscriberio"
)

// importChunk is how many rows one multi-row statement writes: 8
// parameters a row stays far below SQLite's and PostgreSQL's limits.
const importChunk = 250

// stmtCache keeps statements prepared once per process: the multi-row
// statements of full chunks, which SQLite takes milliseconds to parse.
type stmtCache struct {
	mu sync.Mutex
	m  map[string]*sql.Stmt
}

// query runs query in tx: prepared once and kept when full is set (a
// full chunk's statement, the same text every time), as is otherwise.
func (c *stmtCache) query(ctx context.Context, tx *Tx, full bool, query string, args ...any) (*sql.Rows, error) {
	if !full {
		return tx.QueryContext(ctx, query, args...)
	}
	c.mu.Lock()
	st := c.m[query]
	if st == nil {
		var err error
		if st, err = tx.db.db.PrepareContext(ctx, query); err != nil {
			c.mu.Unlock()
			return nil, err
		}
		if c.m == nil {
			c.m = map[string]*sql.Stmt{}
		}
		c.m[query] = st
	}
	c.mu.Unlock()
	return tx.StmtContext(ctx, st).QueryContext(ctx, args...)
}

// each calls fn for every row query returns, as eachRow does.
func (c *stmtCache) each(ctx context.Context, tx *Tx, full bool, query string, fn func(rowScanner) error, args ...any) error {
	rows, err := c.query(ctx, tx, full, query, args...)
	if err != nil {
		return fmt.Errorf("sqldb: query: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

// distinctAddresses reports whether no address comes twice in rows.
func distinctAddresses(rows []subscriberio.Row) bool {
	seen := make(map[string]struct{}, len(rows))
	for _, r := range rows {
		k := emailKey(r.Email)
		if _, dup := seen[k]; dup {
			return false
		}
		seen[k] = struct{}{}
	}
	return true
}

// values writes n groups of cols placeholders, numbered from 1:
// "($1, $2), ($3, $4)" on PostgreSQL, "(?, ?), (?, ?)" on SQLite, where
// the driver looks up each numbered parameter's name in a list as long as
// the statement's (quadratic over 2,000 parameters: 60% of an import).
func (d Dialect) values(n, cols int) string {
	if d == SQLite {
		group := "(" + strings.Repeat("?, ", cols-1) + "?)"
		return strings.Repeat(group+", ", n-1) + group
	}
	var b strings.Builder
	b.Grow(n * cols * 6)
	for i := range n {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteByte('(')
		for c := range cols {
			if c > 0 {
				b.WriteString(", ")
			}
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(i*cols + c + 1))
		}
		b.WriteByte(')')
	}
	return b.String()
}

// importChunk stores rows, whose addresses are distinct, with one
// statement per table instead of four per row: the same rules as
// importRow, so the same file imported twice changes nothing.
func (s *ImportSink) importChunk(ctx context.Context, tx *Tx, rows []subscriberio.Row) (int, error) {
	// Suppressed addresses are skipped.
	hashes := make([]any, len(rows))
	for i, r := range rows {
		hashes[i] = EmailHash(r.Email)
	}
	suppressed := map[string]bool{}
	in := strings.NewReplacer("(", "", ")", "").Replace(s.db.dialect.values(len(rows), 1)) // "$1, $2, …"
	err := s.stmts.each(ctx, tx, len(rows) == importChunk, `SELECT email_hash FROM suppressions WHERE email_hash IN (`+in+`)`, func(r rowScanner) error {
		var h string
		if err := r.Scan(&h); err != nil {
			return err
		}
		suppressed[h] = true
		return nil
	}, hashes...)
	if err != nil {
		return 0, err
	}
	keep := rows[:0:0]
	for i, r := range rows {
		if !suppressed[hashes[i].(string)] {
			keep = append(keep, r)
		}
	}
	if len(keep) == 0 {
		return 0, nil
	}

	created := make([]any, len(keep))
	args := make([]any, 0, 5*len(keep))
	for i, r := range keep {
		created[i] = tx.now
		if !r.SubscribedAt.IsZero() && r.SubscribedAt.Before(tx.now) {
			created[i] = r.SubscribedAt.UTC()
		}
		args = append(args, r.Email, emailKey(r.Email), r.Name, r.UTF8Local, created[i])
	}
	ids := make(map[string]int64, len(keep))
	err = s.stmts.each(ctx, tx, len(keep) == importChunk, `INSERT INTO subscribers (email, email_key, name, utf8_local, created_at) VALUES `+s.db.dialect.values(len(keep), 5)+`
		ON CONFLICT (email_key) DO UPDATE SET name = CASE WHEN subscribers.name = '' THEN excluded.name ELSE subscribers.name END
		RETURNING id, email_key`, func(r rowScanner) error {
		var id int64
		var key string
		if err := r.Scan(&id, &key); err != nil {
			return err
		}
		ids[key] = id
		return nil
	}, args...)
	if err != nil {
		return 0, err
	}

	args = args[:0]
	for i, r := range keep {
		status, confirmedAt, unsubscribedAt := herald.SubPending, any(nil), any(nil)
		switch {
		case r.Unsubscribed:
			status, unsubscribedAt = herald.SubUnsubscribed, tx.now
		case s.confirmed:
			status, confirmedAt = herald.SubActive, tx.now
		}
		args = append(args, ids[emailKey(r.Email)], s.newsletterID, string(status), "import", created[i],
			confirmedAt, unsubscribedAt, tx.now)
	}
	// As in importRow, DO UPDATE's WHERE lets only pending to active and
	// anything to unsubscribed through; RETURNING names the rows changed.
	var changed []int64
	err = s.stmts.each(ctx, tx, len(keep) == importChunk, `INSERT INTO subscriptions (subscriber_id, newsletter_id, status, source, created_at,
			confirmed_at, unsubscribed_at, updated_at) VALUES `+s.db.dialect.values(len(keep), 8)+`
		ON CONFLICT (subscriber_id, newsletter_id) DO UPDATE SET status = excluded.status,
			confirmed_at = COALESCE(subscriptions.confirmed_at, excluded.confirmed_at),
			unsubscribed_at = excluded.unsubscribed_at, updated_at = excluded.updated_at
		WHERE (subscriptions.status = 'pending' AND excluded.status = 'active')
			OR (excluded.status = 'unsubscribed' AND subscriptions.status <> 'unsubscribed')
		RETURNING subscriber_id`, func(r rowScanner) error {
		id, err := scanInt64(r)
		changed = append(changed, id)
		return err
	}, args...)
	if err != nil || len(changed) == 0 {
		return 0, err
	}

	args = args[:0]
	source := truncate(s.source, 512)
	for _, id := range changed {
		args = append(args, id, s.newsletterID, tx.now, source)
	}
	if err := s.stmts.each(ctx, tx, len(changed) == importChunk, `INSERT INTO consents (subscriber_id, newsletter_id, at, form, action, wording_version)
		VALUES `+withConstants(s.db.dialect.values(len(changed), 4)), func(rowScanner) error { return nil }, args...); err != nil {
		return 0, err
	}
	return len(changed), nil
}

// withConstants appends the import's constant consent columns, action
// and wording version, to every group of placeholders.
func withConstants(ph string) string {
	return strings.ReplaceAll(ph, ")", ", 'import', '')")
}
