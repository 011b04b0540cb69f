package sqldb

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/herald-news/herald"
)

// JobEnqueuer puts background work in the job queue inside the storage
// transaction that makes it necessary, so neither exists without the other.
type JobEnqueuer interface {
	// EnqueueStoryPublish asks for storyID to be marked published at at.
	EnqueueStoryPublish(ctx context.Context, tx *sql.Tx, storyID int64, at time.Time) error
	// EnqueueConfirmation asks for the one confirmation email of a signup.
	EnqueueConfirmation(ctx context.Context, tx *sql.Tx, subscriberID, newsletterID int64) error
}

// StoryService implements herald.StoryService.
type StoryService struct {
	db *DB
	// Jobs, when set, receives a publish job for each scheduled story.
	Jobs JobEnqueuer
}

// NewStoryService returns the story service on db.
func NewStoryService(db *DB) *StoryService { return &StoryService{db: db} }

var _ herald.StoryService = (*StoryService)(nil)

const storyColumns = `s.id, s.slug, s.headline, s.kind, s.status, s.summary, s.body,
	s.published_at, s.updated_at, s.created_at, s.version,
	sec.id, sec.slug, sec.name, sec.description,
	c.id, c.slug, c.name, c.time_zone, c.description,
	p.id, p.path, p.url, p.alt, p.caption, p.credit, p.width, p.height`

const storyFrom = ` FROM stories s
	JOIN sections sec ON sec.id = s.section_id
	LEFT JOIN cities c ON c.id = s.city_id
	LEFT JOIN photos p ON p.id = s.photo_id`

// liveCondition selects stories readers can see at a time bound to $N.
const liveCondition = `s.status IN ('published', 'scheduled') AND s.published_at <= $%d`

// FindStoryByID finds a story with everything its page shows.
func (s *StoryService) FindStoryByID(ctx context.Context, id int64) (*herald.Story, error) {
	st, err := scanStory(s.db.db.QueryRowContext(ctx, `SELECT `+storyColumns+storyFrom+` WHERE s.id = $1`, id))
	if err != nil {
		return nil, notFound(err, "Story")
	}
	if err := s.loadDetails(ctx, st); err != nil {
		return nil, err
	}
	return st, nil
}

// FindStoryBySlug finds a story by its current or a former slug.
func (s *StoryService) FindStoryBySlug(ctx context.Context, slug string) (*herald.Story, error) {
	var id int64
	err := s.db.db.QueryRowContext(ctx, `
		SELECT id FROM stories WHERE slug = $1
		UNION ALL SELECT story_id FROM story_slugs WHERE slug = $1
		LIMIT 1`, slug).Scan(&id)
	if err != nil {
		return nil, notFound(err, "Story")
	}
	return s.FindStoryByID(ctx, id)
}

