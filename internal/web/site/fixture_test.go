package site_test

import (
	"context"
	"log/slog"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/internal/sqldb"
	"github.com/herald-news/herald/internal/sqldb/sqldbtest"
	"github.com/herald-news/herald/internal/web/site"
)

// newsroom is a small newsroom served over real HTTP with a fake clock.
type newsroom struct {
	t        *testing.T
	db       *sqldb.DB
	clock    *herald.FakeClock
	stories  *sqldb.StoryService
	rooms    *sqldb.NewsroomService
	srv      *httptest.Server
	world    *herald.Section
	politics *herald.Section
	denver   *herald.City
	climate  *herald.Topic
	reporter *herald.Author
	editor   *herald.Author
	guest    *herald.Author
}

const body = `The city council voted 9-2 on Tuesday to build a protected bike network.

**Why it matters:** Traffic deaths rose for the third straight year.

**By the numbers:**

- **Cost:** $42 million over five years.
- 40 miles of new lanes.

> "We are out of excuses," the mayor said.

**What's next:** Construction starts in the spring.`

// mustNewsroom builds the newsroom; configure may set Handler fields
// before it starts serving.
func mustNewsroom(t *testing.T, configure ...func(*site.Handler)) *newsroom {
	t.Helper()
	ctx := context.Background()
	db := sqldbtest.MustOpen(t)
	n := &newsroom{t: t, db: db, clock: herald.NewFakeClock(time.Date(2026, 11, 27, 15, 0, 0, 0, time.UTC)),
		stories: sqldb.NewStoryService(db), rooms: sqldb.NewNewsroomService(db)}
	db.Clock = n.clock
	n.world = &herald.Section{Slug: "world", Name: "World"}
	n.politics = &herald.Section{Slug: "politics", Name: "Politics & Policy"}
	n.denver = &herald.City{Slug: "denver", Name: "Denver", TimeZone: "America/Denver", Description: "Mile-high news."}
	n.climate = &herald.Topic{Slug: "climate", Name: "Climate"}
	n.reporter = &herald.Author{Slug: "ana-ruiz", Name: "Ana Ruiz", Kind: herald.AuthorStaff, Title: "Reporter", Bio: "Ana covers cities."}
	n.editor = &herald.Author{Slug: "sam-cole", Name: "Sam Cole", Kind: herald.AuthorStaff}
	n.guest = &herald.Author{Slug: "lee-park", Name: "Lee Park", Kind: herald.AuthorContributor,
		Bio: "Lee Park directs the Future of Cities program at the Civic Institute."}
	for _, err := range []error{
		n.rooms.SaveSection(ctx, n.world), n.rooms.SaveSection(ctx, n.politics), n.rooms.SaveCity(ctx, n.denver),
		n.rooms.SaveTopic(ctx, n.climate), n.rooms.SaveAuthor(ctx, n.reporter), n.rooms.SaveAuthor(ctx, n.editor),
		n.rooms.SaveAuthor(ctx, n.guest),
	} {
		if err != nil {
			t.Fatal(err)
		}
	}
	h := &site.Handler{Stories: n.stories, Newsroom: n.rooms, Site: sqldb.NewSiteService(db), Clock: n.clock,
		Location: time.UTC, BaseURL: "https://news.example", PageSize: 5, Logger: slog.New(slog.NewTextHandler(testWriter{t}, nil))}
	for _, c := range configure {
		c(h)
	}
	if err := h.Init(); err != nil {
		t.Fatal(err)
	}
	n.srv = httptest.NewServer(h)
	t.Cleanup(n.srv.Close)
	return n
}

// story stores a published world story by the reporter, ago before now.
func (n *newsroom) story(headline string, ago time.Duration, edit func(*herald.Story)) *herald.Story {
	n.t.Helper()
	st := &herald.Story{Headline: headline, Kind: herald.KindNews, Status: herald.StatusPublished, Body: body,
		Section: n.world, Authors: []*herald.Author{n.reporter}, PublishedAt: n.clock.Now().Add(-ago),
		Summary: "Summary of " + headline + ".",
		Photo:   &herald.Photo{URL: "https://img.example/" + herald.Slugify(headline) + ".jpg", Alt: "Alt for " + headline, Caption: "Caption for " + headline + ".", Credit: "Jo Lee/Herald"}}
	if edit != nil {
		edit(st)
	}
	if err := n.stories.CreateStory(context.Background(), st); err != nil {
		n.t.Fatalf("create %q: %v", headline, err)
	}
	return st
}

func (n *newsroom) get(path string) (int, doc) {
	n.t.Helper()
	resp, d := mustGet(n.t, n.srv.URL+path)
	return resp.StatusCode, d
}

// testWriter sends the handler's logs to the test log, shown on failure.
type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Helper()
	w.t.Log(string(p))
	return len(p), nil
}
