package site

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/internal/feed"
)

// sitemapBatch is how many stories one storage query returns while a
// sitemap pages through them (the most FindStories gives at once).
const sitemapBatch = 500

// newsWindow is how far back a Google News sitemap reaches: articles
// published in the last two days.
const newsWindow = 48 * time.Hour

// archiveLimit is how many sent editions of each newsletter pages.xml lists.
const archiveLimit = 1000

func (h *Handler) sitemapSize() int {
	if h.SitemapSize > 0 {
		return h.SitemapSize
	}
	return feed.SitemapMaxURLs
}

func (h *Handler) newsSitemapSize() int {
	if h.NewsSitemapSize > 0 {
		return h.NewsSitemapSize
	}
	return feed.NewsSitemapMaxURLs
}

// files is how many files n URLs fill, size to a file.
func files(n, size int) int { return (n + size - 1) / size }

// sitemapIndex serves /sitemap.xml: the pages sitemap, the story sitemaps
// and the news sitemaps.
func (h *Handler) sitemapIndex(w http.ResponseWriter, r *http.Request) {
	ctx, now := r.Context(), h.Clock.Now()
	_, total, err := h.Stories.FindStories(ctx, herald.StoryFilter{LiveAt: now, Limit: 1})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	recent, err := h.recentStories(ctx, now)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	list := []feed.URL{{Loc: h.BaseURL + "/sitemaps/pages.xml"}}
	for i := range files(total, h.sitemapSize()) {
		list = append(list, feed.URL{Loc: h.BaseURL + "/sitemaps/stories-" + strconv.Itoa(i+1) + ".xml"})
	}
	if n := files(len(recent), h.newsSitemapSize()); n > 1 {
		for i := range n {
			list = append(list, feed.URL{Loc: h.BaseURL + "/sitemaps/news-" + strconv.Itoa(i+1) + ".xml"})
		}
	} else {
		list = append(list, feed.URL{Loc: h.BaseURL + "/sitemaps/news.xml"})
	}
	body, err := feed.SitemapIndex(list)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	serveDocument(w, r, "application/xml", body)
}

// sitemapFile serves the files the index lists: pages.xml, stories-N.xml,
// news.xml (the first news file) and news-N.xml.
func (h *Handler) sitemapFile(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("file")
	if name == "pages.xml" {
		h.pagesSitemap(w, r)
		return
	}
	if name == "news.xml" {
		h.newsSitemap(w, r, 1)
		return
	}
	if n, ok := numbered(name, "stories-"); ok {
		h.storiesSitemap(w, r, n)
		return
	}
	if n, ok := numbered(name, "news-"); ok {
		h.newsSitemap(w, r, n)
		return
	}
	h.notFound(w, r)
}

// numbered reads N from "PREFIXN.xml", written the one way the index
// writes it.
func numbered(name, prefix string) (int, bool) {
	digits, ok := strings.CutPrefix(name, prefix)
	if !ok {
		return 0, false
	}
	if digits, ok = strings.CutSuffix(digits, ".xml"); !ok {
		return 0, false
	}
	n, err := strconv.Atoi(digits)
	return n, err == nil && n >= 1 && strconv.Itoa(n) == digits
}

// storiesSitemap serves the nth file of live stories. Files count from the
// oldest story, so a story stays in its file as new ones are published and
// only the last file grows.
func (h *Handler) storiesSitemap(w http.ResponseWriter, r *http.Request, n int) {
	ctx, now, size := r.Context(), h.Clock.Now(), h.sitemapSize()
	_, total, err := h.Stories.FindStories(ctx, herald.StoryFilter{LiveAt: now, Limit: 1})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if n > max(files(total, size), 1) {
		h.notFound(w, r)
		return
	}
	// FindStories counts from the newest story, so the nth file from the
	// oldest is the size stories before offset end.
	end := total - (n-1)*size
	var urls []feed.URL
	for off := max(end-size, 0); off < end; off += sitemapBatch {
		page, _, err := h.Stories.FindStories(ctx, herald.StoryFilter{LiveAt: now, Limit: min(sitemapBatch, end-off), Offset: off})
		if err != nil {
			h.fail(w, r, err)
			return
		}
		for _, st := range page {
			urls = append(urls, feed.URL{Loc: h.BaseURL + st.Path(), LastMod: st.ShownTime()})
		}
		if len(page) == 0 {
			break
		}
	}
	h.serveSitemap(w, r, urls)
}

// recentStories are the live stories published within the news window,
// newest first.
func (h *Handler) recentStories(ctx context.Context, now time.Time) ([]*herald.Story, error) {
	cutoff := now.Add(-newsWindow)
	var out []*herald.Story
	for off := 0; ; off += sitemapBatch {
		page, _, err := h.Stories.FindStories(ctx, herald.StoryFilter{LiveAt: now, Limit: sitemapBatch, Offset: off})
		if err != nil {
			return nil, err
		}
		for _, st := range page {
			if st.PublishedAt.Before(cutoff) {
				return out, nil
			}
			out = append(out, st)
		}
		if len(page) < sitemapBatch {
			return out, nil
		}
	}
}

// newsSitemap serves the nth Google News sitemap file of recent stories.
func (h *Handler) newsSitemap(w http.ResponseWriter, r *http.Request, n int) {
	ctx, size := r.Context(), h.newsSitemapSize()
	site, err := h.Site.Site(ctx)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	recent, err := h.recentStories(ctx, h.Clock.Now())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if n > max(files(len(recent), size), 1) {
		h.notFound(w, r)
		return
	}
	var articles []feed.NewsURL
	for _, st := range recent[(n-1)*size : min(n*size, len(recent))] {
		articles = append(articles, feed.NewsURL{Loc: h.BaseURL + st.Path(), Title: st.Headline, Published: st.PublishedAt})
	}
	body, err := feed.NewsSitemap(site.Name, site.Language, articles)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	serveDocument(w, r, "application/xml", body)
}

func (h *Handler) serveSitemap(w http.ResponseWriter, r *http.Request, urls []feed.URL) {
	body, err := feed.Sitemap(urls)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	serveDocument(w, r, "application/xml", body)
}
