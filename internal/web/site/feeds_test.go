package site_test

import (
	"context"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/internal/web/site"
)

// feedTitles fetches the three feeds of the page at prefix ("" for the
// site), checks each against its spec's required elements and returns the
// headlines each lists.
func (n *newsroom) feedTitles(prefix string) (rss, atom, jsonf []string) {
	t := n.t
	t.Helper()
	root := mustXML(t, n.mustOK(prefix+"/feed.xml", "application/rss+xml"))
	if root.XMLName.Local != "rss" || root.attr("version") != "2.0" {
		t.Fatalf("%s/feed.xml: root <%s version=%q>", prefix, root.XMLName.Local, root.attr("version"))
	}
	ch := root.one(t, "", "channel")
	for _, el := range []string{"title", "link", "description"} {
		if strings.TrimSpace(ch.one(t, "", el).Text) == "" {
			t.Errorf("%s/feed.xml: empty channel <%s>", prefix, el)
		}
	}
	if self := ch.one(t, nsAtom, "link"); self.attr("rel") != "self" || self.attr("href") != "https://news.example"+prefix+"/feed.xml" {
		t.Errorf("%s/feed.xml: atom:link self = %q", prefix, self.attr("href"))
	}
	for _, it := range ch.all("", "item") {
		for _, el := range []string{"title", "link", "guid", "pubDate"} {
			if strings.TrimSpace(it.one(t, "", el).Text) == "" {
				t.Errorf("%s/feed.xml: item without <%s>", prefix, el)
			}
		}
		if _, err := time.Parse(time.RFC1123Z, it.one(t, "", "pubDate").Text); err != nil {
			t.Errorf("pubDate is not RFC 822: %v", err)
		}
		rss = append(rss, it.one(t, "", "title").Text)
	}

	root = mustXML(t, n.mustOK(prefix+"/feed.atom", "application/atom+xml"))
	if root.XMLName.Space != nsAtom || root.XMLName.Local != "feed" {
		t.Fatalf("%s/feed.atom: root %v", prefix, root.XMLName)
	}
	for _, el := range []string{"id", "title", "updated"} {
		if strings.TrimSpace(root.one(t, nsAtom, el).Text) == "" {
			t.Errorf("%s/feed.atom: empty <%s>", prefix, el)
		}
	}
	if !slices.ContainsFunc(root.all(nsAtom, "link"), func(l xnode) bool {
		return l.attr("rel") == "self" && l.attr("href") == "https://news.example"+prefix+"/feed.atom"
	}) {
		t.Errorf("%s/feed.atom: no link rel=self", prefix)
	}
	for _, e := range root.all(nsAtom, "entry") {
		for _, el := range []string{"id", "title", "updated"} {
			if strings.TrimSpace(e.one(t, nsAtom, el).Text) == "" {
				t.Errorf("%s/feed.atom: entry without <%s>", prefix, el)
			}
		}
		if _, err := time.Parse(time.RFC3339, e.one(t, nsAtom, "updated").Text); err != nil {
			t.Errorf("atom updated: %v", err)
		}
		if len(e.all(nsAtom, "author")) == 0 || e.all(nsAtom, "author")[0].one(t, nsAtom, "name").Text == "" {
			t.Errorf("%s/feed.atom: entry without an author", prefix)
		}
		if l := e.all(nsAtom, "link"); len(l) == 0 || l[0].attr("rel") != "alternate" || l[0].attr("href") == "" {
			t.Errorf("%s/feed.atom: entry without its link", prefix)
		}
		atom = append(atom, e.one(t, nsAtom, "title").Text)
	}

	var jf jsonFeed
	if err := json.Unmarshal(n.mustOK(prefix+"/feed.json", "application/feed+json"), &jf); err != nil {
		t.Fatal(err)
	}
	if jf.Version != "https://jsonfeed.org/version/1.1" || jf.Title == "" || jf.FeedURL != "https://news.example"+prefix+"/feed.json" {
		t.Errorf("%s/feed.json: version %q title %q feed_url %q", prefix, jf.Version, jf.Title, jf.FeedURL)
	}
	for _, it := range jf.Items {
		if it.ID == "" || it.URL == "" || it.ContentHTML == "" && it.ContentText == "" && it.Summary == "" {
			t.Errorf("%s/feed.json: item %q lacks id, url or content", prefix, it.Title)
		}
		jsonf = append(jsonf, it.Title)
	}
	return rss, atom, jsonf
}

