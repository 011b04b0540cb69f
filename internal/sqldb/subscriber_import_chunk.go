package sqldb

import (
	"context"
	"strconv"
	"strings"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/internal/subscriberio"
)

// importChunk is how many rows one multi-row statement writes: 8
// parameters a row stays far below SQLite's and PostgreSQL's limits.
const importChunk = 250

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
// "($1, $2), ($3, $4)". Both dialects number parameters this way.
func values(n, cols int) string {
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
	in := strings.NewReplacer("(", "", ")", "").Replace(values(len(rows), 1)) // "$1, $2, …"
	err := eachRow(ctx, tx, `SELECT email_hash FROM suppressions WHERE email_hash IN (`+in+`)`, func(r rowScanner) error {
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
	err = eachRow(ctx, tx, `INSERT INTO subscribers (email, email_key, name, utf8_local, created_at) VALUES `+values(len(keep), 5)+`
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
	changed, err := queryAll(ctx, tx, `INSERT INTO subscriptions (subscriber_id, newsletter_id, status, source, created_at,
			confirmed_at, unsubscribed_at, updated_at) VALUES `+values(len(keep), 8)+`
		ON CONFLICT (subscriber_id, newsletter_id) DO UPDATE SET status = excluded.status,
			confirmed_at = COALESCE(subscriptions.confirmed_at, excluded.confirmed_at),
			unsubscribed_at = excluded.unsubscribed_at, updated_at = excluded.updated_at
		WHERE (subscriptions.status = 'pending' AND excluded.status = 'active')
			OR (excluded.status = 'unsubscribed' AND subscriptions.status <> 'unsubscribed')
		RETURNING subscriber_id`, scanInt64, args...)
	if err != nil || len(changed) == 0 {
		return 0, err
	}

	args = args[:0]
	source := truncate(s.source, 512)
	for _, id := range changed {
		args = append(args, id, s.newsletterID, tx.now, source)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO consents (subscriber_id, newsletter_id, at, form, action, wording_version)
		VALUES `+withConstants(values(len(changed), 4)), args...); err != nil {
		return 0, err
	}
	return len(changed), nil
}

// withConstants appends the import's constant consent columns, action
// and wording version, to every group of placeholders.
func withConstants(ph string) string {
	return strings.ReplaceAll(ph, ")", ", 'import', '')")
}
