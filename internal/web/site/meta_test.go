package site_test

import (
	"context"
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/internal/web/site"
)

// metas collects a page's <meta property|name=K content=V> values by key.
func (d doc) metas() map[string][]string {
	out := map[string][]string{}
	for _, m := range d.all("head meta") {
		key := attr(m, "property")
		if key == "" {
			key = attr(m, "name")
		}
		if key != "" {
			out[key] = append(out[key], attr(m, "content"))
		}
	}
	return out
}

// jsonLD parses the page's one JSON-LD block.
func (d doc) jsonLD(t *testing.T) map[string]any {
	t.Helper()
	var blocks []*htmlNode
	for _, s := range d.all("script") {
		if attr(s, "type") == "application/ld+json" {
			blocks = append(blocks, s)
		}
	}
	if len(blocks) != 1 {
		t.Fatalf("%d JSON-LD blocks, want 1", len(blocks))
	}
	var v map[string]any
	if err := json.Unmarshal([]byte(text(blocks[0])), &v); err != nil {
		t.Fatalf("JSON-LD does not parse: %v\n%s", err, text(blocks[0]))
	}
	return v
}

func TestStoryPageTellsSocialSitesAndSearchEngines(t *testing.T) {
	n := mustNewsroom(t, func(h *site.Handler) {
		settings := herald.DefaultSite
		settings.TwitterHandle = "heraldnews"
		if err := h.Site.SaveSite(context.Background(), &settings); err != nil {
			t.Fatal(err)
		}
	})
	st := n.story("Council backs bike lanes", 3*time.Hour, func(s *herald.Story) {
		s.Authors = []*herald.Author{n.reporter, n.editor}
		s.Topics = []*herald.Topic{n.climate}
		s.Photo = &herald.Photo{Path: "ab/bikes.jpg", Alt: "Riders on Colfax", Caption: "Riders on Tuesday.", Credit: "Jo Lee/Herald", Width: 1200, Height: 800}
		s.Corrections = []*herald.Correction{{Date: n.clock.Now().Add(-time.Hour), Text: "An earlier version misstated the vote."}}
	})
	n.clock.Advance(time.Hour)
	st.Summary = "The city will build 40 miles of lanes."
	if err := n.stories.UpdateStory(context.Background(), st); err != nil {
		t.Fatal(err)
	}
	_, d := n.get(st.Path())
	canonical := "https://news.example/2026/11/27/council-backs-bike-lanes"
	var canonicals []string
	for _, l := range d.all("link") {
		if attr(l, "rel") == "canonical" {
			canonicals = append(canonicals, attr(l, "href"))
		}
	}
	if !slices.Equal(canonicals, []string{canonical}) {
		t.Errorf("canonical links %q, want exactly %q", canonicals, canonical)
	}
	image := "https://news.example/media/ab/bikes.jpg"
	want := map[string][]string{
		"og:title":               {st.Headline},
		"og:type":                {"article"},
		"og:url":                 {canonical},
		"og:image":               {image},
		"og:image:alt":           {"Riders on Colfax"},
		"og:description":         {"The city will build 40 miles of lanes."},
		"og:site_name":           {"Herald"},
		"article:published_time": {"2026-11-27T12:00:00Z"},
		"article:modified_time":  {"2026-11-27T16:00:00Z"},
		"article:section":        {"World"},
		"article:tag":            {"Climate"},
		"article:author":         {"https://news.example/authors/ana-ruiz", "https://news.example/authors/sam-cole"},
		"twitter:card":           {"summary_large_image"},
		"twitter:site":           {"@heraldnews"},
		"twitter:title":          {st.Headline},
		"twitter:description":    {"The city will build 40 miles of lanes."},
		"twitter:image":          {image},
	}
	got := d.metas()
	for key, w := range want {
		if !slices.Equal(got[key], w) {
			t.Errorf("%s = %q, want %q", key, got[key], w)
		}
	}

	ld := d.jsonLD(t)
	wantLD := map[string]any{
		"@context":         "https://schema.org",
		"@type":            "NewsArticle",
		"headline":         st.Headline,
		"url":              canonical,
		"mainEntityOfPage": map[string]any{"@type": "WebPage", "@id": canonical},
		"image": []any{map[string]any{"@type": "ImageObject", "url": image, "caption": "Riders on Tuesday.",
			"creditText": "Jo Lee/Herald", "width": 1200.0, "height": 800.0}},
		"datePublished": "2026-11-27T12:00:00Z",
		"dateModified":  "2026-11-27T16:00:00Z",
		"author": []any{
			map[string]any{"@type": "Person", "name": "Ana Ruiz", "url": "https://news.example/authors/ana-ruiz"},
			map[string]any{"@type": "Person", "name": "Sam Cole", "url": "https://news.example/authors/sam-cole"},
		},
		"publisher":      map[string]any{"@type": "Organization", "name": "Herald", "url": "https://news.example/"},
		"articleSection": "World",
		"keywords":       []any{"Climate"},
		"correction": []any{map[string]any{"@type": "CorrectionComment", "text": "An earlier version misstated the vote.",
			"datePublished": "2026-11-27T14:00:00Z"}},
	}
	for key, w := range wantLD {
		if !reflect.DeepEqual(ld[key], w) {
			t.Errorf("JSON-LD %s = %#v, want %#v", key, ld[key], w)
		}
	}
}