func TestSiteAndSectionFeedsFollowTheirSpecs(t *testing.T) {
	n := mustNewsroom(t)
	n.story("World one", 3*time.Hour, nil)
	n.story("Politics one", 2*time.Hour, func(s *herald.Story) { s.Section = n.politics })
	n.story("World two", time.Hour, nil)
	n.story("Unpublished", time.Hour, func(s *herald.Story) { s.Status = herald.StatusUnpublished })
	n.story("Draft", time.Hour, func(s *herald.Story) { s.Status = herald.StatusDraft })
	for _, c := range []struct {
		prefix string
		want   []string
	}{
		{"", []string{"World two", "Politics one", "World one"}},
		{"/sections/world", []string{"World two", "World one"}},
	} {
		rss, atom, jsonf := n.feedTitles(c.prefix)
		for format, got := range map[string][]string{"RSS": rss, "Atom": atom, "JSON": jsonf} {
			if !slices.Equal(got, c.want) {
				t.Errorf("%s %s feed lists %q, want %q", c.prefix, format, got, c.want)
			}
		}
	}
}

func TestScheduledStoryJoinsFeedsAndSitemapsWhenItPublishes(t *testing.T) {
	n := mustNewsroom(t)
	n.story("Already out", time.Hour, nil)
	n.story("Embargoed", -time.Hour, func(s *herald.Story) { s.Status = herald.StatusScheduled })
	present := func() map[string]bool {
		seen := map[string]bool{}
		for _, prefix := range []string{"", "/sections/world", "/authors/ana-ruiz"} {
			rss, atom, jsonf := n.feedTitles(prefix)
			seen[prefix+"/feed.xml"] = slices.Contains(rss, "Embargoed")
			seen[prefix+"/feed.atom"] = slices.Contains(atom, "Embargoed")
			seen[prefix+"/feed.json"] = slices.Contains(jsonf, "Embargoed")
		}
		for _, path := range []string{"/sitemaps/stories-1.xml", "/sitemaps/news.xml"} {
			_, body := n.mustFetch(path)
			seen[path] = strings.Contains(string(body), "embargoed")
		}
		return seen
	}
	for where, in := range present() {
		if in {
			t.Errorf("the scheduled story is in %s before its time", where)
		}
	}
	n.clock.Advance(61 * time.Minute)
	for where, in := range present() {
		if !in {
			t.Errorf("the scheduled story is missing from %s after its time", where)
		}
	}
}

