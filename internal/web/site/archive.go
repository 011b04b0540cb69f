package site

import (
	"context"
	"html/template"
	"net/http"
	"time"

	"github.com/herald-news/herald"
)

// ArchiveRenderer renders a sent edition's content for its public page,
// without any reader's personal links.
type ArchiveRenderer func(ctx context.Context, ed *herald.Edition) (template.HTML, error)

// archivePage is one sent edition on the web.
type archivePage struct {
	Edition *herald.Edition
	Body    template.HTML
	Box     *signupBox
}

// edition serves /newsletters/{slug}/{date}: a sent edition as readers
// got it. Drafts and editions still sending are not public.
func (h *Handler) edition(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	n, err := h.Newsroom.FindNewsletter(ctx, r.PathValue("slug"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	date, err := time.Parse("2006-01-02", r.PathValue("date"))
	if err != nil {
		h.notFound(w, r)
		return
	}
	ed, err := h.Editions.FindEditionByDate(ctx, n.ID, date)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if ed.Status != herald.EditionSent {
		h.notFound(w, r)
		return
	}
	body, err := h.Archive(ctx, ed)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, "edition", page{Title: ed.Subject + " - " + n.Name, Description: ed.Preheader,
		Canonical: h.BaseURL + ed.ArchivePath(), NoSignup: true,
		Data: archivePage{Edition: ed, Body: body, Box: boxFor(n, ed.ArchivePath())}})
}
