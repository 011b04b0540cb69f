package admin

import (
	"net/http"
	"strconv"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/internal/mail/devinbox"
)

// The development inbox, inside the admin while it is the transport: every
// message Herald "sent", as readers would see it.

// inboxShown is how many messages the list shows.
const inboxShown = 200

func (h *Handler) inboxRoutes() []route {
	if h.Inbox == nil {
		return nil
	}
	return []route{
		{"GET /admin/inbox", herald.PermEditions, h.inboxList},
		{"GET /admin/inbox/{id}", herald.PermEditions, h.inboxMessage},
		{"GET /admin/inbox/{id}/html", herald.PermEditions, h.inboxMessageHTML},
	}
}

func (h *Handler) inboxList(w http.ResponseWriter, r *http.Request) {
	msgs, err := h.Inbox.Messages(r.Context(), inboxShown)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, "inbox", "Dev inbox", msgs)
}

func (h *Handler) inboxMessage(w http.ResponseWriter, r *http.Request) {
	m, ok := h.pathMessage(w, r)
	if !ok {
		return
	}
	h.render(w, r, http.StatusOK, "inbox_message", m.Subject, m)
}

// inboxMessageHTML is a message's HTML part, for the sandboxed iframe of
// the message page.
func (h *Handler) inboxMessageHTML(w http.ResponseWriter, r *http.Request) {
	m, ok := h.pathMessage(w, r)
	if !ok {
		return
	}
	serveFramedHTML(w, m.HTML)
}

func (h *Handler) pathMessage(w http.ResponseWriter, r *http.Request) (*devinbox.StoredMessage, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		h.fail(w, r, herald.Errorf(herald.ENOTFOUND, "There is no such message."))
		return nil, false
	}
	m, err := h.Inbox.Message(r.Context(), id)
	if err != nil {
		h.fail(w, r, err)
		return nil, false
	}
	return m, true
}
