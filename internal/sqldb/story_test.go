package sqldb_test

import (
	"context"
	"testing"
	"time"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/internal/sqldb"
	"github.com/herald-news/herald/internal/sqldb/sqldbtest"
)

// fixture is a small newsroom: one section, one city, one topic, two authors.
type fixture struct {
	db       *sqldb.DB
	clock    *herald.FakeClock
	stories  *sqldb.StoryService
	newsroom *sqldb.NewsroomService
	world    *herald.Section
	politics *herald.Section
	denver   *herald.City
	climate  *herald.Topic
	reporter *herald.Author
	guest    *herald.Author
}

func mustFixture(t testing.TB) *fixture {
	t.Helper()
	ctx := context.Background()
	db := sqldbtest.MustOpen(t)
	f := &fixture{db: db, clock: herald.NewFakeClock(time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)),
		stories: sqldb.NewStoryService(db), newsroom: sqldb.NewNewsroomService(db)}
	db.Clock = f.clock
	f.world = &herald.Section{Slug: "world", Name: "World"}
	f.politics = &herald.Section{Slug: "politics", Name: "Politics & Policy"}
	f.denver = &herald.City{Slug: "denver", Name: "Denver", TimeZone: "America/Denver"}
	f.climate = &herald.Topic{Slug: "climate", Name: "Climate"}
	f.reporter = &herald.Author{Slug: "ana-ruiz", Name: "Ana Ruiz", Kind: herald.AuthorStaff}
	f.guest = &herald.Author{Slug: "lee-park", Name: "Lee Park", Kind: herald.AuthorContributor, Bio: "Lee Park directs a think tank."}
	for _, err := range []error{
		f.newsroom.SaveSection(ctx, f.world), f.newsroom.SaveSection(ctx, f.politics),
		f.newsroom.SaveCity(ctx, f.denver), f.newsroom.SaveTopic(ctx, f.climate),
		f.newsroom.SaveAuthor(ctx, f.reporter), f.newsroom.SaveAuthor(ctx, f.guest),
	} {
		if err != nil {
			t.Fatal(err)
		}
	}
	return f
}

// mustStory stores a published story of the world section ago before now.
func (f *fixture) mustStory(t *testing.T, headline string, ago time.Duration, edit func(*herald.Story)) *herald.Story {
	t.Helper()
	st := &herald.Story{Headline: headline, Kind: herald.KindNews, Status: herald.StatusPublished,
		Body: "A lede.\n\n**Why it matters:** Because.", Section: f.world, Authors: []*herald.Author{f.reporter},
		PublishedAt: f.clock.Now().Add(-ago)}
	if edit != nil {
		edit(st)
	}
	if err := f.stories.CreateStory(context.Background(), st); err != nil {
		t.Fatalf("create %q: %v", headline, err)
	}
	return st
}

func TestStoryRoundTrip(t *testing.T) {
	ctx := context.Background()
	f := mustFixture(t)
	other := f.mustStory(t, "Other story", time.Hour, nil)
	st := f.mustStory(t, "Council backs new bike lanes", 10*time.Minute, func(s *herald.Story) {
		s.Kind = herald.KindOpinion
		s.City = f.denver
		s.Topics = []*herald.Topic{f.climate}
		s.Authors = []*herald.Author{f.guest, f.reporter}
		s.Photo = &herald.Photo{URL: "https://example.com/a.jpg", Alt: "Riders", Caption: "Riders on Colfax.", Credit: "Jo Lee/Herald"}
		s.Gallery = []*herald.Photo{{Path: "g/1.png", Alt: "One"}, {Path: "g/2.png", Alt: "Two"}}
		s.Corrections = []*herald.Correction{{Text: "An earlier version misspelled a name."}}
		s.RelatedIDs = []int64{other.ID}
	})
	got, err := f.stories.FindStoryBySlug(ctx, "council-backs-new-bike-lanes")
	if err != nil {
		t.Fatal(err)
	}
	if got.Headline != st.Headline || got.Kind != herald.KindOpinion || got.City.Slug != "denver" || got.Section.Slug != "world" {
		t.Errorf("story = %+v", got)
	}
	if len(got.Authors) != 2 || got.Authors[0].Slug != "lee-park" || got.Contributor().Bio == "" {
		t.Errorf("authors = %+v", got.Authors)
	}
	if got.Photo == nil || got.Photo.Credit != "Jo Lee/Herald" || len(got.Gallery) != 2 || got.Gallery[1].Alt != "Two" {
		t.Errorf("photos = %+v %+v", got.Photo, got.Gallery)
	}
	if len(got.Corrections) != 1 || len(got.Topics) != 1 || len(got.RelatedIDs) != 1 || got.RelatedIDs[0] != other.ID {
		t.Errorf("corrections %v topics %v related %v", got.Corrections, got.Topics, got.RelatedIDs)
	}
	if !got.PublishedAt.Equal(f.clock.Now().Add(-10*time.Minute)) || got.Updated() {
		t.Errorf("published %v updated %v", got.PublishedAt, got.UpdatedAt)
	}
	if want := "/local/denver/2026/11/27/council-backs-new-bike-lanes"; got.Path() != want {
		t.Errorf("path = %q, want %q", got.Path(), want)
	}
}

