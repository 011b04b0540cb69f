package sqldb

import (
	"context"
	"fmt"

	"github.com/herald-news/herald"
)

// loadCardDetails fills what stream cards show beyond the story row: the
// authors and topics, batched over all stories.
func (s *StoryService) loadCardDetails(ctx context.Context, stories []*herald.Story) error {
	if len(stories) == 0 {
		return nil
	}
	byID := make(map[int64]*herald.Story, len(stories))
	ids := make([]int64, len(stories))
	for i, st := range stories {
		byID[st.ID], ids[i] = st, st.ID
	}
	ph, args := placeholders(ids, 1)
	rows, err := s.db.db.QueryContext(ctx, `SELECT sa.story_id, `+authorColumns+`
		FROM story_authors sa JOIN authors a ON a.id = sa.author_id LEFT JOIN photos p ON p.id = a.photo_id
		WHERE sa.story_id IN (`+ph+`) ORDER BY sa.story_id, sa.position`, args...)
	if err != nil {
		return fmt.Errorf("sqldb: story authors: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var storyID int64
		a, err := scanAuthor(prefixScanner{rows, &storyID})
		if err != nil {
			return fmt.Errorf("sqldb: scan story author: %w", err)
		}
		byID[storyID].Authors = append(byID[storyID].Authors, a)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("sqldb: story authors: %w", err)
	}
	topics, err := s.db.db.QueryContext(ctx, `SELECT st.story_id, t.id, t.slug, t.name, t.description
		FROM story_topics st JOIN topics t ON t.id = st.topic_id
		WHERE st.story_id IN (`+ph+`) ORDER BY st.story_id, t.name`, args...)
	if err != nil {
		return fmt.Errorf("sqldb: story topics: %w", err)
	}
	defer topics.Close()
	for topics.Next() {
		var storyID int64
		var t herald.Topic
		if err := topics.Scan(&storyID, &t.ID, &t.Slug, &t.Name, &t.Description); err != nil {
			return fmt.Errorf("sqldb: scan story topic: %w", err)
		}
		byID[storyID].Topics = append(byID[storyID].Topics, &t)
	}
	return topics.Err()
}

// loadDetails fills everything a story page shows.
func (s *StoryService) loadDetails(ctx context.Context, st *herald.Story) error {
	if err := s.loadCardDetails(ctx, []*herald.Story{st}); err != nil {
		return err
	}
	var err error
	st.Gallery, err = queryAll(ctx, s.db.db, `SELECT p.id, p.path, p.url, p.alt, p.caption, p.credit, p.width, p.height
		FROM story_gallery g JOIN photos p ON p.id = g.photo_id WHERE g.story_id = $1 ORDER BY g.position`,
		func(r rowScanner) (*herald.Photo, error) {
			var p nullPhoto
			if err := r.Scan(p.dest()...); err != nil {
				return nil, err
			}
			return p.photo(), nil
		}, st.ID)
	if err != nil {
		return fmt.Errorf("sqldb: story gallery: %w", err)
	}
	st.Corrections, err = queryAll(ctx, s.db.db, `SELECT id, noted_at, text FROM corrections WHERE story_id = $1 ORDER BY noted_at, id`,
		func(r rowScanner) (*herald.Correction, error) {
			var c herald.Correction
			return &c, r.Scan(&c.ID, &c.Date, &c.Text)
		}, st.ID)
	if err != nil {
		return fmt.Errorf("sqldb: story corrections: %w", err)
	}
	st.RelatedIDs, err = queryAll(ctx, s.db.db, `SELECT related_id FROM story_related WHERE story_id = $1 ORDER BY position`,
		func(r rowScanner) (int64, error) {
			var id int64
			return id, r.Scan(&id)
		}, st.ID)
	if err != nil {
		return fmt.Errorf("sqldb: story related: %w", err)
	}
	return nil
}

// prefixScanner scans one leading column into first, then the rest.
type prefixScanner struct {
	r     rowScanner
	first any
}

func (p prefixScanner) Scan(dest ...any) error {
	return p.r.Scan(append([]any{p.first}, dest...)...)
}
