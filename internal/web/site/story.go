package site

import (
	"net/http"

	"github.com/herald-news/herald"
)

// goDeeperCount is how many related stories a story page shows.
const goDeeperCount = 3

// storyPage is what a story page shows.
type storyPage struct {
	*herald.Story
	Body        herald.Body
	Published   string // "Nov 27, 2026 - 10:05 AM EST"
	UpdatedAgo  string // "Updated 2 hours ago", when edited after publication
	Contributor *herald.Author
	GoDeeper    []card
}

// story serves /YYYY/MM/DD/slug and /local/{city}/YYYY/MM/DD/slug. Any
// other path that names the story's current or former slug redirects to
// the canonical one, so old links keep working.
func (h *Handler) story(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	st, err := h.Stories.FindStoryBySlug(ctx, r.PathValue("slug"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	now := h.Clock.Now()
	if !st.Live(now) {
		h.notFound(w, r)
		return
	}
	if r.URL.Path != st.Path() {
		http.Redirect(w, r, st.Path(), http.StatusMovedPermanently)
		return
	}
	related, err := h.Stories.RelatedStories(ctx, st, now, goDeeperCount)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	p := storyPage{
		Story:     st,
		Body:      herald.ParseBody(st.Body),
		Published: st.PublishedAt.In(h.Location).Format("Jan 2, 2006 - 3:04 PM MST"),
		GoDeeper:  h.cards(related, true),
	}
	if st.Updated() {
		p.UpdatedAgo = "Updated " + herald.RelativeTime(st.UpdatedAt, now, h.Location)
	}
	if st.Kind == herald.KindOpinion {
		p.Contributor = st.Contributor()
	}
	h.render(w, r, http.StatusOK, "story", page{Title: st.Headline, Description: st.CardSummary(),
		Canonical: h.BaseURL + st.Path(), Data: p, signupCity: st.City})
}
