package sqldb

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/herald-news/herald/internal/subscriberio"
)

// exportPage is how many subscribers an export holds in memory at once.
const exportPage = 1000

var _ subscriberio.Source = (*SubscriberService)(nil)

// EachSubscriber calls fn for every subscriber in ID order, a page at a
// time, so an export of any size runs in flat memory.
func (s *SubscriberService) EachSubscriber(ctx context.Context, fn func(subscriberio.ExportRow) error) error {
	var after int64
	for {
		rows, ids, err := s.exportPage(ctx, after)
		if err != nil {
			return err
		}
		for _, id := range ids {
			if err := fn(*rows[id]); err != nil {
				return err
			}
		}
		if len(ids) < exportPage {
			return nil
		}
		after = ids[len(ids)-1]
	}
}

// exportPage loads the page of subscribers after the given ID with their
// subscriptions and latest consent.
func (s *SubscriberService) exportPage(ctx context.Context, after int64) (map[int64]*subscriberio.ExportRow, []int64, error) {
	rows := map[int64]*subscriberio.ExportRow{}
	ids, err := queryAll(ctx, s.db.db, `SELECT id, email, name, created_at FROM subscribers WHERE id > $1 ORDER BY id LIMIT $2`,
		func(r rowScanner) (int64, error) {
			var id int64
			var row subscriberio.ExportRow
			if err := r.Scan(&id, &row.Email, &row.Name, &row.CreatedAt); err != nil {
				return 0, err
			}
			rows[id] = &row
			return id, nil
		}, after, exportPage)
	if err != nil || len(ids) == 0 {
		return rows, ids, err
	}
	ph, args := placeholders(ids, 1)
	err = eachRow(ctx, s.db.db, `SELECT s.subscriber_id, n.slug, s.status, s.confirmed_at
		FROM subscriptions s JOIN newsletters n ON n.id = s.newsletter_id
		WHERE s.subscriber_id IN (`+ph+`) ORDER BY s.subscriber_id, n.id`,
		func(r rowScanner) error {
			var id int64
			var sub subscriberio.ExportSubscription
			var confirmed sql.NullTime
			if err := r.Scan(&id, &sub.Slug, &sub.Status, &confirmed); err != nil {
				return err
			}
			sub.ConfirmedAt = confirmed.Time
			rows[id].Newsletters = append(rows[id].Newsletters, sub)
			return nil
		}, args...)
	if err != nil {
		return nil, nil, fmt.Errorf("sqldb: export subscriptions: %w", err)
	}
	err = eachRow(ctx, s.db.db, `SELECT subscriber_id, at, ip, form FROM consents
		WHERE subscriber_id IN (`+ph+`) AND action IN ('signup', 'confirm', 'import', 'preferences')
		ORDER BY subscriber_id, at, id`,
		func(r rowScanner) error {
			var id int64
			var c subscriberio.ExportRow
			if err := r.Scan(&id, &c.ConsentAt, &c.ConsentIP, &c.ConsentForm); err != nil {
				return err
			}
			// Rows come oldest first, so the last one written wins.
			rows[id].ConsentAt, rows[id].ConsentIP, rows[id].ConsentForm = c.ConsentAt, c.ConsentIP, c.ConsentForm
			return nil
		}, args...)
	if err != nil {
		return nil, nil, fmt.Errorf("sqldb: export consents: %w", err)
	}
	if err := s.exportSuppressions(ctx, rows); err != nil {
		return nil, nil, err
	}
	return rows, ids, nil
}

// exportSuppressions gives each row of a page the reason its address is
// suppressed (a hard bounce, a complaint), if it is: such a reader is not
// reachable, whatever their subscriptions say.
func (s *SubscriberService) exportSuppressions(ctx context.Context, rows map[int64]*subscriberio.ExportRow) error {
	byHash := make(map[string]*subscriberio.ExportRow, len(rows))
	hashes := make([]string, 0, len(rows))
	for _, r := range rows {
		h := EmailHash(r.Email)
		byHash[h] = r
		hashes = append(hashes, h)
	}
	ph, args := placeholders(hashes, 1)
	err := eachRow(ctx, s.db.db, `SELECT email_hash, reason FROM suppressions WHERE email_hash IN (`+ph+`)`, func(r rowScanner) error {
		var hash, reason string
		if err := r.Scan(&hash, &reason); err != nil {
			return err
		}
		byHash[hash].Suppressed = reason
		return nil
	}, args...)
	if err != nil {
		return fmt.Errorf("sqldb: export suppressions: %w", err)
	}
	return nil
}
