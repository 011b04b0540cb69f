package site

import (
	"time"

	"github.com/herald-news/herald"
)

// card is a story as a stream shows it.
type card struct {
	*herald.Story
	Time      time.Time // the time shown: updated, else published
	TimeLabel string    // "51 mins ago", "Updated 4 hours ago"
	Axiom     *herald.Block
	Lead      bool // the first card of a stream gets a larger photo
}

// cards turns stories into stream cards; withAxiom adds each story's first
// axiom, as Go deeper shows.
func (h *Handler) cards(stories []*herald.Story, withAxiom bool) []card {
	now := h.Clock.Now()
	out := make([]card, len(stories))
	for i, st := range stories {
		c := card{Story: st, Time: st.ShownTime(), TimeLabel: h.timeLabel(st, now)}
		if withAxiom {
			if b, ok := herald.ParseBody(st.Body).FirstAxiom(); ok {
				c.Axiom = &b
			}
		}
		out[i] = c
	}
	return out
}

// timeLabel is the relative time of a card, "Updated" first when the story
// was edited after publication.
func (h *Handler) timeLabel(st *herald.Story, now time.Time) string {
	label := herald.RelativeTime(st.ShownTime(), now, h.Location)
	if st.Updated() {
		return "Updated " + label
	}
	return label
}
