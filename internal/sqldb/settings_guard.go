package sqldb

import (
	"context"
	"fmt"
	"strings"

	"github.com/herald-news/herald"
)

// activeNewsletters names the newsletters that have readers (newsletterID
// zero: every one), which need a postal address and a From address to
// send.
func (db *DB) activeNewsletters(ctx context.Context, newsletterID int64) ([]string, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT n.name FROM newsletters n WHERE ($1 = 0 OR n.id = $1)
		AND EXISTS (SELECT 1 FROM subscriptions s WHERE s.newsletter_id = n.id AND s.status = 'active') ORDER BY n.id`, newsletterID)
	if err != nil {
		return nil, fmt.Errorf("sqldb: active newsletters: %w", err)
	}
	defer rows.Close()
	var names []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			return nil, err
		}
		names = append(names, name)
	}
	return names, rows.Err()
}

// refuseNoPostalAddress refuses to clear the postal address while a
// newsletter has readers: every edition must carry it.
func (db *DB) refuseNoPostalAddress(ctx context.Context, site *herald.Site) error {
	if site.PostalAddress != "" {
		return nil
	}
	names, err := db.activeNewsletters(ctx, 0)
	if err != nil || len(names) == 0 {
		return err
	}
	return herald.Errorf(herald.EINVALID, "The postal address cannot be empty: every email of %s must show it, and they have readers.",
		strings.Join(names, ", "))
}

// refuseNoFromAddress refuses to clear the From address of a newsletter
// that has readers.
func (db *DB) refuseNoFromAddress(ctx context.Context, n *herald.Newsletter) error {
	if n.FromEmail != "" {
		return nil
	}
	var id int64
	var from string
	err := db.db.QueryRowContext(ctx, `SELECT id, from_email FROM newsletters WHERE slug = $1`, n.Slug).Scan(&id, &from)
	if err != nil || from == "" {
		return nil // a new newsletter, or one that never had an address
	}
	names, err := db.activeNewsletters(ctx, id)
	if err != nil || len(names) == 0 {
		return err
	}
	return herald.Errorf(herald.EINVALID, "%s has readers, so it needs a From address (now %s): editions cannot go out without one.",
		names[0], from)
}
