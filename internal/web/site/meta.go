package site

import (
	"html/template"
	"net/http"
	"strings"
	"time"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/internal/feed"
)

// feedLink is a <link rel="alternate"> by which feed readers find a page's
// feeds.
type feedLink struct {
	// TypeAttr is the whole type="…" attribute, so the media type's "+"
	// reaches naive feed finders as written rather than as &#43;. It is
	// built from feedFormats' constants only.
	TypeAttr template.HTMLAttr
	Title    string
	Href     string
}

// socialMeta is what the Open Graph and Twitter tags say about a story.
type socialMeta struct {
	Title, Description, URL, SiteName, Locale string
	Image, ImageAlt                           string
	ImageWidth, ImageHeight                   int
	Published, Modified                       string // RFC 3339
	Section                                   string
	Tags                                      []string // topic names
	Authors                                   []string // author page URLs
	Card                                      string   // twitter:card
	TwitterSite                               string
}

// feedPages are the routes whose pages have feeds at PATH/feed.xml,
// PATH/feed.atom and PATH/feed.json.
var feedPages = map[string]bool{"GET /{$}": true, "GET /sections/{slug}": true, "GET /topics/{slug}": true,
	"GET /authors/{slug}": true, "GET /local/{city}": true, "GET /newsletters/{slug}": true}

// describe fills what a page's <head> tells feed readers, social sites
// and search engines: the feeds of stream and newsletter pages, Open Graph,
// Twitter and NewsArticle JSON-LD on story pages, ProfilePage JSON-LD on
// author pages. Pages kept out of search engines (NoIndex: a preview, say)
// advertise nothing. It runs after fillLayout, which knows the site's name.
func (h *Handler) describe(r *http.Request, p *page) {
	if p.NoIndex {
		return
	}
	if feedPages[r.Pattern] {
		title := p.Site.Name
		if p.Title != "" {
			title = p.Title + " - " + p.Site.Name
		}
		for _, f := range feedFormats {
			p.Feeds = append(p.Feeds, feedLink{TypeAttr: template.HTMLAttr(`type="` + f.mime + `"`), Title: title + " (" + f.label + ")",
				Href: h.BaseURL + feedPath(r.URL.Path, f.ext)})
		}
	}
	switch d := p.Data.(type) {
	case storyPage:
		p.Social = h.storySocial(p, d.Story)
		p.LinkedData = feed.Article(d.Story, p.Site, h.BaseURL)
	case stream:
		if d.Author != nil {
			p.LinkedData = feed.Profile(d.Author, h.BaseURL)
		}
	}
}

// storySocial is a story's Open Graph and Twitter card: what a link to it
// shows when shared.
func (h *Handler) storySocial(p *page, st *herald.Story) *socialMeta {
	m := &socialMeta{Title: st.Headline, Description: st.CardSummary(), URL: p.Canonical, SiteName: p.Site.Name,
		Locale: strings.ReplaceAll(p.Site.Language, "-", "_"), Published: iso(st.PublishedAt),
		Modified: iso(st.ShownTime()), Card: "summary", TwitterSite: twitterHandle(p.Site.TwitterHandle)}
	if st.Section != nil {
		m.Section = st.Section.Name
	}
	for _, t := range st.Topics {
		m.Tags = append(m.Tags, t.Name)
	}
	for _, a := range st.Authors {
		m.Authors = append(m.Authors, h.BaseURL+a.Path())
	}
	if ph := st.Photo; ph != nil && ph.Src() != "" {
		m.Image, m.ImageAlt = feed.Absolute(h.BaseURL, ph.Src()), ph.Alt
		m.ImageWidth, m.ImageHeight = ph.Width, ph.Height
		m.Card = "summary_large_image"
	}
	return m
}

// twitterHandle writes an account name the way twitter:site wants it,
// "@heraldnews"; empty stays empty.
func twitterHandle(s string) string {
	s = strings.TrimSpace(s)
	if s == "" || strings.HasPrefix(s, "@") {
		return s
	}
	return "@" + s
}

func iso(t time.Time) string { return t.UTC().Format(time.RFC3339) }
