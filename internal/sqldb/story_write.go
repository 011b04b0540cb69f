package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/herald-news/herald"
)

// maxHeadline is far above what Smart Brevity wants; it only stops abuse.
const maxHeadline = 200

// validateStory checks what every stored story must have.
func validateStory(st *herald.Story) error {
	switch {
	case st.Headline == "":
		return herald.Errorf(herald.EINVALID, "headline: a story needs a headline.")
	case len([]rune(st.Headline)) > maxHeadline:
		return herald.Errorf(herald.EINVALID, "headline: keep it under %d characters.", maxHeadline)
	case !herald.ValidSlug(st.Slug):
		return herald.Errorf(herald.EINVALID, "slug: %q is not a valid slug (lower-case letters, digits and hyphens).", st.Slug)
	case !st.Kind.Valid():
		return herald.Errorf(herald.EINVALID, "kind: %q is not one of news, analysis, opinion, gallery.", st.Kind)
	case !st.Status.Valid():
		return herald.Errorf(herald.EINVALID, "status: %q is not one of draft, scheduled, published, unpublished.", st.Status)
	case st.Section == nil || st.Section.ID == 0:
		return herald.Errorf(herald.EINVALID, "section: a story needs a section.")
	case len(st.Authors) == 0:
		return herald.Errorf(herald.EINVALID, "authors: a story needs at least one author.")
	case st.Status == herald.StatusScheduled && st.PublishedAt.IsZero():
		return herald.Errorf(herald.EINVALID, "published: a scheduled story needs a publish time.")
	}
	if err := herald.CheckMarkdown("body", st.Body, herald.MaxStoryBodyChars); err != nil {
		return herald.Errorf(herald.EINVALID, "body: %s", herald.ErrorMessage(err))
	}
	return nil
}

// CreateStory stores a new story and everything attached to it in one
// transaction. A published story with a future time is stored as scheduled.
func (s *StoryService) CreateStory(ctx context.Context, st *herald.Story) error {
	defer s.db.contentChanged() // the site shows it
	if st.Slug == "" {
		st.Slug = herald.Slugify(st.Headline)
	}
	if err := validateStory(st); err != nil {
		return err
	}
	return s.db.inTx(ctx, func(tx *Tx) error {
		if err := tx.checkSlugFree(ctx, st.Slug, 0); err != nil {
			return err
		}
		normaliseSchedule(st, tx.now)
		st.CreatedAt = tx.now
		photoID, err := tx.saveStoryPhoto(ctx, st)
		if err != nil {
			return err
		}
		err = tx.QueryRowContext(ctx, `
			INSERT INTO stories (slug, headline, kind, status, summary, body, section_id, city_id, photo_id,
				published_at, updated_at, created_at, modified_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12) RETURNING id`,
			st.Slug, st.Headline, string(st.Kind), string(st.Status), st.Summary, st.Body, st.Section.ID,
			cityID(st), photoID, utc(st.PublishedAt), utc(st.UpdatedAt), tx.now).Scan(&st.ID)
		st.Version = 1
		if err != nil {
			return fmt.Errorf("sqldb: insert story: %w", err)
		}
		return s.writeAttachments(ctx, tx, st)
	})
}

