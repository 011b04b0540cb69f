package site

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/herald-news/herald"
)

// stream is a paginated list of cards with a heading.
type stream struct {
	Heading     string
	Description string
	Kicker      string // "Section", "Topic", "Local"
	Cards       []card
	Page        int
	PrevURL     string
	NextURL     string
	Author      *herald.Author
	City        *herald.City
	Topic       *herald.Topic
}

// pageNumber reads ?page=N; anything but a positive number is page 1 for
// missing values and a 404 for nonsense, so crawlers learn nothing odd.
func pageNumber(r *http.Request) (int, bool) {
	raw := r.URL.Query().Get("page")
	if raw == "" {
		return 1, true
	}
	n, err := strconv.Atoi(raw)
	if err != nil || n < 1 || n > 10000 {
		return 0, false
	}
	return n, true
}

// loadStream fills s with the live stories that match f for the request's
// page. It reports false when the page does not exist.
func (h *Handler) loadStream(w http.ResponseWriter, r *http.Request, f herald.StoryFilter, s *stream) bool {
	n, ok := pageNumber(r)
	if !ok {
		h.notFound(w, r)
		return false
	}
	f.LiveAt, f.Limit, f.Offset = h.Clock.Now(), h.PageSize, (n-1)*h.PageSize
	stories, total, err := h.Stories.FindStories(r.Context(), f)
	if err != nil {
		h.fail(w, r, err)
		return false
	}
	if n > 1 && len(stories) == 0 {
		h.notFound(w, r)
		return false
	}
	s.Cards, s.Page = h.cards(stories, false), n
	if len(s.Cards) > 0 && n == 1 {
		s.Cards[0].Lead = true
	}
	if n > 1 {
		s.PrevURL = pageURL(r.URL, n-1)
	}
	if f.Offset+len(stories) < total {
		s.NextURL = pageURL(r.URL, n+1)
	}
	return true
}

func pageURL(u *url.URL, n int) string {
	if n == 1 {
		return u.Path
	}
	return u.Path + "?page=" + strconv.Itoa(n)
}

func (h *Handler) home(w http.ResponseWriter, r *http.Request) {
	h.serveStream(w, r, "home", "", herald.StoryFilter{}, stream{})
}

// serveStream renders a stream page of the live stories that match f,
// titled title, with the template name.
func (h *Handler) serveStream(w http.ResponseWriter, r *http.Request, name, title string, f herald.StoryFilter, s stream) {
	if h.loadStream(w, r, f, &s) {
		h.render(w, r, http.StatusOK, name, page{Title: title, Description: s.Description,
			Canonical: h.BaseURL + pageURL(r.URL, s.Page), Data: s, signupCity: s.City, signupTopic: s.Topic})
	}
}

func (h *Handler) section(w http.ResponseWriter, r *http.Request) {
	sec, err := h.Newsroom.FindSection(r.Context(), r.PathValue("slug"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.serveStream(w, r, "stream", sec.Name, herald.StoryFilter{SectionID: sec.ID},
		stream{Heading: sec.Name, Description: sec.Description, Kicker: "Section"})
}

func (h *Handler) topic(w http.ResponseWriter, r *http.Request) {
	t, err := h.Newsroom.FindTopic(r.Context(), r.PathValue("slug"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.serveStream(w, r, "stream", t.Name, herald.StoryFilter{TopicID: t.ID},
		stream{Heading: t.Name, Description: t.Description, Kicker: "Topic", Topic: t})
}

func (h *Handler) city(w http.ResponseWriter, r *http.Request) {
	c, err := h.Newsroom.FindCity(r.Context(), r.PathValue("city"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.serveStream(w, r, "stream", c.Name+" news", herald.StoryFilter{CityID: c.ID},
		stream{Heading: c.Name, Description: c.Description, Kicker: "Local", City: c})
}

func (h *Handler) author(w http.ResponseWriter, r *http.Request) {
	a, err := h.Newsroom.FindAuthor(r.Context(), r.PathValue("slug"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.serveStream(w, r, "author", a.Name, herald.StoryFilter{AuthorID: a.ID},
		stream{Heading: a.Name, Description: a.Bio, Author: a})
}
