package site_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/internal/web/site"
)

// sitemapURLs reads a urlset: each loc with its lastmod.
func (n *newsroom) sitemapURLs(path string) map[string]string {
	n.t.Helper()
	root := mustXML(n.t, n.mustOK(path, "application/xml"))
	if root.XMLName.Space != nsSitemap || root.XMLName.Local != "urlset" {
		n.t.Fatalf("%s: root %v", path, root.XMLName)
	}
	urls := map[string]string{}
	for _, u := range root.all(nsSitemap, "url") {
		loc := u.one(n.t, nsSitemap, "loc").Text
		if _, dup := urls[loc]; dup {
			n.t.Errorf("%s lists %s twice", path, loc)
		}
		if lm := u.all(nsSitemap, "lastmod"); len(lm) == 1 {
			urls[loc] = lm[0].Text
		} else {
			urls[loc] = ""
		}
	}
	return urls
}

// sitemapIndex reads /sitemap.xml: the paths of the files it lists.
func (n *newsroom) sitemapIndex() []string {
	n.t.Helper()
	root := mustXML(n.t, n.mustOK("/sitemap.xml", "application/xml"))
	if root.XMLName.Space != nsSitemap || root.XMLName.Local != "sitemapindex" {
		n.t.Fatalf("sitemap.xml: root %v", root.XMLName)
	}
	var paths []string
	for _, s := range root.all(nsSitemap, "sitemap") {
		paths = append(paths, strings.TrimPrefix(s.one(n.t, nsSitemap, "loc").Text, "https://news.example"))
	}
	return paths
}

func TestSitemapIndexSplitsStoriesAtThePageSize(t *testing.T) {
	n := mustNewsroom(t, func(h *site.Handler) { h.SitemapSize = 3 })
	var live []*herald.Story
	for i := range 7 {
		live = append(live, n.story(fmt.Sprintf("Story %d", i), time.Duration(70-i)*time.Hour, nil))
	}
	n.story("Draft", time.Hour, func(s *herald.Story) { s.Status = herald.StatusDraft })
	n.story("Unpublished", time.Hour, func(s *herald.Story) { s.Status = herald.StatusUnpublished })
	n.story("Scheduled", -time.Hour, func(s *herald.Story) { s.Status = herald.StatusScheduled })
	n.clock.Advance(time.Hour)
	live[2].Summary = "Edited."
	if err := n.stories.UpdateStory(context.Background(), live[2]); err != nil {
		t.Fatal(err)
	}
	n.clock.Advance(30 * time.Minute) // the scheduled story is live from now on
	live = append(live, n.storyBySlug("scheduled"))

	want := []string{"/sitemaps/pages.xml", "/sitemaps/stories-1.xml", "/sitemaps/stories-2.xml", "/sitemaps/stories-3.xml", "/sitemaps/news.xml"}
	if got := n.sitemapIndex(); !slices.Equal(got, want) {
		t.Fatalf("index lists %q, want %q", got, want)
	}
	seen := map[string]string{}
	for i, file := range want[1:4] {
		urls := n.sitemapURLs(file)
		if len(urls) > 3 || i < 2 && len(urls) != 3 {
			t.Errorf("%s holds %d URLs", file, len(urls))
		}
		for loc, lastmod := range urls {
			if _, dup := seen[loc]; dup {
				t.Errorf("%s is in two files", loc)
			}
			seen[loc] = lastmod
		}
	}
	if len(seen) != len(live) {
		t.Errorf("the story sitemaps list %d URLs, want the %d live stories", len(seen), len(live))
	}
	for _, st := range live {
		want := st.PublishedAt.UTC().Format(time.RFC3339)
		if st == live[2] {
			want = "2026-11-27T16:00:00Z" // its update
		}
		if got, ok := seen["https://news.example"+st.Path()]; !ok || got != want {
			t.Errorf("%s: listed %v with lastmod %q, want %q", st.Headline, ok, got, want)
		}
	}
	if urls := n.sitemapURLs("/sitemaps/stories-1.xml"); urls["https://news.example"+live[0].Path()] == "" {
		t.Error("the first file does not start with the oldest story")
	}
	for _, bad := range []string{"/sitemaps/stories-4.xml", "/sitemaps/stories-0.xml", "/sitemaps/stories-01.xml", "/sitemaps/other.xml", "/sitemaps/news-2.xml"} {
		if resp, _ := n.mustFetch(bad); resp.StatusCode != 404 {
			t.Errorf("GET %s = %d, want 404", bad, resp.StatusCode)
		}
	}
}

// storyBySlug loads a stored story.
func (n *newsroom) storyBySlug(slug string) *herald.Story {
	n.t.Helper()
	st, err := n.stories.FindStoryBySlug(context.Background(), slug)
	if err != nil {
		n.t.Fatal(err)
	}
	return st
}