// UpdateStory replaces a story's content. A changed slug keeps the old one
// as a redirect; an edit to a live story stamps UpdatedAt.
func (s *StoryService) UpdateStory(ctx context.Context, st *herald.Story) error {
	defer s.db.contentChanged() // the site shows it
	if err := validateStory(st); err != nil {
		return err
	}
	return s.db.inTx(ctx, func(tx *Tx) error {
		var oldSlug string
		var version int
		if err := tx.QueryRowContext(ctx, `SELECT slug, version FROM stories WHERE id = $1`+s.db.dialect.rowLock(), st.ID).Scan(&oldSlug, &version); err != nil {
			return notFound(err, "Story")
		}
		if st.Version != 0 && st.Version != version {
			return stale("this story")
		}
		if oldSlug != st.Slug {
			if err := tx.checkSlugFree(ctx, st.Slug, st.ID); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `DELETE FROM story_slugs WHERE slug = $1`, st.Slug); err != nil {
				return fmt.Errorf("sqldb: free slug: %w", err)
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO story_slugs (slug, story_id) VALUES ($1, $2)`, oldSlug, st.ID); err != nil {
				return fmt.Errorf("sqldb: keep old slug: %w", err)
			}
		}
		normaliseSchedule(st, tx.now)
		if st.Live(tx.now) {
			st.UpdatedAt = tx.now
		}
		photoID, err := tx.saveStoryPhoto(ctx, st)
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `
			UPDATE stories SET slug = $1, headline = $2, kind = $3, status = $4, summary = $5, body = $6,
				section_id = $7, city_id = $8, photo_id = $9, published_at = $10, updated_at = $11, modified_at = $12,
				version = version + 1
			WHERE id = $13`,
			st.Slug, st.Headline, string(st.Kind), string(st.Status), st.Summary, st.Body, st.Section.ID,
			cityID(st), photoID, utc(st.PublishedAt), utc(st.UpdatedAt), tx.now, st.ID)
		if err != nil {
			return fmt.Errorf("sqldb: update story: %w", err)
		}
		st.Version = version + 1
		for _, table := range []string{"story_authors", "story_topics", "story_gallery", "story_related", "corrections"} {
			if _, err := tx.ExecContext(ctx, `DELETE FROM `+table+` WHERE story_id = $1`, st.ID); err != nil {
				return fmt.Errorf("sqldb: clear %s: %w", table, err)
			}
		}
		return s.writeAttachments(ctx, tx, st)
	})
}

// SetStoryStatus publishes (now, or at at when given), schedules (at must
// be in the future), unpublishes or returns a story to draft.
func (s *StoryService) SetStoryStatus(ctx context.Context, id int64, status herald.StoryStatus, at time.Time) error {
	defer s.db.contentChanged() // the site shows it
	if !status.Valid() {
		return herald.Errorf(herald.EINVALID, "Unknown status %q.", status)
	}
	return s.db.inTx(ctx, func(tx *Tx) error {
		var published sql.NullTime
		var current string
		if err := tx.QueryRowContext(ctx, `SELECT status, published_at FROM stories WHERE id = $1`, id).Scan(&current, &published); err != nil {
			return notFound(err, "Story")
		}
		when := published.Time
		switch status {
		case herald.StatusDraft:
			if current != string(herald.StatusScheduled) {
				return herald.Errorf(herald.EINVALID, "Only a scheduled story goes back to being a draft; unpublish a live one.")
			}
			when = time.Time{} // off the schedule: its publish job finds it no longer scheduled
		case herald.StatusPublished:
			if !at.IsZero() {
				when = at
			} else if when.IsZero() || when.After(tx.now) {
				when = tx.now
			}
			if when.After(tx.now) {
				status = herald.StatusScheduled
			}
		case herald.StatusScheduled:
			if !at.After(tx.now) {
				return herald.Errorf(herald.EINVALID, "Pick a time in the future to schedule a story.")
			}
			when = at
		}
		_, err := tx.ExecContext(ctx, `UPDATE stories SET status = $1, published_at = $2, modified_at = $3, version = version + 1 WHERE id = $4`,
			string(status), utc(when), tx.now, id)
		if err != nil {
			return fmt.Errorf("sqldb: set story status: %w", err)
		}
		if status == herald.StatusScheduled && s.Jobs != nil {
			return s.Jobs.EnqueueStoryPublish(ctx, tx.Tx, id, when)
		}
		return nil
	})
}

// normaliseSchedule gives published stories a time and turns a published
// story with a future time into a scheduled one.
func normaliseSchedule(st *herald.Story, now time.Time) {
	if st.Status == herald.StatusPublished && st.PublishedAt.IsZero() {
		st.PublishedAt = now
	}
	if st.Status == herald.StatusPublished && st.PublishedAt.After(now) {
		st.Status = herald.StatusScheduled
	}
}

// writeAttachments inserts a story's authors, topics, gallery, related
// picks and corrections, and enqueues the publish job of a scheduled story.
func (s *StoryService) writeAttachments(ctx context.Context, tx *Tx, st *herald.Story) error {
	for i, a := range st.Authors {
		if _, err := tx.ExecContext(ctx, `INSERT INTO story_authors (story_id, author_id, position) VALUES ($1, $2, $3)
			ON CONFLICT DO NOTHING`, st.ID, a.ID, i); err != nil {
			return fmt.Errorf("sqldb: story author: %w", err)
		}
	}
	for _, t := range st.Topics {
		if _, err := tx.ExecContext(ctx, `INSERT INTO story_topics (story_id, topic_id) VALUES ($1, $2)
			ON CONFLICT DO NOTHING`, st.ID, t.ID); err != nil {
			return fmt.Errorf("sqldb: story topic: %w", err)
		}
	}
	for i, p := range st.Gallery {
		if err := tx.savePhoto(ctx, p); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO story_gallery (story_id, photo_id, position) VALUES ($1, $2, $3)`,
			st.ID, p.ID, i); err != nil {
			return fmt.Errorf("sqldb: story gallery: %w", err)
		}
	}
	for i, id := range st.RelatedIDs {
		if id == st.ID {
			continue
		}
		var found int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM stories WHERE id = $1`, id).Scan(&found); err != nil {
			return fmt.Errorf("sqldb: related story: %w", err)
		} else if found == 0 {
			return herald.Errorf(herald.EINVALID, "related: there is no story %d.", id)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO story_related (story_id, related_id, position) VALUES ($1, $2, $3)
			ON CONFLICT DO NOTHING`, st.ID, id, i); err != nil {
			return fmt.Errorf("sqldb: related story: %w", err)
		}
	}
	for _, c := range st.Corrections {
		if c.Date.IsZero() {
			c.Date = tx.now
		}
		if err := tx.QueryRowContext(ctx, `INSERT INTO corrections (story_id, noted_at, text) VALUES ($1, $2, $3) RETURNING id`,
			st.ID, utc(c.Date), c.Text).Scan(&c.ID); err != nil {
			return fmt.Errorf("sqldb: correction: %w", err)
		}
	}
	if st.Status == herald.StatusScheduled && s.Jobs != nil {
		return s.Jobs.EnqueueStoryPublish(ctx, tx.Tx, st.ID, st.PublishedAt)
	}
	return nil
}

// checkSlugFree returns ECONFLICT when another story has or had slug.
func (tx *Tx) checkSlugFree(ctx context.Context, slug string, self int64) error {
	var owner int64
	err := tx.QueryRowContext(ctx, `SELECT id FROM stories WHERE slug = $1
		UNION ALL SELECT story_id FROM story_slugs WHERE slug = $1 LIMIT 1`, slug).Scan(&owner)
	switch {
	case errors.Is(err, sql.ErrNoRows) || (err == nil && owner == self):
		return nil
	case err != nil:
		return fmt.Errorf("sqldb: check slug: %w", err)
	}
	return herald.Errorf(herald.ECONFLICT, "slug: another story already uses %q.", slug)
}

// saveStoryPhoto stores the lead photo if new and returns its ID for binding.
func (tx *Tx) saveStoryPhoto(ctx context.Context, st *herald.Story) (any, error) {
	if st.Photo == nil {
		return nil, nil
	}
	if err := tx.savePhoto(ctx, st.Photo); err != nil {
		return nil, err
	}
	return st.Photo.ID, nil
}

func cityID(st *herald.Story) any {
	if st.City == nil {
		return nil
	}
	return nullInt64(st.City.ID)
}
