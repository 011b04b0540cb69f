package site

import (
	"context"
	"net/http"
	"time"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/internal/feed"
)

// pagesSitemap serves /sitemaps/pages.xml: the home page, the section,
// topic, author and city pages that have live stories, the newsletters and
// every sent edition's archive page. A stream page's lastmod is the newest
// time among the stories it shows first; an edition's is when it was sent.
func (h *Handler) pagesSitemap(w http.ResponseWriter, r *http.Request) {
	ctx, now := r.Context(), h.Clock.Now()
	streams, err := h.streamPages(ctx)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	var urls []feed.URL
	for _, s := range streams {
		last, err := h.streamLastMod(ctx, s.filter, now)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		if !last.IsZero() || s.path == "/" {
			urls = append(urls, feed.URL{Loc: h.BaseURL + s.path, LastMod: last})
		}
	}
	more, err := h.newsletterURLs(ctx)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.serveSitemap(w, r, append(urls, more...))
}

// streamPage is a page that shows a stream of stories.
type streamPage struct {
	path   string
	filter herald.StoryFilter
}

// streamPages are the home page and every section, topic, author and city
// page.
func (h *Handler) streamPages(ctx context.Context) ([]streamPage, error) {
	pages := []streamPage{{"/", herald.StoryFilter{}}}
	sections, err := h.Newsroom.Sections(ctx)
	if err != nil {
		return nil, err
	}
	for _, s := range sections {
		pages = append(pages, streamPage{s.Path(), herald.StoryFilter{SectionID: s.ID}})
	}
	topics, err := h.Newsroom.Topics(ctx)
	if err != nil {
		return nil, err
	}
	for _, t := range topics {
		pages = append(pages, streamPage{t.Path(), herald.StoryFilter{TopicID: t.ID}})
	}
	authors, err := h.Newsroom.Authors(ctx)
	if err != nil {
		return nil, err
	}
	for _, a := range authors {
		pages = append(pages, streamPage{a.Path(), herald.StoryFilter{AuthorID: a.ID}})
	}
	cities, err := h.Newsroom.Cities(ctx)
	if err != nil {
		return nil, err
	}
	for _, c := range cities {
		pages = append(pages, streamPage{c.Path(), herald.StoryFilter{CityID: c.ID}})
	}
	return pages, nil
}

// streamLastMod is the newest shown time among the first page of live
// stories that match f; zero when there are none.
func (h *Handler) streamLastMod(ctx context.Context, f herald.StoryFilter, now time.Time) (time.Time, error) {
	f.LiveAt, f.Limit = now, h.PageSize
	stories, _, err := h.Stories.FindStories(ctx, f)
	if err != nil {
		return time.Time{}, err
	}
	var last time.Time
	for _, st := range stories {
		if st.ShownTime().After(last) {
			last = st.ShownTime()
		}
	}
	return last, nil
}

// newsletterURLs are the newsletter catalogue, each newsletter's page and
// its sent editions' archive pages.
func (h *Handler) newsletterURLs(ctx context.Context) ([]feed.URL, error) {
	all, err := h.Newsroom.Newsletters(ctx)
	if err != nil {
		return nil, err
	}
	urls := []feed.URL{{Loc: h.BaseURL + "/newsletters"}}
	for _, n := range all {
		var sent []*herald.Edition
		if h.Editions != nil {
			if sent, err = h.Editions.Editions(ctx, n.ID, true, archiveLimit); err != nil {
				return nil, err
			}
		}
		page := feed.URL{Loc: h.BaseURL + n.Path()}
		if len(sent) > 0 {
			page.LastMod = feed.SentAt(sent[0])
		}
		urls = append(urls, page)
		for _, ed := range sent {
			urls = append(urls, feed.URL{Loc: h.BaseURL + ed.ArchivePath(), LastMod: feed.SentAt(ed)})
		}
	}
	return urls, nil
}
