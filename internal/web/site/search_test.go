package site_test

import (
	"context"
	"fmt"
	"log/slog"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/internal/sqldb"
	"github.com/herald-news/herald/internal/sqldb/sqldbtest"
	"github.com/herald-news/herald/internal/web/site"
	"golang.org/x/net/html"
)

// mustSearchNewsroom is a newsroom whose site searches its database. It
// builds what mustNewsroom builds, since that keeps the database to itself.
func mustSearchNewsroom(t *testing.T) *newsroom {
	t.Helper()
	ctx := context.Background()
	db := sqldbtest.MustOpen(t)
	n := &newsroom{t: t, clock: herald.NewFakeClock(time.Date(2026, 11, 27, 15, 0, 0, 0, time.UTC)),
		stories: sqldb.NewStoryService(db), rooms: sqldb.NewNewsroomService(db)}
	db.Clock = n.clock
	n.world = &herald.Section{Slug: "world", Name: "World"}
	n.reporter = &herald.Author{Slug: "ana-ruiz", Name: "Ana Ruiz", Kind: herald.AuthorStaff}
	for _, err := range []error{n.rooms.SaveSection(ctx, n.world), n.rooms.SaveAuthor(ctx, n.reporter)} {
		if err != nil {
			t.Fatal(err)
		}
	}
	h := &site.Handler{Stories: n.stories, Newsroom: n.rooms, Site: sqldb.NewSiteService(db), Clock: n.clock,
		Location: time.UTC, BaseURL: "https://news.example", PageSize: 2, Search: sqldb.NewSearchService(db),
		Logger: slog.New(slog.NewTextHandler(testWriter{t}, nil))}
	if err := h.Init(); err != nil {
		t.Fatal(err)
	}
	n.srv = httptest.NewServer(h)
	t.Cleanup(n.srv.Close)
	return n
}

// byID returns the element with the id, or nil.
func byID(d doc, id string) *htmlNode {
	var found *htmlNode
	walk(d.root, func(n *htmlNode) {
		if found == nil && n.Type == html.ElementNode && attr(n, "id") == id {
			found = n
		}
	})
	return found
}

func noindex(d doc) bool {
	for _, m := range d.all("meta") {
		if attr(m, "name") == "robots" && attr(m, "content") == "noindex" {
			return true
		}
	}
	return false
}

func TestSearchPageShowsMarkedSnippetsInCards(t *testing.T) {
	n := mustSearchNewsroom(t)
	st := n.story("Council backs new bike lanes", time.Hour, func(s *herald.Story) {
		s.Body = "The council approved a <b>protected</b> network of cycleways.\n\n**Why it matters:** Fewer crashes."
	})
	n.story("Unrelated story", time.Hour, nil)
	n.story("Draft about cycleways", time.Hour, func(s *herald.Story) { s.Status, s.PublishedAt = herald.StatusDraft, time.Time{} })

	status, d := n.get("/search?q=cycleways")
	if status != 200 {
		t.Fatalf("GET /search?q=cycleways = %d", status)
	}
	if !noindex(d) {
		t.Error("search page lacks <meta name=robots content=noindex>")
	}
	cards := d.all("article.card")
	if len(cards) != 1 {
		t.Fatalf("%d result cards, want 1", len(cards))
	}
	link := all(cards[0], "h3.card-headline a")
	if len(link) != 1 || attr(link[0], "href") != st.Path() || text(link[0]) != st.Headline {
		t.Errorf("card headline = %q", d.texts("article.card h3"))
	}
	if got := text(all(cards[0], "p.card-meta")[0]); got != "1 hour ago - World" {
		t.Errorf("card meta = %q", got)
	}
	marks := all(cards[0], "p.search-snippet mark")
	if len(marks) != 1 || text(marks[0]) != "cycleways" {
		t.Errorf("snippet marks = %d %q", len(marks), d.texts("p.search-snippet"))
	}
	// SQLite quotes markup in the body as text, PostgreSQL leaves it out;
	// neither passes it on as markup.
	if snippet := d.texts("p.search-snippet")[0]; len(all(cards[0], "p.search-snippet b")) != 0 ||
		!strings.Contains(snippet, "protected") || strings.HasPrefix(snippet, "…") {
		t.Errorf("markup in the body is not shown as text: %q", d.texts("p.search-snippet"))
	}
	if box := byID(d, "search-q"); box == nil || attr(box, "value") != "cycleways" {
		t.Errorf("the page's search box does not hold the query")
	}
	if len(d.all("h1")) != 1 {
		t.Errorf("headings: %q", d.texts("h1"))
	}
}

