package site_test

import (
	"context"
	"encoding/xml"
	"html/template"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/herald-news/herald"
)

// Namespaces the feed and sitemap tests look for.
const (
	nsAtom    = "http://www.w3.org/2005/Atom"
	nsDC      = "http://purl.org/dc/elements/1.1/"
	nsContent = "http://purl.org/rss/1.0/modules/content/"
	nsSitemap = "http://www.sitemaps.org/schemas/sitemap/0.9"
	nsNews    = "http://www.google.com/schemas/sitemap-news/0.9"
)

// xnode is any XML element, so tests can check documents element by
// element, namespaces included, without trusting the structs that wrote them.
type xnode struct {
	XMLName  xml.Name
	Attrs    []xml.Attr `xml:",any,attr"`
	Text     string     `xml:",chardata"`
	Children []xnode    `xml:",any"`
}

func mustXML(t *testing.T, body []byte) xnode {
	t.Helper()
	var root xnode
	if err := xml.Unmarshal(body, &root); err != nil {
		t.Fatalf("not XML: %v\n%s", err, body)
	}
	return root
}

// all returns the children named local in namespace space.
func (n xnode) all(space, local string) []xnode {
	var out []xnode
	for _, c := range n.Children {
		if c.XMLName.Space == space && c.XMLName.Local == local {
			out = append(out, c)
		}
	}
	return out
}

// one returns the only child named local in space, failing otherwise.
func (n xnode) one(t *testing.T, space, local string) xnode {
	t.Helper()
	got := n.all(space, local)
	if len(got) != 1 {
		t.Fatalf("<%s> has %d <%s> (namespace %q), want 1", n.XMLName.Local, len(got), local, space)
	}
	return got[0]
}

func (n xnode) attr(local string) string {
	for _, a := range n.Attrs {
		if a.Name.Local == local {
			return a.Value
		}
	}
	return ""
}

// mustFetch GETs a path and returns the response with its body.
func (n *newsroom) mustFetch(path string) (*http.Response, []byte) {
	n.t.Helper()
	resp, err := noRedirect.Get(n.srv.URL + path)
	if err != nil {
		n.t.Fatalf("GET %s: %v", path, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		n.t.Fatal(err)
	}
	return resp, body
}

// mustOK GETs a path that must answer 200 with the content type.
func (n *newsroom) mustOK(path, contentType string) []byte {
	n.t.Helper()
	resp, body := n.mustFetch(path)
	if resp.StatusCode != 200 {
		n.t.Fatalf("GET %s = %d", path, resp.StatusCode)
	}
	if got := resp.Header.Get("Content-Type"); got != contentType+"; charset=utf-8" {
		n.t.Errorf("GET %s: Content-Type %q, want %s", path, got, contentType)
	}
	if got := resp.Header.Get("Cache-Control"); got != "public, max-age=300" {
		n.t.Errorf("GET %s: Cache-Control %q", path, got)
	}
	return body
}

// jsonFeed is what the tests read of a JSON Feed.
type jsonFeed struct {
	Version     string `json:"version"`
	Title       string `json:"title"`
	HomePageURL string `json:"home_page_url"`
	FeedURL     string `json:"feed_url"`
	Items       []struct {
		ID            string   `json:"id"`
		URL           string   `json:"url"`
		Title         string   `json:"title"`
		ContentHTML   string   `json:"content_html"`
		ContentText   string   `json:"content_text"`
		Summary       string   `json:"summary"`
		Image         string   `json:"image"`
		DatePublished string   `json:"date_published"`
		DateModified  string   `json:"date_modified"`
		Tags          []string `json:"tags"`
		Authors       []struct {
			Name string `json:"name"`
			URL  string `json:"url"`
		} `json:"authors"`
	} `json:"items"`
}

// fakeEditions is an archive of editions in memory.
type fakeEditions struct{ eds []*herald.Edition }

func (f *fakeEditions) FindEdition(_ context.Context, id int64) (*herald.Edition, error) {
	for _, e := range f.eds {
		if e.ID == id {
			return e, nil
		}
	}
	return nil, herald.Errorf(herald.ENOTFOUND, "Edition not found.")
}

func (f *fakeEditions) FindEditionByDate(_ context.Context, nl int64, date time.Time) (*herald.Edition, error) {
	for _, e := range f.eds {
		if e.NewsletterID == nl && e.Date.Equal(date) {
			return e, nil
		}
	}
	return nil, herald.Errorf(herald.ENOTFOUND, "Edition not found.")
}

func (f *fakeEditions) Editions(_ context.Context, nl int64, sentOnly bool, limit int) ([]*herald.Edition, error) {
	var out []*herald.Edition
	for _, e := range f.eds {
		if e.NewsletterID == nl && (!sentOnly || e.Status == herald.EditionSent) && len(out) < limit {
			out = append(out, e)
		}
	}
	return out, nil
}

func (f *fakeEditions) CreateEdition(context.Context, *herald.Edition) error { return nil }
func (f *fakeEditions) UpdateEdition(context.Context, *herald.Edition) error { return nil }

// archiveStub renders an edition's archive as its subject.
func archiveStub(_ context.Context, ed *herald.Edition) (template.HTML, error) {
	return template.HTML("<p>" + template.HTMLEscapeString(ed.Subject) + "</p>"), nil
}

// withNewsletter adds a morning briefing curated by the editor, and to
// eds (the handler's Editions) a sent edition of the day before now and a
// draft. It returns the newsletter and the sent edition.
func (n *newsroom) withNewsletter(eds *fakeEditions) (*herald.Newsletter, *herald.Edition) {
	n.t.Helper()
	nl := &herald.Newsletter{Slug: "am", Name: "Morning Brief", Promise: "The news in five minutes.",
		Curator: n.editor, Days: []string{"mon", "tue", "wed", "thu", "fri"}, SendTime: "06:00", TimeZone: "UTC"}
	if err := n.rooms.SaveNewsletter(context.Background(), nl); err != nil {
		n.t.Fatal(err)
	}
	day := time.Date(2026, 11, 26, 0, 0, 0, 0, time.UTC)
	sent := &herald.Edition{ID: 7, NewsletterID: nl.ID, Newsletter: nl, Date: day, Subject: "Snow & the vote",
		Preheader: "What to know today.", Status: herald.EditionSent, CreatedAt: day,
		StartedAt: day.Add(6 * time.Hour), FinishedAt: day.Add(6*time.Hour + 5*time.Minute)}
	draft := &herald.Edition{ID: 8, NewsletterID: nl.ID, Newsletter: nl, Date: day.AddDate(0, 0, 1), Subject: "Draft",
		Status: herald.EditionDraft, CreatedAt: day}
	eds.eds = append(eds.eds, draft, sent)
	return nl, sent
}