func TestNewsSitemapHoldsTheLastTwoDays(t *testing.T) {
	n := mustNewsroom(t)
	in := n.story("Forty-seven hours old", 47*time.Hour, nil)
	n.story("Forty-nine hours old", 49*time.Hour, nil)
	n.story("Later today", -time.Hour, func(s *herald.Story) { s.Status = herald.StatusScheduled })
	root := mustXML(t, n.mustOK("/sitemaps/news.xml", "application/xml"))
	urls := root.all(nsSitemap, "url")
	if len(urls) != 1 {
		t.Fatalf("news sitemap holds %d URLs, want only the story from the last 48 hours", len(urls))
	}
	u := urls[0]
	news := u.one(t, nsNews, "news")
	pub := news.one(t, nsNews, "publication")
	checks := map[string][2]string{
		"loc":              {u.one(t, nsSitemap, "loc").Text, "https://news.example" + in.Path()},
		"name":             {pub.one(t, nsNews, "name").Text, "Herald"},
		"language":         {pub.one(t, nsNews, "language").Text, "en"},
		"publication_date": {news.one(t, nsNews, "publication_date").Text, "2026-11-25T16:00:00Z"},
		"title":            {news.one(t, nsNews, "title").Text, "Forty-seven hours old"},
	}
	for name, c := range checks {
		if c[0] != c[1] {
			t.Errorf("news %s = %q, want %q", name, c[0], c[1])
		}
	}
}

func TestNewsSitemapsSplitAtTheirLimit(t *testing.T) {
	n := mustNewsroom(t, func(h *site.Handler) { h.NewsSitemapSize = 2 })
	want := map[string]bool{}
	for i := range 5 {
		st := n.story(fmt.Sprintf("Recent %d", i), time.Duration(i+1)*time.Hour, nil)
		want["https://news.example"+st.Path()] = true
	}
	index := n.sitemapIndex()
	files := []string{"/sitemaps/news-1.xml", "/sitemaps/news-2.xml", "/sitemaps/news-3.xml"}
	if !slices.Equal(index[len(index)-3:], files) || slices.Contains(index, "/sitemaps/news.xml") {
		t.Fatalf("index lists %q, want the three news files", index)
	}
	seen := map[string]int{}
	for _, f := range files {
		urls := mustXML(t, n.mustOK(f, "application/xml")).all(nsSitemap, "url")
		if len(urls) > 2 {
			t.Errorf("%s holds %d URLs, more than the limit", f, len(urls))
		}
		for _, u := range urls {
			seen[u.one(t, nsSitemap, "loc").Text]++
		}
	}
	for loc := range want {
		if seen[loc] != 1 {
			t.Errorf("%s is listed %d times", loc, seen[loc])
		}
	}
	if resp, _ := n.mustFetch("/sitemaps/news-4.xml"); resp.StatusCode != 404 {
		t.Errorf("news-4.xml = %d, want 404", resp.StatusCode)
	}
}

func TestPagesSitemapListsPagesWithTruthfulDates(t *testing.T) {
	eds := &fakeEditions{}
	n := mustNewsroom(t, func(h *site.Handler) { h.Editions = eds })
	_, sent := n.withNewsletter(eds)
	n.story("Old local", 5*time.Hour, func(s *herald.Story) { s.City, s.Topics = n.denver, []*herald.Topic{n.climate} })
	n.story("New world", time.Hour, nil)
	n.story("Future politics", -time.Hour, func(s *herald.Story) { s.Section, s.Status = n.politics, herald.StatusScheduled })
	urls := n.sitemapURLs("/sitemaps/pages.xml")
	want := map[string]string{
		"/":                  "2026-11-27T14:00:00Z",
		"/sections/world":    "2026-11-27T14:00:00Z",
		"/topics/climate":    "2026-11-27T10:00:00Z",
		"/local/denver":      "2026-11-27T10:00:00Z",
		"/authors/ana-ruiz":  "2026-11-27T14:00:00Z",
		"/newsletters":       "",
		"/newsletters/am":    "2026-11-26T06:05:00Z",
		sent.ArchivePath():   "2026-11-26T06:05:00Z",
		"/sections/politics": "absent: only a scheduled story",
		"/authors/lee-park":  "absent: no stories",
	}
	for path, lastmod := range want {
		got, ok := urls["https://news.example"+path]
		if strings.HasPrefix(lastmod, "absent") {
			if ok {
				t.Errorf("%s is listed (%s)", path, lastmod)
			}
			continue
		}
		if !ok || got != lastmod {
			t.Errorf("%s: listed %v, lastmod %q, want %q", path, ok, got, lastmod)
		}
	}
}

func TestRobotsTxt(t *testing.T) {
	n := mustNewsroom(t)
	resp, body := n.mustFetch("/robots.txt")
	want := `User-agent: *
Disallow: /dev/
Disallow: /confirm/
Disallow: /unsubscribe/
Disallow: /preferences/
Disallow: /subscribe
Disallow: /api/
Allow: /

Sitemap: https://news.example/sitemap.xml
Sitemap: https://news.example/sitemaps/news.xml
`
	if resp.StatusCode != 200 || string(body) != want || resp.Header.Get("Content-Type") != "text/plain; charset=utf-8" {
		t.Errorf("robots.txt %d %q:\n%s", resp.StatusCode, resp.Header.Get("Content-Type"), body)
	}
}
