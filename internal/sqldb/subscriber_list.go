package sqldb

import (
	"context"
	"fmt"
	"strings"

	"github.com/herald-news/herald"
)

// SubscriberFilter selects subscribers for a listing. Zero fields do not
// filter.
type SubscriberFilter struct {
	NewsletterID int64
	Status       herald.SubscriptionStatus // with NewsletterID: that subscription's status; alone: any subscription's
	EmailPrefix  string                    // case-insensitive
	EmailSearch  string                    // any part of the address, case-insensitive
	After        int64                     // subscribers with a greater ID only (keyset pagination)
	Limit        int
}

// subscriberWhere builds the condition on subscribers s of f, without
// f.After and f.Limit.
func subscriberWhere(f SubscriberFilter) (string, []any) {
	conds := []string{"1 = 1"}
	var args []any
	if f.EmailPrefix != "" {
		args = append(args, escapeLike(emailKey(f.EmailPrefix))+"%")
		conds = append(conds, fmt.Sprintf(`s.email_key LIKE $%d ESCAPE '\'`, len(args)))
	}
	if f.EmailSearch != "" {
		args = append(args, "%"+escapeLike(emailKey(f.EmailSearch))+"%")
		conds = append(conds, fmt.Sprintf(`s.email_key LIKE $%d ESCAPE '\'`, len(args)))
	}
	if f.NewsletterID != 0 || f.Status != "" {
		sub := "SELECT subscriber_id FROM subscriptions WHERE 1 = 1"
		if f.NewsletterID != 0 {
			args = append(args, f.NewsletterID)
			sub += fmt.Sprintf(" AND newsletter_id = $%d", len(args))
		}
		if f.Status != "" {
			args = append(args, string(f.Status))
			sub += fmt.Sprintf(" AND status = $%d", len(args))
		}
		conds = append(conds, "s.id IN ("+sub+")")
	}
	return strings.Join(conds, " AND "), args
}

// ListSubscribers returns subscribers in ID order with their
// subscriptions, after f.After, at most f.Limit (default 50, at most 500).
func (s *SubscriberService) ListSubscribers(ctx context.Context, f SubscriberFilter) ([]*herald.Subscriber, error) {
	where, args := subscriberWhere(f)
	args = append(args, f.After)
	where += fmt.Sprintf(" AND s.id > $%d", len(args))
	limit := f.Limit
	if limit <= 0 || limit > 500 {
		limit = 50
	}
	cols := "s." + strings.ReplaceAll(subscriberColumns, ", ", ", s.")
	subs, err := queryAll(ctx, s.db.db, `SELECT `+cols+` FROM subscribers s WHERE `+where+
		fmt.Sprintf(` ORDER BY s.id LIMIT %d`, limit), scanSubscriber, args...)
	if err != nil {
		return nil, fmt.Errorf("sqldb: list subscribers: %w", err)
	}
	for _, sub := range subs {
		if err := s.loadSubscriptions(ctx, sub); err != nil {
			return nil, err
		}
	}
	return subs, nil
}

// escapeLike escapes LIKE's wildcards so a prefix matches literally.
func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}
