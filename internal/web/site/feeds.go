package site

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"html/template"
	"net/http"
	"time"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/internal/feed"
)

// feedItems is how many entries a feed carries.
const feedItems = 50

// feedFormat is one syndication format; every feed is served in each, at
// feed.xml (RSS), feed.atom and feed.json beside its page.
type feedFormat struct {
	ext    string
	mime   string
	label  string // shown by feed readers that list a page's feeds
	encode func(*feed.Feed) ([]byte, error)
}

var feedFormats = []feedFormat{
	{"xml", "application/rss+xml", "RSS", (*feed.Feed).RSS},
	{"atom", "application/atom+xml", "Atom", (*feed.Feed).Atom},
	{"json", "application/feed+json", "JSON Feed", (*feed.Feed).JSON},
}

// feedSubject is what a story feed follows: a page and its stories.
type feedSubject struct {
	name        string // "" for the whole site
	description string
	path        string // the page's path
	filter      herald.StoryFilter
}

// feedFinder finds the subject of a feed from its request.
type feedFinder func(ctx context.Context, r *http.Request) (feedSubject, error)

// routeFeeds adds the feeds of the site and of every section, topic,
// author, city and newsletter.
func (h *Handler) routeFeeds(mux *http.ServeMux) {
	subjects := []struct {
		prefix string
		find   feedFinder
	}{
		{"/", h.siteSubject},
		{"/sections/{slug}/", h.sectionSubject},
		{"/topics/{slug}/", h.topicSubject},
		{"/authors/{slug}/", h.authorSubject},
		{"/local/{city}/", h.citySubject},
	}
	for _, f := range feedFormats {
		for _, s := range subjects {
			mux.HandleFunc("GET "+s.prefix+"feed."+f.ext, h.storyFeed(f, s.find))
		}
		mux.HandleFunc("GET /newsletters/{slug}/feed."+f.ext, h.newsletterFeed(f))
	}
}

func (h *Handler) siteSubject(ctx context.Context, r *http.Request) (feedSubject, error) {
	return feedSubject{path: "/"}, nil
}

func (h *Handler) sectionSubject(ctx context.Context, r *http.Request) (feedSubject, error) {
	s, err := h.Newsroom.FindSection(ctx, r.PathValue("slug"))
	if err != nil {
		return feedSubject{}, err
	}
	return feedSubject{s.Name, s.Description, s.Path(), herald.StoryFilter{SectionID: s.ID}}, nil
}

func (h *Handler) topicSubject(ctx context.Context, r *http.Request) (feedSubject, error) {
	t, err := h.Newsroom.FindTopic(ctx, r.PathValue("slug"))
	if err != nil {
		return feedSubject{}, err
	}
	return feedSubject{t.Name, t.Description, t.Path(), herald.StoryFilter{TopicID: t.ID}}, nil
}

func (h *Handler) authorSubject(ctx context.Context, r *http.Request) (feedSubject, error) {
	a, err := h.Newsroom.FindAuthor(ctx, r.PathValue("slug"))
	if err != nil {
		return feedSubject{}, err
	}
	return feedSubject{a.Name, "Stories by " + a.Name + ".", a.Path(), herald.StoryFilter{AuthorID: a.ID}}, nil
}

func (h *Handler) citySubject(ctx context.Context, r *http.Request) (feedSubject, error) {
	c, err := h.Newsroom.FindCity(ctx, r.PathValue("city"))
	if err != nil {
		return feedSubject{}, err
	}
	return feedSubject{c.Name, c.Description, c.Path(), herald.StoryFilter{CityID: c.ID}}, nil
}

// storyFeed serves the newest live stories of a subject: a scheduled story
// joins the feed at its publish time, with no job or restart needed.
func (h *Handler) storyFeed(f feedFormat, find feedFinder) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		subj, err := find(ctx, r)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		site, err := h.Site.Site(ctx)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		now := h.Clock.Now()
		filter := subj.filter
		filter.LiveAt, filter.Limit = now, feedItems
		stories, _, err := h.Stories.FindStories(ctx, filter)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		fd := h.newFeed(r, site, subj.name, subj.description, subj.path, now)
		for _, st := range stories {
			fd.Items = append(fd.Items, feed.StoryItem(st, h.BaseURL, h.FeedFullContent))
		}
		h.serveFeed(w, r, f, fd)
	}
}

// newsletterFeed serves a newsletter's sent editions, linking to their
// archive pages.
func (h *Handler) newsletterFeed(f feedFormat) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		n, err := h.Newsroom.FindNewsletter(ctx, r.PathValue("slug"))
		if err != nil {
			h.fail(w, r, err)
			return
		}
		site, err := h.Site.Site(ctx)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		fd := h.newFeed(r, site, n.Name, n.Promise, n.Path(), h.Clock.Now())
		var sent []*herald.Edition
		if h.Editions != nil {
			if sent, err = h.Editions.Editions(ctx, n.ID, true, feedItems); err != nil {
				h.fail(w, r, err)
				return
			}
		}
		for _, ed := range sent {
			var content template.HTML
			if h.FeedFullContent && h.Archive != nil {
				if content, err = h.Archive(ctx, ed); err != nil {
					h.fail(w, r, err)
					return
				}
			}
			fd.Items = append(fd.Items, feed.EditionItem(ed, h.BaseURL, string(content)))
		}
		h.serveFeed(w, r, f, fd)
	}
}

// newFeed starts the feed of the page at path, titled "Name - Site".
func (h *Handler) newFeed(r *http.Request, site *herald.Site, name, description, path string, now time.Time) *feed.Feed {
	title := site.Name
	if name != "" {
		title = name + " - " + site.Name
	}
	if description == "" {
		description = site.Tagline
	}
	if description == "" {
		description = title
	}
	return &feed.Feed{Title: title, Description: description, HomeURL: h.BaseURL + path,
		FeedURL: h.BaseURL + r.URL.Path, Language: site.Language, Publisher: site.Name, Updated: now}
}

func (h *Handler) serveFeed(w http.ResponseWriter, r *http.Request, f feedFormat, fd *feed.Feed) {
	body, err := f.encode(fd)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	serveDocument(w, r, f.mime, body)
}

// serveDocument writes a feed, sitemap or robots.txt. Anyone may cache it
// for five minutes, and its ETag lets feed readers and crawlers that poll
// skip an unchanged document.
func serveDocument(w http.ResponseWriter, r *http.Request, mime string, body []byte) {
	sum := sha256.Sum256(body)
	w.Header().Set("Content-Type", mime+"; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=300")
	w.Header().Set("ETag", `"`+hex.EncodeToString(sum[:12])+`"`)
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(body))
}

// feedPath is the address of the feed, in the format of ext, that follows
// the page at path.
func feedPath(path, ext string) string {
	if path == "/" {
		return "/feed." + ext
	}
	return path + "/feed." + ext
}
