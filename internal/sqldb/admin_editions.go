package sqldb

import (
	"context"
	"fmt"
	"time"

	"github.com/herald-news/herald"
)

// Queries for the admin's edition pages: who an edition would go to, the
// counts of many editions at once, and a send's pace minute by minute.

// Audience counts the readers an edition of a newsletter would reach now:
// its active subscriptions but for readers hard-bounced and still
// suppressed (StartSend writes their rows, as not sent).
func (s *EditionService) Audience(ctx context.Context, newsletterID int64) (int, error) {
	var n int
	err := s.db.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM subscriptions s WHERE s.newsletter_id = $1 AND s.status = 'active'
		AND NOT EXISTS (SELECT 1 FROM bounce_events b JOIN suppressions p ON p.email_hash = b.email_hash
			WHERE b.subscriber_id = s.subscriber_id AND b.kind = 'hard')`,
		newsletterID).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("sqldb: audience: %w", err)
	}
	return n, nil
}

// CountsFor returns the ledger counts of each of editionIDs that has a
// ledger, keyed by edition.
func (s *EditionService) CountsFor(ctx context.Context, editionIDs []int64) (map[int64]herald.SendCounts, error) {
	out := map[int64]herald.SendCounts{}
	if len(editionIDs) == 0 {
		return out, nil
	}
	marks, args := placeholders(editionIDs, 1)
	err := eachRow(ctx, s.db.db, `SELECT edition_id, status, COUNT(*) FROM sends WHERE edition_id IN (`+marks+`)
		GROUP BY edition_id, status`, func(r rowScanner) error {
		var id int64
		var status string
		var n int
		if err := r.Scan(&id, &status, &n); err != nil {
			return err
		}
		if out[id] == nil {
			out[id] = herald.SendCounts{}
		}
		out[id][herald.SendStatus(status)] = n
		return nil
	}, args...)
	if err != nil {
		return nil, fmt.Errorf("sqldb: counts for editions: %w", err)
	}
	return out, nil
}

// MinuteCount is how many messages relays accepted in one minute.
type MinuteCount struct {
	Minute time.Time `json:"minute"` // the start of the minute, UTC
	Count  int       `json:"count"`
}

// AcceptedPerMinute returns the messages accepted in each minute from
// since (rounded down to the minute) to now, oldest first; minutes with
// none are included with a zero count.
func (s *EditionService) AcceptedPerMinute(ctx context.Context, editionID int64, since, now time.Time) ([]MinuteCount, error) {
	since, now = since.UTC().Truncate(time.Minute), now.UTC().Truncate(time.Minute)
	if now.Sub(since) > 24*time.Hour {
		since = now.Add(-24 * time.Hour)
	}
	byMinute := map[time.Time]int{}
	err := eachRow(ctx, s.db.db, `SELECT `+s.db.dialect.minute("updated_at")+` AS m, COUNT(*) FROM sends
		WHERE edition_id = $1 AND status = 'accepted' AND updated_at >= $2 GROUP BY m`, func(r rowScanner) error {
		var m string
		var n int
		if err := r.Scan(&m, &n); err != nil {
			return err
		}
		t, err := time.Parse("2006-01-02 15:04", m)
		if err != nil {
			return fmt.Errorf("minute %q: %w", m, err)
		}
		byMinute[t] = n
		return nil
	}, editionID, utc(since))
	if err != nil {
		return nil, fmt.Errorf("sqldb: accepted per minute: %w", err)
	}
	var out []MinuteCount
	for t := since; !t.After(now); t = t.Add(time.Minute) {
		out = append(out, MinuteCount{Minute: t, Count: byMinute[t]})
	}
	return out, nil
}

// minute is the UTC minute of a timestamp column as text: 2026-11-27 06:01.
// The SQLite driver stores times as Go writes them ("2026-11-27
// 06:01:02.5 +0000 UTC", always UTC here: see utc), which SQLite's date
// functions cannot read, so the minute is the text's first 16 characters.
func (d Dialect) minute(column string) string {
	if d == Postgres {
		return "to_char(" + column + " AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI')"
	}
	return "substr(" + column + ", 1, 16)"
}