// FindStories returns the stories that match f, newest first, and how many
// match in all.
func (s *StoryService) FindStories(ctx context.Context, f herald.StoryFilter) ([]*herald.Story, int, error) {
	where, args := storyWhere(f)
	var total int
	if err := s.db.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM stories s WHERE `+where, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("sqldb: count stories: %w", err)
	}
	limit := f.Limit
	if limit <= 0 || limit > 500 {
		limit = 20
	}
	query := `SELECT ` + storyColumns + storyFrom + ` WHERE ` + where +
		fmt.Sprintf(` ORDER BY s.published_at DESC, s.id DESC LIMIT %d OFFSET %d`, limit, max(f.Offset, 0))
	stories, err := queryAll(ctx, s.db.db, query, scanStory, args...)
	if err != nil {
		return nil, 0, fmt.Errorf("sqldb: find stories: %w", err)
	}
	if err := s.loadCardDetails(ctx, stories); err != nil {
		return nil, 0, err
	}
	return stories, total, nil
}

// storyWhere builds the WHERE clause of a story filter with positional
// arguments.
func storyWhere(f herald.StoryFilter) (string, []any) {
	var conds []string
	var args []any
	arg := func(v any) int { args = append(args, v); return len(args) }
	if !f.LiveAt.IsZero() {
		conds = append(conds, fmt.Sprintf(liveCondition, arg(utc(f.LiveAt))))
	}
	if f.Status != "" {
		conds = append(conds, fmt.Sprintf("s.status = $%d", arg(string(f.Status))))
	}
	if f.SectionID != 0 {
		conds = append(conds, fmt.Sprintf("s.section_id = $%d", arg(f.SectionID)))
	}
	if f.CityID != 0 {
		conds = append(conds, fmt.Sprintf("s.city_id = $%d", arg(f.CityID)))
	}
	if f.Kind != "" {
		conds = append(conds, fmt.Sprintf("s.kind = $%d", arg(string(f.Kind))))
	}
	if f.TopicID != 0 {
		conds = append(conds, fmt.Sprintf("s.id IN (SELECT story_id FROM story_topics WHERE topic_id = $%d)", arg(f.TopicID)))
	}
	if f.AuthorID != 0 {
		conds = append(conds, fmt.Sprintf("s.id IN (SELECT story_id FROM story_authors WHERE author_id = $%d)", arg(f.AuthorID)))
	}
	if f.ExcludeID != 0 {
		conds = append(conds, fmt.Sprintf("s.id <> $%d", arg(f.ExcludeID)))
	}
	if len(conds) == 0 {
		return "1 = 1", nil
	}
	return strings.Join(conds, " AND "), args
}

// RelatedStories returns the live editor's picks, topped up with recent live
// stories that share the section, a topic or the city.
func (s *StoryService) RelatedStories(ctx context.Context, st *herald.Story, now time.Time, n int) ([]*herald.Story, error) {
	var out []*herald.Story
	seen := map[int64]bool{st.ID: true}
	if len(st.RelatedIDs) > 0 {
		ph, args := placeholders(st.RelatedIDs, 2)
		picks, err := queryAll(ctx, s.db.db, `SELECT `+storyColumns+storyFrom+` WHERE `+
			fmt.Sprintf(liveCondition, 1)+` AND s.id IN (`+ph+`)`, scanStory, append([]any{utc(now)}, args...)...)
		if err != nil {
			return nil, fmt.Errorf("sqldb: related picks: %w", err)
		}
		byID := map[int64]*herald.Story{}
		for _, p := range picks {
			byID[p.ID] = p
		}
		for _, id := range st.RelatedIDs {
			if p := byID[id]; p != nil && !seen[id] && len(out) < n {
				out, seen[id] = append(out, p), true
			}
		}
	}
	if len(out) < n {
		var cityID int64
		if st.City != nil {
			cityID = st.City.ID
		}
		auto, err := queryAll(ctx, s.db.db, `SELECT `+storyColumns+storyFrom+` WHERE `+fmt.Sprintf(liveCondition, 1)+`
			AND s.id <> $2 AND (s.section_id = $3 OR s.city_id = $4 OR s.id IN (
				SELECT story_id FROM story_topics WHERE topic_id IN (SELECT topic_id FROM story_topics WHERE story_id = $2)))
			ORDER BY s.published_at DESC, s.id DESC LIMIT `+fmt.Sprint(n+len(seen)),
			scanStory, utc(now), st.ID, st.Section.ID, nullInt64(cityID))
		if err != nil {
			return nil, fmt.Errorf("sqldb: related stories: %w", err)
		}
		for _, a := range auto {
			if !seen[a.ID] && len(out) < n {
				out, seen[a.ID] = append(out, a), true
			}
		}
	}
	if err := s.loadCardDetails(ctx, out); err != nil {
		return nil, err
	}
	return out, nil
}

// PublishDueStories marks scheduled stories whose time has come published.
func (s *StoryService) PublishDueStories(ctx context.Context, now time.Time) (int, error) {
	res, err := s.db.db.ExecContext(ctx, `UPDATE stories SET status = 'published', modified_at = $1, version = version + 1
		WHERE status = 'scheduled' AND published_at <= $1`, utc(now))
	if err != nil {
		return 0, fmt.Errorf("sqldb: publish due stories: %w", err)
	}
	n, err := res.RowsAffected()
	if n > 0 {
		s.db.contentChanged()
	}
	return int(n), err
}

func scanStory(r rowScanner) (*herald.Story, error) {
	var st herald.Story
	var sec herald.Section
	var kind, status string
	var published, updated sql.NullTime
	var cityID sql.NullInt64
	var citySlug, cityName, cityZone, cityDesc sql.NullString
	var p nullPhoto
	dest := []any{&st.ID, &st.Slug, &st.Headline, &kind, &status, &st.Summary, &st.Body,
		&published, &updated, &st.CreatedAt, &st.Version,
		&sec.ID, &sec.Slug, &sec.Name, &sec.Description,
		&cityID, &citySlug, &cityName, &cityZone, &cityDesc}
	if err := r.Scan(append(dest, p.dest()...)...); err != nil {
		return nil, err
	}
	st.Kind, st.Status = herald.StoryKind(kind), herald.StoryStatus(status)
	st.PublishedAt, st.UpdatedAt = published.Time, updated.Time
	st.Section = &sec
	if cityID.Valid {
		st.City = &herald.City{ID: cityID.Int64, Slug: citySlug.String, Name: cityName.String,
			TimeZone: cityZone.String, Description: cityDesc.String}
	}
	st.Photo = p.photo()
	return &st, nil
}

// placeholders returns "$first, $first+1, …" for ids and the ids as args.
func placeholders[T any](ids []T, first int) (string, []any) {
	ph := make([]string, len(ids))
	args := make([]any, len(ids))
	for i, id := range ids {
		ph[i] = fmt.Sprintf("$%d", first+i)
		args[i] = id
	}
	return strings.Join(ph, ", "), args
}
