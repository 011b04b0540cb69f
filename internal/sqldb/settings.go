package sqldb

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/herald-news/herald"
)

// SiteService implements herald.SiteService in the settings table.
type SiteService struct{ db *DB }

// NewSiteService returns the site settings service on db.
func NewSiteService(db *DB) *SiteService { return &SiteService{db: db} }

var _ herald.SiteService = (*SiteService)(nil)

const siteKey = "site"

// Site returns the stored site settings or the defaults.
func (s *SiteService) Site(ctx context.Context) (*herald.Site, error) {
	var raw string
	err := s.db.db.QueryRowContext(ctx, `SELECT value FROM settings WHERE key = $1`, siteKey).Scan(&raw)
	site := herald.DefaultSite
	if errors.Is(err, sql.ErrNoRows) {
		return &site, nil
	} else if err != nil {
		return nil, fmt.Errorf("sqldb: site settings: %w", err)
	}
	if err := json.Unmarshal([]byte(raw), &site); err != nil {
		return nil, fmt.Errorf("sqldb: site settings: %w", err)
	}
	return &site, nil
}

// SaveSite stores the site settings.
func (s *SiteService) SaveSite(ctx context.Context, site *herald.Site) error {
	defer s.db.contentChanged() // the site shows it
	if err := site.Validate(); err != nil {
		return err
	}
	if err := s.db.refuseNoPostalAddress(ctx, site); err != nil {
		return err
	}
	return s.db.inTx(ctx, func(tx *Tx) error {
		var stored herald.Site
		var raw string
		err := tx.QueryRowContext(ctx, `SELECT value FROM settings WHERE key = $1`+s.db.dialect.rowLock(), siteKey).Scan(&raw)
		switch {
		case errors.Is(err, sql.ErrNoRows):
		case err != nil:
			return fmt.Errorf("sqldb: site settings: %w", err)
		default:
			if err := json.Unmarshal([]byte(raw), &stored); err != nil {
				return fmt.Errorf("sqldb: site settings: %w", err)
			}
		}
		if site.Version != 0 && site.Version != stored.Version {
			return stale("the site's settings")
		}
		site.Version = stored.Version + 1
		encoded, err := json.Marshal(site)
		if err != nil {
			return fmt.Errorf("sqldb: encode site: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO settings (key, value) VALUES ($1, $2)
			ON CONFLICT (key) DO UPDATE SET value = excluded.value`, siteKey, string(encoded)); err != nil {
			return fmt.Errorf("sqldb: save site: %w", err)
		}
		return nil
	})
}
