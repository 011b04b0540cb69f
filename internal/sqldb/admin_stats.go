package sqldb

import (
	"context"
	"fmt"
	"time"
)

// Day-by-day figures for the admin's dashboard. Days are UTC calendar
// days; each query reads only aggregates or the rows inside the window,
// never the whole subscriber list.

// dayIndex is the index of t's UTC day in a window of days starting at
// from (midnight UTC), or -1 outside it.
func dayIndex(from time.Time, days int, t time.Time) int {
	i := int(t.UTC().Sub(from) / (24 * time.Hour))
	if t.Before(from) || i >= days {
		return -1
	}
	return i
}

// ActiveByDay returns, per newsletter ID, how many subscriptions were
// active at the end of each of the days UTC days starting at from
// (midnight UTC). History comes from each subscription's timestamps: a
// subscription counts from its confirmation until its unsubscription.
// A reader who left and came back counts from the latest confirmation
// only, pending subscriptions never count, and a hard bounce (while the
// address stays suppressed) ends the count as leaving would.
func (s *SubscriberService) ActiveByDay(ctx context.Context, from time.Time, days int) (map[int64][]int, error) {
	from = from.UTC()
	out := map[int64][]int{}
	series := func(id int64) []int {
		if out[id] == nil {
			out[id] = make([]int, days)
		}
		return out[id]
	}
	// Active before the window opened, and not hard-bounced by then.
	err := eachRow(ctx, s.db.db, `SELECT newsletter_id, COUNT(*) FROM subscriptions
		WHERE confirmed_at < $1 AND (status = 'active' OR status = 'unsubscribed' AND unsubscribed_at >= $1 AND unsubscribed_at > confirmed_at)
		AND NOT EXISTS (SELECT 1 FROM bounce_events b JOIN suppressions p ON p.email_hash = b.email_hash
			WHERE b.subscriber_id = subscriptions.subscriber_id AND b.kind = 'hard' AND b.created_at < $1)
		GROUP BY newsletter_id`, func(r rowScanner) error {
		var id int64
		var n int
		if err := r.Scan(&id, &n); err != nil {
			return err
		}
		for i, v := range series(id) {
			series(id)[i] = v + n
		}
		return nil
	}, utc(from))
	if err != nil {
		return nil, fmt.Errorf("sqldb: active before: %w", err)
	}
	// Changes inside the window, each a query of (newsletter, time) rows:
	// +1 from the day of a confirmation, -1 from the day of an
	// unsubscription, or of the first hard bounce of an address still
	// suppressed (it ends an active subscription as leaving would).
	changes := []struct {
		what  string
		delta int
		query string
	}{
		{"confirmations", 1, `SELECT newsletter_id, confirmed_at FROM subscriptions
			WHERE confirmed_at >= $1 AND (status = 'active' OR status = 'unsubscribed' AND unsubscribed_at > confirmed_at)`},
		{"unsubscriptions", -1, `SELECT newsletter_id, unsubscribed_at FROM subscriptions
			WHERE status = 'unsubscribed' AND unsubscribed_at >= $1 AND confirmed_at IS NOT NULL AND unsubscribed_at > confirmed_at`},
		{"hard bounces", -1, `SELECT s.newsletter_id, b.created_at FROM subscriptions s
			JOIN bounce_events b ON b.subscriber_id = s.subscriber_id AND b.kind = 'hard'
			JOIN suppressions p ON p.email_hash = b.email_hash
			WHERE s.status = 'active' AND b.created_at >= $1 AND b.created_at > s.confirmed_at
			AND NOT EXISTS (SELECT 1 FROM bounce_events e WHERE e.subscriber_id = b.subscriber_id AND e.kind = 'hard' AND e.id < b.id)`},
	}
	for _, c := range changes {
		err := eachRow(ctx, s.db.db, c.query, func(r rowScanner) error {
			var id int64
			var at time.Time
			if err := r.Scan(&id, &at); err != nil {
				return err
			}
			if i := dayIndex(from, days, at); i >= 0 {
				for j := i; j < days; j++ {
					series(id)[j] += c.delta
				}
			}
			return nil
		}, utc(from))
		if err != nil {
			return nil, fmt.Errorf("sqldb: %s by day: %w", c.what, err)
		}
	}
	return out, nil
}

// SignupsByDay counts signup form submissions (one per newsletter
// chosen) on each of the days UTC days starting at from.
func (s *SubscriberService) SignupsByDay(ctx context.Context, from time.Time, days int) ([]int, error) {
	from = from.UTC()
	out := make([]int, days)
	err := eachRow(ctx, s.db.db, `SELECT at FROM consents WHERE action = 'signup' AND at >= $1`, func(r rowScanner) error {
		var at time.Time
		if err := r.Scan(&at); err != nil {
			return err
		}
		if i := dayIndex(from, days, at); i >= 0 {
			out[i]++
		}
		return nil
	}, utc(from))
	if err != nil {
		return nil, fmt.Errorf("sqldb: signups by day: %w", err)
	}
	return out, nil
}
