package site

import (
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/herald-news/herald"
)

// searchPage is what the search page shows: the form with the reader's
// words, and the stories that match them a page at a time.
type searchPage struct {
	Query   string
	Total   int
	Results []result
	PrevURL string
	NextURL string
}

// result is a stream card with the passage of the story that matched.
type result struct {
	card
	Snippet template.HTML // escaped text with <mark>ed words (herald.SearchResult)
}

// search serves /search?q=words&page=N. Without words it shows the form
// alone. Search pages are kept out of search engines.
func (h *Handler) search(w http.ResponseWriter, r *http.Request) {
	if h.Search == nil {
		h.notFound(w, r)
		return
	}
	n, ok := pageNumber(r)
	if !ok {
		h.notFound(w, r)
		return
	}
	q := searchQuery(r)
	data := searchPage{Query: q}
	p := page{Title: "Search", Canonical: h.BaseURL + searchURL(q, n), Data: &data, NoIndex: true}
	if q == "" {
		h.render(w, r, http.StatusOK, "search", p)
		return
	}
	p.Title = "Search: " + q
	found, total, err := h.Search.Search(r.Context(), q, h.Clock.Now(), h.PageSize, (n-1)*h.PageSize)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if n > 1 && len(found) == 0 {
		h.notFound(w, r)
		return
	}
	stories := make([]*herald.Story, len(found))
	for i, f := range found {
		stories[i] = f.Story
	}
	for i, c := range h.cards(stories, false) {
		data.Results = append(data.Results, result{card: c, Snippet: found[i].Snippet})
	}
	data.Total = total
	if n > 1 {
		data.PrevURL = searchURL(q, n-1)
	}
	if (n-1)*h.PageSize+len(found) < total {
		data.NextURL = searchURL(q, n+1)
	}
	h.render(w, r, http.StatusOK, "search", p)
}

// searchQuery is the reader's words from ?q=, trimmed and cut to
// herald.MaxSearchQuery characters.
func searchQuery(r *http.Request) string {
	q := strings.TrimSpace(strings.ToValidUTF8(r.URL.Query().Get("q"), ""))
	if runes := []rune(q); len(runes) > herald.MaxSearchQuery {
		q = strings.TrimSpace(string(runes[:herald.MaxSearchQuery]))
	}
	return q
}

// searchURL is the path of page n of the results for q.
func searchURL(q string, n int) string {
	if q == "" {
		return "/search"
	}
	u := "/search?q=" + url.QueryEscape(q)
	if n > 1 {
		u += "&page=" + strconv.Itoa(n)
	}
	return u
}