func TestTwitterSiteNeedsAHandle(t *testing.T) {
	n := mustNewsroom(t)
	st := n.story("No handle", time.Hour, func(s *herald.Story) { s.Photo = nil })
	_, d := n.get(st.Path())
	m := d.metas()
	if _, ok := m["twitter:site"]; ok {
		t.Error("twitter:site without a handle")
	}
	if _, ok := m["og:image"]; ok || !slices.Equal(m["twitter:card"], []string{"summary"}) {
		t.Errorf("a story without a photo: og:image %q, twitter:card %q", m["og:image"], m["twitter:card"])
	}
}

func TestHostileHeadlineStaysInertInJSONLD(t *testing.T) {
	n := mustNewsroom(t)
	hostile := `</script><script>alert(1)</script> & <!-- "quoted"`
	st := n.story(hostile, time.Hour, func(s *herald.Story) { s.Slug = "hostile" })
	resp, body := n.mustFetch(st.Path())
	if resp.StatusCode != 200 {
		t.Fatalf("status %d", resp.StatusCode)
	}
	if strings.Contains(string(body), "<script>alert(1)") {
		t.Error("the headline's script tag reached the page")
	}
	_, d := n.get(st.Path())
	if scripts := d.all("script"); len(scripts) != 2 {
		t.Errorf("%d script elements, want signup.js and the JSON-LD", len(scripts))
	}
	if got := d.jsonLD(t)["headline"]; got != hostile {
		t.Errorf("JSON-LD headline = %q, want the headline as written", got)
	}
	if got := d.metas()["og:title"]; !slices.Equal(got, []string{hostile}) {
		t.Errorf("og:title = %q", got)
	}
}

func TestAuthorPageIsAProfilePage(t *testing.T) {
	n := mustNewsroom(t)
	n.reporter.Photo = &herald.Photo{Path: "ab/ana.png", Alt: "Ana Ruiz"}
	if err := n.rooms.SaveAuthor(context.Background(), n.reporter); err != nil {
		t.Fatal(err)
	}
	_, d := n.get("/authors/ana-ruiz")
	ld := d.jsonLD(t)
	want := map[string]any{"@type": "Person", "name": "Ana Ruiz", "description": "Ana covers cities.", "jobTitle": "Reporter",
		"url": "https://news.example/authors/ana-ruiz", "image": "https://news.example/media/ab/ana.png"}
	if ld["@type"] != "ProfilePage" || !reflect.DeepEqual(ld["mainEntity"], want) {
		t.Errorf("author JSON-LD = %#v", ld)
	}
}

func TestPagesLinkTheirFeeds(t *testing.T) {
	eds := &fakeEditions{}
	n := mustNewsroom(t, func(h *site.Handler) { h.Editions, h.Archive = eds, archiveStub })
	n.withNewsletter(eds)
	st := n.story("A story", time.Hour, nil)
	for path, title := range map[string]string{
		"/": "Herald", "/sections/world": "World - Herald", "/topics/climate": "Climate - Herald",
		"/authors/ana-ruiz": "Ana Ruiz - Herald", "/local/denver": "Denver news - Herald", "/newsletters/am": "Morning Brief - Herald",
	} {
		_, d := n.get(path)
		var got []string
		for _, l := range d.all("head link") {
			if attr(l, "rel") == "alternate" {
				got = append(got, attr(l, "type")+" "+attr(l, "title")+" "+attr(l, "href"))
			}
		}
		base := "https://news.example" + strings.TrimSuffix(path, "/")
		want := []string{
			"application/rss+xml " + title + " (RSS) " + base + "/feed.xml",
			"application/atom+xml " + title + " (Atom) " + base + "/feed.atom",
			"application/feed+json " + title + " (JSON Feed) " + base + "/feed.json",
		}
		if !slices.Equal(got, want) {
			t.Errorf("%s feed links:\n%q\nwant\n%q", path, got, want)
		}
		for _, l := range d.all("head link") {
			if attr(l, "rel") == "alternate" {
				if resp, _ := n.mustFetch(strings.TrimPrefix(attr(l, "href"), "https://news.example")); resp.StatusCode != 200 {
					t.Errorf("%s links %s, which answers %d", path, attr(l, "href"), resp.StatusCode)
				}
			}
		}
	}
	_, d := n.get(st.Path())
	for _, l := range d.all("head link") {
		if attr(l, "rel") == "alternate" {
			t.Errorf("a story page links a feed: %s", attr(l, "href"))
		}
	}
}