func TestFeedItemsCarryAuthorsTimesCategoriesAndPhoto(t *testing.T) {
	n := mustNewsroom(t)
	st := n.story("Council backs bike lanes", 3*time.Hour, func(s *herald.Story) {
		s.Authors = []*herald.Author{n.reporter, n.editor}
		s.Topics = []*herald.Topic{n.climate}
		s.Photo.URL = "https://img.example/bikes.png"
	})
	n.clock.Advance(time.Hour)
	st.Slug = "council-backs-protected-bike-lanes"
	if err := n.stories.UpdateStory(context.Background(), st); err != nil {
		t.Fatal(err)
	}
	wantID := "tag:news.example,2026-11-27:/story/" + strconv.FormatInt(st.ID, 10)
	wantURL := "https://news.example/2026/11/27/council-backs-protected-bike-lanes"

	item := mustXML(t, n.mustOK("/feed.xml", "application/rss+xml")).one(t, "", "channel").one(t, "", "item")
	guid := item.one(t, "", "guid")
	if guid.Text != wantID || guid.attr("isPermaLink") != "false" || item.one(t, "", "link").Text != wantURL {
		t.Errorf("RSS guid %q (isPermaLink=%q), link %q", guid.Text, guid.attr("isPermaLink"), item.one(t, "", "link").Text)
	}
	if got := item.one(t, "", "pubDate").Text; got != "Fri, 27 Nov 2026 12:00:00 +0000" {
		t.Errorf("pubDate %q", got)
	}
	if got := item.one(t, nsAtom, "updated").Text; got != "2026-11-27T16:00:00Z" {
		t.Errorf("RSS atom:updated %q", got)
	}
	var creators, cats []string
	for _, c := range item.all(nsDC, "creator") {
		creators = append(creators, c.Text)
	}
	for _, c := range item.all("", "category") {
		cats = append(cats, c.Text)
	}
	if !slices.Equal(creators, []string{"Ana Ruiz", "Sam Cole"}) || !slices.Equal(cats, []string{"World", "Climate"}) {
		t.Errorf("RSS creators %q, categories %q", creators, cats)
	}
	if enc := item.one(t, "", "enclosure"); enc.attr("url") != "https://img.example/bikes.png" || enc.attr("type") != "image/png" || enc.attr("length") != "0" {
		t.Errorf("RSS enclosure %v", enc.Attrs)
	}
	if got := item.one(t, "", "description").Text; got != "Summary of Council backs bike lanes." || len(item.all(nsContent, "encoded")) != 0 {
		t.Errorf("RSS description %q; a summary feed must not carry the body", got)
	}

	entry := mustXML(t, n.mustOK("/feed.atom", "application/atom+xml")).one(t, nsAtom, "entry")
	if entry.one(t, nsAtom, "id").Text != wantID || entry.one(t, nsAtom, "published").Text != "2026-11-27T12:00:00Z" ||
		entry.one(t, nsAtom, "updated").Text != "2026-11-27T16:00:00Z" {
		t.Errorf("Atom id/published/updated: %q %q %q", entry.one(t, nsAtom, "id").Text,
			entry.one(t, nsAtom, "published").Text, entry.one(t, nsAtom, "updated").Text)
	}
	authors := entry.all(nsAtom, "author")
	if len(authors) != 2 || authors[1].one(t, nsAtom, "name").Text != "Sam Cole" || authors[1].one(t, nsAtom, "uri").Text != "https://news.example/authors/sam-cole" {
		t.Errorf("Atom authors %v", authors)
	}
	if links := entry.all(nsAtom, "link"); len(links) != 2 || links[0].attr("href") != wantURL || links[1].attr("rel") != "enclosure" {
		t.Errorf("Atom links %v", links)
	}

	var jf jsonFeed
	if err := json.Unmarshal(n.mustOK("/feed.json", "application/feed+json"), &jf); err != nil {
		t.Fatal(err)
	}
	it := jf.Items[0]
	if it.ID != wantID || it.URL != wantURL || it.Image != "https://img.example/bikes.png" || it.DatePublished != "2026-11-27T12:00:00Z" ||
		it.DateModified != "2026-11-27T16:00:00Z" || len(it.Authors) != 2 || it.Authors[0].Name != "Ana Ruiz" ||
		!slices.Equal(it.Tags, []string{"World", "Climate"}) || it.ContentText != "Summary of Council backs bike lanes." || it.ContentHTML != "" {
		t.Errorf("JSON item %+v", it)
	}
}

