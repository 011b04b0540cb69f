package admin

import (
	"net/http"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/internal/mail"
	"github.com/herald-news/herald/internal/web"
)

// framedPolicy replaces the admin's Content-Security-Policy on an email
// shown inside an admin page's sandboxed iframe: only the admin may frame
// it, no script runs, and the email's inline styles and images work.
const framedPolicy = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' https: data:; font-src https: data:; " +
	"frame-ancestors 'self'; base-uri 'none'; form-action 'none'"

// serveFramedHTML answers with an email's HTML for an iframe of the admin.
func serveFramedHTML(w http.ResponseWriter, html string) {
	hdr := w.Header()
	hdr.Set("Content-Security-Policy", framedPolicy)
	hdr.Set("X-Frame-Options", "SAMEORIGIN")
	hdr.Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(http.StatusOK)
	w.Write([]byte(html))
}

// editionPreviewHTML is the edition as the signed-in editor would get it,
// for the composer's desktop and phone previews.
func (h *Handler) editionPreviewHTML(w http.ResponseWriter, r *http.Request) {
	if msg, ok := h.previewMessage(w, r); ok {
		serveFramedHTML(w, msg.HTML)
	}
}

// editionPreviewText is the edition's plain-text part.
func (h *Handler) editionPreviewText(w http.ResponseWriter, r *http.Request) {
	if msg, ok := h.previewMessage(w, r); ok {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Write([]byte(msg.Text))
	}
}

func (h *Handler) previewMessage(w http.ResponseWriter, r *http.Request) (*mail.Message, bool) {
	ed, ok := h.pathEdition(w, r)
	if !ok {
		return nil, false
	}
	_, msg, err := h.Desk.PreviewEdition(r.Context(), ed.ID, currentUser(r).Email)
	if err != nil {
		h.fail(w, r, err)
		return nil, false
	}
	return msg, true
}

// sendTestEdition mails one copy, marked "[Test]", to the signed-in
// editor.
func (h *Handler) sendTestEdition(w http.ResponseWriter, r *http.Request) {
	ed, ok := h.pathEdition(w, r)
	if !ok {
		return
	}
	to := currentUser(r).Email
	if err := h.Desk.SendTestEdition(r.Context(), ed.ID, to); err != nil {
		h.actionFailed(w, r, ed, err)
		return
	}
	h.done(w, r, ed, "A test copy is on its way to "+to+".")
}

// actionFailed answers a failed edition action: an editor sees the
// composer again with the reason; scripts and other failures get h.fail.
func (h *Handler) actionFailed(w http.ResponseWriter, r *http.Request, ed *herald.Edition, err error) {
	code := herald.ErrorCode(err)
	if wantsJSON(r) || !editable(ed) || (code != herald.EINVALID && code != herald.ECONFLICT) {
		h.fail(w, r, err)
		return
	}
	h.renderComposer(w, r, web.ErrorStatus(err), ed, herald.ErrorMessage(err))
}

// done answers a successful edition action: JSON for scripts, or back to
// the edition's page with a notice.
func (h *Handler) done(w http.ResponseWriter, r *http.Request, ed *herald.Edition, notice string) {
	if wantsJSON(r) {
		writeJSON(w, http.StatusOK, map[string]string{"message": notice})
		return
	}
	h.redirectWith(w, r, editionPath(ed.ID, ""), notice)
}
