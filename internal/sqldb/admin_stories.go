package sqldb

import (
	"context"
	"fmt"
	"strings"

	"github.com/herald-news/herald"
)

// DeskFilter selects stories for the newsroom's story list: a StoryFilter
// plus words the headline must contain.
type DeskFilter struct {
	herald.StoryFilter
	Headline string // case-insensitive substring of the headline
}

// FindDeskStories returns the stories that match f for the newsroom's
// list, newest first by publication time, or by creation time for stories
// never published, and how many match in all.
func (s *StoryService) FindDeskStories(ctx context.Context, f DeskFilter) ([]*herald.Story, int, error) {
	where, args := storyWhere(f.StoryFilter)
	if q := strings.TrimSpace(f.Headline); q != "" {
		args = append(args, "%"+likeEscaper.Replace(strings.ToLower(q))+"%")
		where += fmt.Sprintf(` AND LOWER(s.headline) LIKE $%d ESCAPE '\'`, len(args))
	}
	var total int
	if err := s.db.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM stories s WHERE `+where, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("sqldb: count desk stories: %w", err)
	}
	limit := f.Limit
	if limit <= 0 || limit > 200 {
		limit = 25
	}
	query := `SELECT ` + storyColumns + storyFrom + ` WHERE ` + where +
		fmt.Sprintf(` ORDER BY COALESCE(s.published_at, s.created_at) DESC, s.id DESC LIMIT %d OFFSET %d`, limit, max(f.Offset, 0))
	stories, err := queryAll(ctx, s.db.db, query, scanStory, args...)
	if err != nil {
		return nil, 0, fmt.Errorf("sqldb: find desk stories: %w", err)
	}
	if err := s.loadCardDetails(ctx, stories); err != nil {
		return nil, 0, err
	}
	return stories, total, nil
}

// likeEscaper escapes LIKE's wildcards so a search for "50%" means it.
var likeEscaper = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
