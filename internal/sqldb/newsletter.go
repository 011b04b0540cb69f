package sqldb

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/herald-news/herald"
)

const newsletterColumns = `n.id, n.slug, n.name, n.promise, n.signup_title, n.days, n.send_time,
	n.time_zone, n.sections, n.topics, n.from_name, n.from_email, n.send_mode, n.version,
	a.id, a.slug, a.name, c.id, c.slug, c.name, c.time_zone`

const newsletterFrom = ` FROM newsletters n
	LEFT JOIN authors a ON a.id = n.curator_id
	LEFT JOIN cities c ON c.id = n.city_id`

// Newsletters returns every newsletter: national ones first, then by name.
func (s *NewsroomService) Newsletters(ctx context.Context) ([]*herald.Newsletter, error) {
	return queryAll(ctx, s.db.db, `SELECT `+newsletterColumns+newsletterFrom+` ORDER BY n.city_id IS NOT NULL, n.id`, scanNewsletter)
}

// FindNewsletter finds a newsletter by slug.
func (s *NewsroomService) FindNewsletter(ctx context.Context, slug string) (*herald.Newsletter, error) {
	n, err := scanNewsletter(s.db.db.QueryRowContext(ctx, `SELECT `+newsletterColumns+newsletterFrom+` WHERE n.slug = $1`, slug))
	return n, notFound(err, "Newsletter")
}

// SaveNewsletter creates or updates a newsletter by slug. Its curator and
// city must already be stored.
func (s *NewsroomService) SaveNewsletter(ctx context.Context, n *herald.Newsletter) error {
	defer s.db.contentChanged() // the site shows it
	if err := n.Validate(); err != nil {
		return err
	}
	if err := s.db.refuseNoFromAddress(ctx, n); err != nil {
		return err
	}
	var curatorID, cityID int64
	if n.Curator != nil {
		curatorID = n.Curator.ID
	}
	if n.City != nil {
		cityID = n.City.ID
	}
	// The update happens only from the version the save names (or any,
	// for none): otherwise no row comes back and the save is stale.
	err := s.db.db.QueryRowContext(ctx, `
		INSERT INTO newsletters (slug, name, promise, signup_title, curator_id, days, send_time,
			time_zone, city_id, sections, topics, from_name, from_email, send_mode)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
		ON CONFLICT (slug) DO UPDATE SET name = excluded.name, promise = excluded.promise,
			signup_title = excluded.signup_title, curator_id = excluded.curator_id, days = excluded.days,
			send_time = excluded.send_time, time_zone = excluded.time_zone, city_id = excluded.city_id,
			sections = excluded.sections, topics = excluded.topics, from_name = excluded.from_name,
			from_email = excluded.from_email, send_mode = excluded.send_mode, version = newsletters.version + 1
		WHERE $15 = 0 OR newsletters.version = $15
		RETURNING id, version`,
		n.Slug, n.Name, n.Promise, n.SignupTitle, nullInt64(curatorID), strings.Join(n.Days, ","), n.SendTime,
		n.TimeZone, nullInt64(cityID), strings.Join(n.Sections, ","), strings.Join(n.Topics, ","),
		n.FromName, n.FromEmail, string(n.SendMode), n.Version).Scan(&n.ID, &n.Version)
	return staleIfNoRow(err, n.Name)
}

func scanNewsletter(r rowScanner) (*herald.Newsletter, error) {
	var n herald.Newsletter
	var days, sections, topics, mode string
	var curatorID, cityID sql.NullInt64
	var curatorSlug, curatorName, citySlug, cityName, cityZone sql.NullString
	err := r.Scan(&n.ID, &n.Slug, &n.Name, &n.Promise, &n.SignupTitle, &days, &n.SendTime,
		&n.TimeZone, &sections, &topics, &n.FromName, &n.FromEmail, &mode, &n.Version,
		&curatorID, &curatorSlug, &curatorName, &cityID, &citySlug, &cityName, &cityZone)
	if err != nil {
		return nil, err
	}
	n.SendMode = herald.SendMode(mode)
	n.Days, n.Sections, n.Topics = splitList(days), splitList(sections), splitList(topics)
	if curatorID.Valid {
		n.Curator = &herald.Author{ID: curatorID.Int64, Slug: curatorSlug.String, Name: curatorName.String}
	}
	if cityID.Valid {
		n.City = &herald.City{ID: cityID.Int64, Slug: citySlug.String, Name: cityName.String, TimeZone: cityZone.String}
	}
	return &n, nil
}

func splitList(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ",")
}

// DeskSeen is how far the edition desk has looked at a newsletter's send
// slots; zero before its first look.
func (s *NewsroomService) DeskSeen(ctx context.Context, newsletterID int64) (time.Time, error) {
	var seen sql.NullTime
	err := s.db.db.QueryRowContext(ctx, `SELECT desk_seen_at FROM newsletters WHERE id = $1`, newsletterID).Scan(&seen)
	if err != nil {
		return time.Time{}, notFound(err, "Newsletter")
	}
	return seen.Time, nil
}

// SetDeskSeen records that the desk has looked at a newsletter's slots up
// to at.
func (s *NewsroomService) SetDeskSeen(ctx context.Context, newsletterID int64, at time.Time) error {
	if _, err := s.db.db.ExecContext(ctx, `UPDATE newsletters SET desk_seen_at = $1 WHERE id = $2`, utc(at), newsletterID); err != nil {
		return fmt.Errorf("sqldb: set desk seen: %w", err)
	}
	return nil
}
