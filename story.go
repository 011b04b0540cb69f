package herald

import (
	"context"
	"fmt"
	"time"
)

// StoryKind is the kind of a story, which decides how the site lays it out.
type StoryKind string

// Story kinds.
const (
	KindNews     StoryKind = "news"
	KindAnalysis StoryKind = "analysis"
	KindOpinion  StoryKind = "opinion" // by an outside contributor; ends with their bio
	KindGallery  StoryKind = "gallery" // "In photos: …"
)

// Valid reports whether k is a known kind.
func (k StoryKind) Valid() bool {
	switch k {
	case KindNews, KindAnalysis, KindOpinion, KindGallery:
		return true
	}
	return false
}

// StoryStatus is where a story is in its life.
type StoryStatus string

// Story statuses.
const (
	StatusDraft       StoryStatus = "draft"
	StatusScheduled   StoryStatus = "scheduled" // goes live at PublishedAt
	StatusPublished   StoryStatus = "published"
	StatusUnpublished StoryStatus = "unpublished"
)

// Valid reports whether s is a known status.
func (s StoryStatus) Valid() bool {
	switch s {
	case StatusDraft, StatusScheduled, StatusPublished, StatusUnpublished:
		return true
	}
	return false
}

// Story is one story of the newsroom.
type Story struct {
	ID       int64
	Slug     string
	Headline string
	Kind     StoryKind
	Status   StoryStatus
	Summary  string // shown on stream cards; the lede when empty
	Body     string // Markdown with Smart Brevity axioms

	Section     *Section
	City        *City // set for local stories
	Topics      []*Topic
	Authors     []*Author
	Photo       *Photo   // lead photo
	Gallery     []*Photo // photos of a gallery story
	Corrections []*Correction
	RelatedIDs  []int64 // editor-picked "Go deeper" stories, in order

	PublishedAt time.Time // zero for drafts; the go-live time of scheduled stories
	UpdatedAt   time.Time // when the content was last edited after publication, else zero
	// Version rises with every save. A save that names the version it was
	// made from is refused (ESTALE) when someone saved since; zero saves
	// whatever the version (last write wins).
	Version   int
	CreatedAt time.Time
}

// Live reports whether readers can see the story at now. A scheduled story
// is live from its publish time on, whether or not the job that marks it
// published has run yet, so readers never wait on a queue.
func (s *Story) Live(now time.Time) bool {
	switch s.Status {
	case StatusPublished, StatusScheduled:
		return !s.PublishedAt.IsZero() && !s.PublishedAt.After(now)
	}
	return false
}

// EditNeeds is the permission a change to the story needs: one that
// readers see now or will at its scheduled time goes through an editor,
// since a writer's change would go live unreviewed.
func (s *Story) EditNeeds() Permission {
	if s.Status == StatusPublished || s.Status == StatusScheduled {
		return PermPublish
	}
	return PermDraft
}

// DeleteNeeds is the permission deleting the story needs: a writer may
// delete a draft; a story that was ever public (its address may be
// linked) takes an editor. Live stories are unpublished first.
func (s *Story) DeleteNeeds() Permission {
	if s.Status == StatusDraft {
		return PermDraft
	}
	return PermPublish
}

// Updated reports whether the story was edited after it was published, which
// the site shows as "Updated …".
func (s *Story) Updated() bool {
	return !s.UpdatedAt.IsZero() && s.UpdatedAt.Sub(s.PublishedAt) >= time.Minute
}

// ShownTime is the time a card shows: the update time when there is one.
func (s *Story) ShownTime() time.Time {
	if s.Updated() {
		return s.UpdatedAt
	}
	return s.PublishedAt
}

// Path is the story's stable URL path: /YYYY/MM/DD/slug, or
// /local/{city}/YYYY/MM/DD/slug for local stories. The date is the UTC
// publication date so that a change of the site's zone moves no URL.
func (s *Story) Path() string {
	d := s.PublishedAt.UTC()
	if s.PublishedAt.IsZero() {
		d = s.CreatedAt.UTC()
	}
	date := fmt.Sprintf("%04d/%02d/%02d", d.Year(), d.Month(), d.Day())
	if s.City != nil {
		return "/local/" + s.City.Slug + "/" + date + "/" + s.Slug
	}
	return "/" + date + "/" + s.Slug
}

// Contributor returns the first outside contributor among the authors, for
// the bio line at the end of opinion pieces.
func (s *Story) Contributor() *Author {
	for _, a := range s.Authors {
		if a.Kind == AuthorContributor {
			return a
		}
	}
	return nil
}

// CardSummary is the summary shown on stream cards.
func (s *Story) CardSummary() string {
	if s.Summary != "" {
		return s.Summary
	}
	return ParseBody(s.Body).Lede()
}

// Correction is a note appended to a story after a factual fix.
type Correction struct {
	ID   int64
	Date time.Time
	Text string
}

// StoryFilter selects stories for streams. Zero fields do not filter.
type StoryFilter struct {
	LiveAt    time.Time // only stories live at this time (required by the site)
	SectionID int64
	TopicID   int64
	AuthorID  int64
	CityID    int64
	Kind      StoryKind
	Status    StoryStatus
	ExcludeID int64
	Limit     int
	Offset    int
}

// StoryService stores and finds stories.
type StoryService interface {
	// FindStoryByID returns ENOTFOUND when there is no such story.
	FindStoryByID(ctx context.Context, id int64) (*Story, error)
	// FindStoryBySlug finds a story by its current or a former slug.
	// Returns ENOTFOUND when no story ever had it.
	FindStoryBySlug(ctx context.Context, slug string) (*Story, error)
	// FindStories returns stories newest first and the total that match.
	FindStories(ctx context.Context, f StoryFilter) ([]*Story, int, error)
	// CreateStory stores a new story with its photos, topics, authors,
	// corrections and related picks in one transaction.
	// Returns EINVALID or ECONFLICT (slug taken).
	CreateStory(ctx context.Context, s *Story) error
	// UpdateStory replaces a story's content; a changed slug keeps the old
	// one as a redirect. Edits to a live story set UpdatedAt.
	UpdateStory(ctx context.Context, s *Story) error
	// SetStoryStatus publishes, schedules or unpublishes a story.
	SetStoryStatus(ctx context.Context, id int64, status StoryStatus, at time.Time) error
	// RelatedStories returns the editor's picks that are live, else recent
	// live stories sharing a section, topic or city; never the story itself.
	RelatedStories(ctx context.Context, s *Story, now time.Time, n int) ([]*Story, error)
	// PublishDueStories marks scheduled stories whose time has come as
	// published and returns how many it changed.
	PublishDueStories(ctx context.Context, now time.Time) (int, error)
}