func TestFullContentFeedsCarryTheSanitisedBody(t *testing.T) {
	n := mustNewsroom(t, func(h *site.Handler) { h.FeedFullContent = true })
	n.story("Full story", time.Hour, func(s *herald.Story) { s.Body += "\n\n<script>alert(1)</script>" })
	item := mustXML(t, n.mustOK("/feed.xml", "application/rss+xml")).one(t, "", "channel").one(t, "", "item")
	content := item.one(t, nsContent, "encoded").Text
	entry := mustXML(t, n.mustOK("/feed.atom", "application/atom+xml")).one(t, nsAtom, "entry")
	var jf jsonFeed
	if err := json.Unmarshal(n.mustOK("/feed.json", "application/feed+json"), &jf); err != nil {
		t.Fatal(err)
	}
	for format, html := range map[string]string{"RSS": content, "Atom": entry.one(t, nsAtom, "content").Text, "JSON": jf.Items[0].ContentHTML} {
		if !strings.Contains(html, "<strong>Why it matters:</strong>") || strings.Contains(html, "<script") {
			t.Errorf("%s full content = %q", format, html)
		}
	}
	if entry.one(t, nsAtom, "content").attr("type") != "html" {
		t.Error("Atom content is not marked html")
	}
}

func TestEveryFeedRouteServes(t *testing.T) {
	eds := &fakeEditions{}
	n := mustNewsroom(t, func(h *site.Handler) { h.Editions, h.Archive = eds, archiveStub })
	nl, sent := n.withNewsletter(eds)
	local := n.story("Denver snow", time.Hour, func(s *herald.Story) { s.City, s.Topics = n.denver, []*herald.Topic{n.climate} })
	types := map[string]string{"xml": "application/rss+xml", "atom": "application/atom+xml", "json": "application/feed+json"}
	for _, page := range []string{"", "/sections/world", "/topics/climate", "/authors/ana-ruiz", "/local/denver", nl.Path()} {
		for ext, ct := range types {
			if body := n.mustOK(page+"/feed."+ext, ct); !strings.Contains(string(body), "Denver snow") && page != nl.Path() {
				t.Errorf("%s/feed.%s lacks the story", page, ext)
			}
		}
	}
	for _, bad := range []string{"/sections/nope/feed.xml", "/topics/nope/feed.atom", "/authors/nope/feed.json",
		"/local/nope/feed.xml", "/newsletters/nope/feed.xml", "/sections/world/feed.rss"} {
		if resp, _ := n.mustFetch(bad); resp.StatusCode != 404 {
			t.Errorf("GET %s = %d, want 404", bad, resp.StatusCode)
		}
	}
	// The pages beside the feeds still answer.
	for _, path := range []string{local.Path(), sent.ArchivePath(), nl.Path(), "/local/denver"} {
		if resp, _ := n.mustFetch(path); resp.StatusCode != 200 {
			t.Errorf("GET %s = %d", path, resp.StatusCode)
		}
	}
}

func TestNewsletterFeedListsSentEditions(t *testing.T) {
	eds := &fakeEditions{}
	n := mustNewsroom(t, func(h *site.Handler) { h.Editions, h.Archive, h.FeedFullContent = eds, archiveStub, true })
	nl, sent := n.withNewsletter(eds)
	var jf jsonFeed
	if err := json.Unmarshal(n.mustOK(nl.Path()+"/feed.json", "application/feed+json"), &jf); err != nil {
		t.Fatal(err)
	}
	if jf.Title != "Morning Brief - Herald" || jf.HomePageURL != "https://news.example/newsletters/am" || len(jf.Items) != 1 {
		t.Fatalf("newsletter feed %q at %q with %d items, want the one sent edition", jf.Title, jf.HomePageURL, len(jf.Items))
	}
	it := jf.Items[0]
	if it.URL != "https://news.example"+sent.ArchivePath() || it.ID != "tag:news.example,2026-11-26:/edition/7" ||
		it.Title != "Snow & the vote" || it.ContentHTML != "<p>Snow &amp; the vote</p>" || it.Summary != "What to know today." ||
		it.DatePublished != "2026-11-26T06:05:00Z" || len(it.Authors) != 1 || it.Authors[0].Name != "Sam Cole" {
		t.Errorf("edition item %+v", it)
	}
	rss := mustXML(t, n.mustOK(nl.Path()+"/feed.xml", "application/rss+xml")).one(t, "", "channel")
	if items := rss.all("", "item"); len(items) != 1 || items[0].one(t, "", "link").Text != it.URL {
		t.Errorf("RSS edition items %v", items)
	}
}