func TestSearchPageWithoutWordsOrMatches(t *testing.T) {
	n := mustSearchNewsroom(t)
	n.story("Council backs new bike lanes", time.Hour, nil)
	for _, path := range []string{"/search", "/search?q=", "/search?q=+++"} {
		status, d := n.get(path)
		if status != 200 || len(d.all("article.card")) != 0 {
			t.Errorf("GET %s = %d with %d cards", path, status, len(d.all("article.card")))
		}
		if byID(d, "search-q") == nil || byID(d, "q") == nil || !noindex(d) {
			t.Errorf("GET %s: want the page's and the masthead's search boxes and noindex", path)
		}
		if strings.Contains(text(d.first(t, "main")), "No stories match") {
			t.Errorf("GET %s: no-match message without a query", path)
		}
	}
	status, d := n.get("/search?q=" + url.QueryEscape(`zeppelin "AND" NEAR(`))
	if status != 200 || len(d.all("article.card")) != 0 {
		t.Fatalf("no match: %d with %d cards", status, len(d.all("article.card")))
	}
	if got := text(d.first(t, "p.notice")); got != `No stories match “zeppelin "AND" NEAR(”. Try fewer words, or different ones.` {
		t.Errorf("message = %q", got)
	}
}

func TestSearchPageCutsLongQueries(t *testing.T) {
	n := mustSearchNewsroom(t)
	long := "bike " + strings.Repeat("x", 10<<10)
	status, d := n.get("/search?q=" + url.QueryEscape(long))
	if status != 200 {
		t.Fatalf("long query = %d", status)
	}
	box := byID(d, "search-q")
	if box == nil {
		t.Fatal("no search box")
	}
	if got := attr(box, "value"); len([]rune(got)) != herald.MaxSearchQuery {
		t.Errorf("search box holds %d characters, want %d", len([]rune(got)), herald.MaxSearchQuery)
	}
}

func TestSearchPagePagination(t *testing.T) {
	n := mustSearchNewsroom(t)
	for i := range 5 {
		n.story(fmt.Sprintf("Lighthouse story %d", i), time.Duration(i+1)*time.Hour, nil)
	}
	_, d := n.get("/search?q=lighthouse")
	pager := d.all("nav.pager a")
	if len(d.all("article.card")) != 2 || len(pager) != 1 || attr(pager[0], "href") != "/search?q=lighthouse&page=2" {
		t.Fatalf("page 1: %d cards, pager %q", len(d.all("article.card")), d.texts("nav.pager a"))
	}
	status, d := n.get("/search?page=3&q=lighthouse")
	if status != 200 || len(d.all("article.card")) != 1 || len(d.all("nav.pager a")) != 1 {
		t.Errorf("page 3: %d, %d cards", status, len(d.all("article.card")))
	}
	if got := attr(d.first(t, "nav.pager a"), "href"); got != "/search?q=lighthouse&page=2" {
		t.Errorf("page 3 links back to %q", got)
	}
	for _, bad := range []string{"/search?q=lighthouse&page=4", "/search?q=lighthouse&page=0", "/search?q=lighthouse&page=x"} {
		if status, _ := n.get(bad); status != 404 {
			t.Errorf("GET %s = %d, want 404", bad, status)
		}
	}
}

func TestEveryPageHasTheSearchForm(t *testing.T) {
	n := mustNewsroom(t)
	st := n.story("Any story", time.Hour, nil)
	for _, path := range []string{"/", st.Path(), "/sections/world", "/no-such-page"} {
		_, d := n.get(path)
		box := byID(d, "q")
		if box == nil || attr(box, "name") != "q" || attr(box.Parent, "action") != "/search" || attr(box.Parent, "role") != "search" {
			t.Errorf("GET %s has no search form in the masthead", path)
		}
	}
	// Without a search service the page does not exist.
	if status, _ := n.get("/search?q=story"); status != 404 {
		t.Errorf("search without a service = %d, want 404", status)
	}
}
