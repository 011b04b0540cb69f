package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/internal/subscriberio"
)

// ImportSink stores imported rows for one newsletter.
type ImportSink struct {
	db           *DB
	newsletterID int64
	confirmed    bool
	source       string
	stmts        *stmtCache
}

// ImportSink returns the sink an import into newsletterID writes to.
// Confirmed rows become active (the operator vouches for their consent);
// others stay pending, and no email goes to them until asked.
func (s *SubscriberService) ImportSink(newsletterID int64, confirmed bool, source string) *ImportSink {
	return &ImportSink{db: s.db, newsletterID: newsletterID, confirmed: confirmed, source: source, stmts: &s.imports}
}

var _ subscriberio.Sink = (*ImportSink)(nil)

// ImportRows stores one batch in one transaction and returns how many rows
// it changed. It never re-subscribes a reader who left, never lowers an
// active subscription to pending, and skips suppressed addresses, so
// importing the same file twice changes nothing.
func (s *ImportSink) ImportRows(ctx context.Context, rows []subscriberio.Row) (int, error) {
	changed := 0
	err := s.db.inTx(ctx, func(tx *Tx) error {
		changed = 0
		if distinctAddresses(rows) {
			for len(rows) > 0 {
				chunk := rows[:min(len(rows), importChunk)]
				rows = rows[len(chunk):]
				n, err := s.importChunk(ctx, tx, chunk)
				if err != nil {
					return fmt.Errorf("sqldb: import lines %d to %d: %w", chunk[0].Line, chunk[len(chunk)-1].Line, err)
				}
				changed += n
			}
			return nil
		}
		// An address twice in one batch: row by row, in order, as one
		// statement can't change a row twice.
		stmts, err := prepareImport(ctx, tx)
		if err != nil {
			return err
		}
		defer stmts.close()
		for _, row := range rows {
			ok, err := s.importRow(ctx, tx, stmts, row)
			if err != nil {
				return fmt.Errorf("sqldb: import line %d: %w", row.Line, err)
			}
			if ok {
				changed++
			}
		}
		return nil
	})
	return changed, err
}

// importStmts are the statements of one batch imported row by row,
// prepared once.
type importStmts struct {
	suppressed, subscriber, subscription, consent *sql.Stmt
}

func prepareImport(ctx context.Context, tx *Tx) (*importStmts, error) {
	var s importStmts
	var err error
	prepare := func(dst **sql.Stmt, query string) {
		if err == nil {
			*dst, err = tx.PrepareContext(ctx, query)
		}
	}
	prepare(&s.suppressed, `SELECT 1 FROM suppressions WHERE email_hash = $1`)
	prepare(&s.subscriber, `
		INSERT INTO subscribers (email, email_key, name, utf8_local, created_at) VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (email_key) DO UPDATE SET name = CASE WHEN subscribers.name = '' THEN excluded.name ELSE subscribers.name END
		RETURNING id`)
	// The WHERE of DO UPDATE lets only two moves through: pending to
	// active (the operator vouches) and anything to unsubscribed (the
	// source says the reader left). RETURNING yields no row otherwise.
	prepare(&s.subscription, `
		INSERT INTO subscriptions (subscriber_id, newsletter_id, status, source, created_at, confirmed_at, unsubscribed_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
		ON CONFLICT (subscriber_id, newsletter_id) DO UPDATE SET status = excluded.status,
			confirmed_at = COALESCE(subscriptions.confirmed_at, excluded.confirmed_at),
			unsubscribed_at = excluded.unsubscribed_at, updated_at = excluded.updated_at
		WHERE (subscriptions.status = 'pending' AND excluded.status = 'active')
			OR (excluded.status = 'unsubscribed' AND subscriptions.status <> 'unsubscribed')
		RETURNING 1`)
	prepare(&s.consent, `INSERT INTO consents (subscriber_id, newsletter_id, action, at, form, wording_version)
		VALUES ($1, $2, 'import', $3, $4, '')`)
	if err != nil {
		return nil, fmt.Errorf("sqldb: prepare import: %w", err)
	}
	return &s, nil
}

func (s *importStmts) close() {
	for _, st := range []*sql.Stmt{s.suppressed, s.subscriber, s.subscription, s.consent} {
		if st != nil {
			st.Close()
		}
	}
}

func (s *ImportSink) importRow(ctx context.Context, tx *Tx, st *importStmts, row subscriberio.Row) (bool, error) {
	var one int
	err := st.suppressed.QueryRowContext(ctx, EmailHash(row.Email)).Scan(&one)
	if err == nil {
		return false, nil
	} else if !errors.Is(err, sql.ErrNoRows) {
		return false, err
	}
	created := tx.now
	if !row.SubscribedAt.IsZero() && row.SubscribedAt.Before(tx.now) {
		created = row.SubscribedAt.UTC()
	}
	var id int64
	if err := st.subscriber.QueryRowContext(ctx, row.Email, emailKey(row.Email), row.Name, row.UTF8Local, created).Scan(&id); err != nil {
		return false, err
	}
	status, confirmedAt, unsubscribedAt := herald.SubPending, any(nil), any(nil)
	switch {
	case row.Unsubscribed:
		status, unsubscribedAt = herald.SubUnsubscribed, tx.now
	case s.confirmed:
		status, confirmedAt = herald.SubActive, tx.now
	}
	err = st.subscription.QueryRowContext(ctx, id, s.newsletterID, string(status), "import", created,
		confirmedAt, unsubscribedAt, tx.now).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	} else if err != nil {
		return false, err
	}
	if _, err := st.consent.ExecContext(ctx, id, s.newsletterID, tx.now, truncate(s.source, 512)); err != nil {
		return false, err
	}
	return true, nil
}
