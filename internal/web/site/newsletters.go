package site

import (
	"net/http"

	"github.com/herald-news/herald"
)

// newsletterPage is one newsletter's page: its promise, schedule, signup
// box and archive.
type newsletterPage struct {
	*herald.Newsletter
	Box      *signupBox
	Editions []*herald.Edition // sent, newest first
}

func (h *Handler) newsletters(w http.ResponseWriter, r *http.Request) {
	all, err := h.Newsroom.Newsletters(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, "newsletters", page{Title: "Newsletters",
		Description: "Our daily briefings, topic newsletters and city newsletters.",
		Canonical:   h.BaseURL + "/newsletters", Data: all, NoSignup: true})
}

func (h *Handler) newsletter(w http.ResponseWriter, r *http.Request) {
	n, err := h.Newsroom.FindNewsletter(r.Context(), r.PathValue("slug"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	var sent []*herald.Edition
	if h.Editions != nil {
		if sent, err = h.Editions.Editions(r.Context(), n.ID, true, 60); err != nil {
			h.fail(w, r, err)
			return
		}
	}
	h.render(w, r, http.StatusOK, "newsletter", page{Title: n.Name, Description: n.Promise, Canonical: h.BaseURL + n.Path(),
		Data: newsletterPage{Newsletter: n, Box: boxFor(n, n.Path()), Editions: sent}, NoSignup: true})
}