func TestStoryEditStampsUpdatedAndKeepsOldSlug(t *testing.T) {
	ctx := context.Background()
	f := mustFixture(t)
	st := f.mustStory(t, "First headline", 2*time.Hour, nil)
	f.clock.Advance(30 * time.Minute)
	st.Headline, st.Slug = "Better headline", "better-headline"
	if err := f.stories.UpdateStory(ctx, st); err != nil {
		t.Fatal(err)
	}
	got, err := f.stories.FindStoryBySlug(ctx, "first-headline")
	if err != nil {
		t.Fatalf("old slug no longer found: %v", err)
	}
	if got.Slug != "better-headline" || !got.Updated() || !got.UpdatedAt.Equal(f.clock.Now()) {
		t.Errorf("slug %q updated %v at %v", got.Slug, got.Updated(), got.UpdatedAt)
	}
	// The freed old slug cannot be taken by a new story: it still redirects.
	dup := &herald.Story{Headline: "First headline", Kind: herald.KindNews, Status: herald.StatusDraft,
		Section: f.world, Authors: []*herald.Author{f.reporter}}
	if err := f.stories.CreateStory(ctx, dup); herald.ErrorCode(err) != herald.ECONFLICT {
		t.Errorf("reusing an old slug: err = %v, want conflict", err)
	}
}

func TestCreateStoryRejectsInvalidAndStoresNothing(t *testing.T) {
	ctx := context.Background()
	f := mustFixture(t)
	tests := map[string]*herald.Story{
		"headline": {Kind: herald.KindNews, Status: herald.StatusDraft, Section: f.world, Authors: []*herald.Author{f.reporter}},
		"section":  {Headline: "H", Kind: herald.KindNews, Status: herald.StatusDraft, Authors: []*herald.Author{f.reporter}},
		"authors":  {Headline: "H", Kind: herald.KindNews, Status: herald.StatusDraft, Section: f.world},
		"kind":     {Headline: "H", Kind: "rumour", Status: herald.StatusDraft, Section: f.world, Authors: []*herald.Author{f.reporter}},
		"photo": {Headline: "H", Kind: herald.KindNews, Status: herald.StatusDraft, Section: f.world, Authors: []*herald.Author{f.reporter},
			Photo: &herald.Photo{URL: "https://example.com/x.jpg"}},
	}
	for field, st := range tests {
		err := f.stories.CreateStory(ctx, st)
		if herald.ErrorCode(err) != herald.EINVALID {
			t.Errorf("%s: err = %v, want invalid", field, err)
		}
	}
	if _, n, _ := f.stories.FindStories(ctx, herald.StoryFilter{}); n != 0 {
		t.Errorf("%d stories stored after rejected creates", n)
	}
}

func TestScheduledStoryIsLiveOnlyFromItsTime(t *testing.T) {
	ctx := context.Background()
	f := mustFixture(t)
	st := f.mustStory(t, "Embargoed report", -time.Hour, nil)
	if st.Status != herald.StatusScheduled {
		t.Fatalf("future published story stored as %s, want scheduled", st.Status)
	}
	live := func() int {
		_, n, err := f.stories.FindStories(ctx, herald.StoryFilter{LiveAt: f.clock.Now()})
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	f.clock.Advance(59*time.Minute + 59*time.Second)
	if live() != 0 {
		t.Error("scheduled story visible a second before its time")
	}
	f.clock.Advance(time.Second)
	if live() != 1 {
		t.Error("scheduled story not visible at its time")
	}
	if n, err := f.stories.PublishDueStories(ctx, f.clock.Now()); err != nil || n != 1 {
		t.Errorf("PublishDueStories = %d, %v", n, err)
	}
	if err := f.stories.SetStoryStatus(ctx, st.ID, herald.StatusUnpublished, time.Time{}); err != nil {
		t.Fatal(err)
	}
	if live() != 0 {
		t.Error("unpublished story still listed")
	}
}

func TestRelatedStories(t *testing.T) {
	ctx := context.Background()
	f := mustFixture(t)
	unrelated := f.mustStory(t, "Unrelated politics", time.Minute, func(s *herald.Story) { s.Section = f.politics })
	sameTopic := f.mustStory(t, "Same topic", 3*time.Hour, func(s *herald.Story) {
		s.Section, s.Topics = f.politics, []*herald.Topic{f.climate}
	})
	sameSection := f.mustStory(t, "Same section", 2*time.Hour, nil)
	draft := f.mustStory(t, "Draft pick", time.Hour, func(s *herald.Story) { s.Status = herald.StatusDraft })
	st := f.mustStory(t, "The story", 0, func(s *herald.Story) { s.Topics = []*herald.Topic{f.climate} })

	got, err := f.stories.RelatedStories(ctx, st, f.clock.Now(), 5)
	if err != nil {
		t.Fatal(err)
	}
	if ids := storyIDs(got); len(ids) != 2 || ids[0] != sameSection.ID || ids[1] != sameTopic.ID {
		t.Errorf("automatic related = %v, want [%d %d] (not %d, %d or itself)", ids, sameSection.ID, sameTopic.ID, unrelated.ID, draft.ID)
	}
	st.RelatedIDs = []int64{unrelated.ID, draft.ID, st.ID}
	got, err = f.stories.RelatedStories(ctx, st, f.clock.Now(), 2)
	if err != nil {
		t.Fatal(err)
	}
	if ids := storyIDs(got); len(ids) != 2 || ids[0] != unrelated.ID || ids[1] != sameSection.ID {
		t.Errorf("picked related = %v, want the live pick %d then %d", ids, unrelated.ID, sameSection.ID)
	}
}

func storyIDs(stories []*herald.Story) []int64 {
	var ids []int64
	for _, s := range stories {
		ids = append(ids, s.ID)
	}
	return ids
}
