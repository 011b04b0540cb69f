package demo_test

import (
	"context"
	"testing"
	"time"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/internal/demo"
	"github.com/herald-news/herald/internal/media"
	"github.com/herald-news/herald/internal/sqldb"
	"github.com/herald-news/herald/internal/sqldb/sqldbtest"
	"github.com/herald-news/herald/internal/storyfile"
)

func TestSeedBuildsAFullNewsroom(t *testing.T) {
	ctx := context.Background()
	db := sqldbtest.MustOpen(t)
	newsroom, stories, site := sqldb.NewNewsroomService(db), sqldb.NewStoryService(db), sqldb.NewSiteService(db)
	im := &storyfile.Importer{Newsroom: newsroom, Stories: stories, Media: &media.Store{Dir: t.TempDir()}, Clock: herald.SystemClock{}}
	n, err := demo.Seed(ctx, demo.Deps{Newsroom: newsroom, Site: site, Importer: im})
	if err != nil {
		t.Fatal(err)
	}
	if n < 40 {
		t.Errorf("%d stories, want at least 40", n)
	}
	s, err := site.Site(ctx)
	if err != nil || s.Name == "" || s.PostalAddress == "" {
		t.Errorf("site = %+v, %v", s, err)
	}
	cities, _ := newsroom.Cities(ctx)
	sections, _ := newsroom.Sections(ctx)
	if len(cities) != 5 || len(sections) < 6 {
		t.Errorf("%d cities, %d sections", len(cities), len(sections))
	}
	now := time.Now()
	for _, kind := range []herald.StoryKind{herald.KindNews, herald.KindAnalysis, herald.KindOpinion, herald.KindGallery} {
		if _, total, err := stories.FindStories(ctx, herald.StoryFilter{LiveAt: now, Kind: kind}); err != nil || total == 0 {
			t.Errorf("no live %s stories (%v)", kind, err)
		}
	}
	for _, c := range cities {
		if _, total, _ := stories.FindStories(ctx, herald.StoryFilter{LiveAt: now, CityID: c.ID}); total < 3 {
			t.Errorf("%s has %d live stories, want 3+", c.Name, total)
		}
	}
	letters, _ := newsroom.Newsletters(ctx)
	var local int
	for _, l := range letters {
		if l.City != nil {
			local++
		}
		if l.Curator == nil || l.Promise == "" || l.SignupTitle == "" {
			t.Errorf("newsletter %s lacks a curator, promise or signup title", l.Slug)
		}
	}
	if len(letters) < 8 || local != 5 {
		t.Errorf("%d newsletters, %d local", len(letters), local)
	}
	// Every relative-time form shows on the stream.
	live, _, _ := stories.FindStories(ctx, herald.StoryFilter{LiveAt: now, Limit: 100})
	forms := map[string]bool{}
	for _, st := range live {
		switch d := now.Sub(st.ShownTime()); {
		case d < time.Minute:
			forms["just now"] = true
		case d < time.Hour:
			forms["mins"] = true
		case d < 24*time.Hour:
			forms["hours"] = true
		default:
			forms["date"] = true
		}
		if st.Updated() {
			forms["updated"] = true
		}
	}
	if len(forms) != 5 {
		t.Errorf("relative-time forms on the stream: %v", forms)
	}
}
