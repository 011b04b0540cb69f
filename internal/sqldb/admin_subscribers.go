package sqldb

import (
	"context"
	"fmt"
	"time"

	"github.com/herald-news/herald"
)

// CountSubscribers counts the subscribers f selects (f.After and f.Limit
// are ignored).
func (s *SubscriberService) CountSubscribers(ctx context.Context, f SubscriberFilter) (int, error) {
	where, args := subscriberWhere(f)
	var n int
	if err := s.db.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM subscribers s WHERE `+where, args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("sqldb: count subscribers: %w", err)
	}
	return n, nil
}

// Consents lists a subscriber's consent records, newest first.
func (s *SubscriberService) Consents(ctx context.Context, subscriberID int64) ([]herald.Consent, error) {
	list, err := queryAll(ctx, s.db.db, `SELECT id, subscriber_id, COALESCE(newsletter_id, 0), action, at, ip, user_agent, form, wording_version
		FROM consents WHERE subscriber_id = $1 ORDER BY at DESC, id DESC LIMIT 500`, func(r rowScanner) (herald.Consent, error) {
		var c herald.Consent
		return c, r.Scan(&c.ID, &c.SubscriberID, &c.NewsletterID, &c.Action, &c.At, &c.IP, &c.UserAgent, &c.Form, &c.WordingVersion)
	}, subscriberID)
	if err != nil {
		return nil, fmt.Errorf("sqldb: consents: %w", err)
	}
	return list, nil
}

// SubscriberSend is one edition sent (or being sent) to a subscriber.
type SubscriberSend struct {
	EditionID  int64
	Newsletter string // slug
	Date       string // the edition's date, YYYY-MM-DD
	Subject    string
	Status     string // the ledger's: queued, accepted, failed, …
	Attempts   int
	UpdatedAt  time.Time
}

// SubscriberSends lists the editions sent to a subscriber, newest first.
func (s *SubscriberService) SubscriberSends(ctx context.Context, subscriberID int64, limit int) ([]SubscriberSend, error) {
	list, err := queryAll(ctx, s.db.db, `SELECT e.id, n.slug, e.edition_date, e.subject, s.status, s.attempts, s.updated_at
		FROM sends s JOIN editions e ON e.id = s.edition_id JOIN newsletters n ON n.id = e.newsletter_id
		WHERE s.subscriber_id = $1 ORDER BY s.id DESC LIMIT $2`, func(r rowScanner) (SubscriberSend, error) {
		var x SubscriberSend
		return x, r.Scan(&x.EditionID, &x.Newsletter, &x.Date, &x.Subject, &x.Status, &x.Attempts, &x.UpdatedAt)
	}, subscriberID, limit)
	if err != nil {
		return nil, fmt.Errorf("sqldb: subscriber sends: %w", err)
	}
	return list, nil
}
