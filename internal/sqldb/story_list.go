package sqldb

import (
	"context"
	"fmt"

	"github.com/herald-news/herald"
)

// ListStories returns up to limit stories that match f with an ID below
// before (zero: from the newest), newest first by ID, for keyset
// pagination. f's Limit and Offset are ignored.
func (s *StoryService) ListStories(ctx context.Context, f herald.StoryFilter, before int64, limit int) ([]*herald.Story, error) {
	where, args := storyWhere(f)
	if before > 0 {
		args = append(args, before)
		where += fmt.Sprintf(" AND s.id < $%d", len(args))
	}
	if limit <= 0 || limit > 500 {
		limit = 50
	}
	stories, err := queryAll(ctx, s.db.db, `SELECT `+storyColumns+storyFrom+` WHERE `+where+
		fmt.Sprintf(` ORDER BY s.id DESC LIMIT %d`, limit), scanStory, args...)
	if err != nil {
		return nil, fmt.Errorf("sqldb: list stories: %w", err)
	}
	if err := s.loadCardDetails(ctx, stories); err != nil {
		return nil, err
	}
	return stories, nil
}

// DeleteStory removes a story that readers never see: a draft or an
// unpublished story. Returns ENOTFOUND, or ECONFLICT for a published or
// scheduled story, which must be unpublished first.
func (s *StoryService) DeleteStory(ctx context.Context, id int64) error {
	defer s.db.contentChanged() // the site shows it
	return s.db.inTx(ctx, func(tx *Tx) error {
		var status string
		if err := tx.QueryRowContext(ctx, `SELECT status FROM stories WHERE id = $1`, id).Scan(&status); err != nil {
			return notFound(err, "Story")
		}
		switch herald.StoryStatus(status) {
		case herald.StatusDraft, herald.StatusUnpublished:
		default:
			return herald.Errorf(herald.ECONFLICT, "This story is %s: unpublish it before deleting it.", status)
		}
		// Authors go first, while the story exists: PostgreSQL's search
		// trigger refreshes the story's row on each author removed.
		for _, q := range []string{`DELETE FROM story_authors WHERE story_id = $1`, `DELETE FROM stories WHERE id = $1`} {
			if _, err := tx.ExecContext(ctx, q, id); err != nil {
				return fmt.Errorf("sqldb: delete story: %w", err)
			}
		}
		return nil
	})
}
