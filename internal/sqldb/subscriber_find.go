package sqldb

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/herald-news/herald"
)

const subscriberColumns = `id, email, name, utf8_local, created_at, link_key`

func scanSubscriber(r rowScanner) (*herald.Subscriber, error) {
	var s herald.Subscriber
	return &s, r.Scan(&s.ID, &s.Email, &s.Name, &s.UTF8Local, &s.CreatedAt, &s.LinkKey)
}

// FindSubscriber returns a subscriber with their subscriptions.
func (s *SubscriberService) FindSubscriber(ctx context.Context, id int64) (*herald.Subscriber, error) {
	sub, err := scanSubscriber(s.db.db.QueryRowContext(ctx, `SELECT `+subscriberColumns+` FROM subscribers WHERE id = $1`, id))
	if err != nil {
		return nil, notFound(err, "Subscriber")
	}
	return sub, s.loadSubscriptions(ctx, sub)
}

// FindSubscriberByEmail finds a subscriber by address, ignoring case.
func (s *SubscriberService) FindSubscriberByEmail(ctx context.Context, email string) (*herald.Subscriber, error) {
	sub, err := scanSubscriber(s.db.db.QueryRowContext(ctx, `SELECT `+subscriberColumns+` FROM subscribers WHERE email_key = $1`, emailKey(email)))
	if err != nil {
		return nil, notFound(err, "Subscriber")
	}
	return sub, s.loadSubscriptions(ctx, sub)
}

func (s *SubscriberService) loadSubscriptions(ctx context.Context, sub *herald.Subscriber) error {
	var err error
	sub.Subscriptions, err = queryAll(ctx, s.db.db, `
		SELECT s.subscriber_id, s.newsletter_id, n.slug, s.status, s.created_at, s.confirmed_at, s.unsubscribed_at
		FROM subscriptions s JOIN newsletters n ON n.id = s.newsletter_id
		WHERE s.subscriber_id = $1 ORDER BY n.id`, scanSubscription, sub.ID)
	if err != nil {
		return fmt.Errorf("sqldb: subscriptions: %w", err)
	}
	return nil
}

func scanSubscription(r rowScanner) (*herald.Subscription, error) {
	var s herald.Subscription
	var status string
	var confirmed, unsubscribed sql.NullTime
	if err := r.Scan(&s.SubscriberID, &s.NewsletterID, &s.NewsletterSlug, &status, &s.CreatedAt, &confirmed, &unsubscribed); err != nil {
		return nil, err
	}
	s.Status, s.ConfirmedAt, s.UnsubscribedAt = herald.SubscriptionStatus(status), confirmed.Time, unsubscribed.Time
	return &s, nil
}

// Delete erases a subscriber: their row, subscriptions and consent go, and
// only a hash of the address stays on the suppression list so no later
// import or signup brings them back.
func (s *SubscriberService) Delete(ctx context.Context, email string) error {
	return s.db.inTx(ctx, func(tx *Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM subscribers WHERE email_key = $1`, emailKey(email))
		if err != nil {
			return fmt.Errorf("sqldb: delete subscriber: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return herald.Errorf(herald.ENOTFOUND, "No subscriber has the address %s.", email)
		}
		return tx.suppress(ctx, email, "erased on request")
	})
}

// IsSuppressed reports whether an address may never be mailed.
func (s *SubscriberService) IsSuppressed(ctx context.Context, email string) (bool, error) {
	return isSuppressed(ctx, s.db.db, email)
}

func (tx *Tx) suppress(ctx context.Context, email, reason string) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO suppressions (email_hash, reason, created_at) VALUES ($1, $2, $3)
		ON CONFLICT (email_hash) DO NOTHING`, EmailHash(email), reason, tx.now)
	if err != nil {
		return fmt.Errorf("sqldb: suppress: %w", err)
	}
	return nil
}
