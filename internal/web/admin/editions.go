package admin

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/internal/web"
)

// The edition desk: the list of editions per newsletter, the composer
// (edition_compose.go), previews and tests (edition_preview.go), sending
// (edition_send.go) and the live send view (edition_live.go).

func (h *Handler) editionRoutes() []route {
	return []route{
		{"GET /admin/editions", herald.PermRead, h.editionList},
		{"POST /admin/editions", herald.PermEditions, h.draftEdition},
		{"GET /admin/editions/stories", herald.PermEditions, h.editionStoryPicker},
		{"GET /admin/editions/{id}", herald.PermEditions, h.composer},
		{"POST /admin/editions/{id}", herald.PermEditions, h.saveEdition},
		{"POST /admin/editions/{id}/items", herald.PermEditions, h.addEditionStory},
		{"GET /admin/editions/{id}/preview.html", herald.PermRead, h.editionPreviewHTML},
		{"GET /admin/editions/{id}/preview.txt", herald.PermRead, h.editionPreviewText},
		{"POST /admin/editions/{id}/test", herald.PermEditions, h.sendTestEdition},
		{"POST /admin/editions/{id}/schedule", herald.PermSend, h.scheduleEdition},
		{"POST /admin/editions/{id}/send", herald.PermSend, h.sendEditionNow},
		{"POST /admin/editions/{id}/pause", herald.PermSend, h.setEditionState},
		{"POST /admin/editions/{id}/resume", herald.PermSend, h.setEditionState},
		{"POST /admin/editions/{id}/cancel", herald.PermSend, h.setEditionState},
		{"POST /admin/editions/{id}/unschedule", herald.PermSend, h.setEditionState},
		{"POST /admin/editions/{id}/hold", herald.PermSend, h.holdEdition},
		{"POST /admin/editions/{id}/release", herald.PermSend, h.holdEdition},
		{"GET /admin/editions/{id}/send", herald.PermRead, h.liveSend},
		{"GET /admin/editions/{id}/progress", herald.PermRead, h.editionProgress},
	}
}

// editionsShown is how many editions the list shows per newsletter.
const editionsShown = 30

type editionListData struct {
	Newsletters []*herald.Newsletter
	Current     *herald.Newsletter
	Editions    []editionRow
	Error       string // why the last draft failed
}

type editionRow struct {
	*herald.Edition
	Started          bool // it has a ledger: counts mean something
	Accepted, Failed int
}

// editionList shows one newsletter's editions, newest first, with tabs to
// the others.
func (h *Handler) editionList(w http.ResponseWriter, r *http.Request) {
	h.renderEditionList(w, r, http.StatusOK, r.URL.Query().Get("newsletter"), "")
}

func (h *Handler) renderEditionList(w http.ResponseWriter, r *http.Request, status int, slug, problem string) {
	ctx := r.Context()
	letters, err := h.Newsroom.Newsletters(ctx)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	data := editionListData{Newsletters: letters, Error: problem}
	if len(letters) == 0 {
		h.render(w, r, status, "editions", "Editions", data)
		return
	}
	data.Current = letters[0]
	if i := slices.IndexFunc(letters, func(n *herald.Newsletter) bool { return n.Slug == slug }); i >= 0 {
		data.Current = letters[i]
	}
	eds, err := h.Editions.Editions(ctx, data.Current.ID, false, editionsShown)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	ids := make([]int64, len(eds))
	for i, ed := range eds {
		ids[i] = ed.ID
	}
	counts, err := h.Editions.CountsFor(ctx, ids)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	for _, ed := range eds {
		c, started := counts[ed.ID]
		data.Editions = append(data.Editions, editionRow{Edition: ed, Started: started, Accepted: c[herald.SendAccepted],
			Failed: c.NotAccepted()})
	}
	h.render(w, r, status, "editions", "Editions", data)
}

// draftEdition drafts a newsletter's next edition (or the one of the date
// asked for) from the stories published since the last, and opens it.
// When there is nothing to draft, the list says why.
func (h *Handler) draftEdition(w http.ResponseWriter, r *http.Request) {
	slug, date := r.PostFormValue("newsletter"), strings.TrimSpace(r.PostFormValue("date"))
	blank := r.PostFormValue("blank") != ""
	ed, err := h.Desk.DraftEdition(r.Context(), slug, date, blank)
	if err != nil {
		switch herald.ErrorCode(err) {
		case herald.ENOTFOUND, herald.ECONFLICT, herald.EINVALID:
			h.renderEditionList(w, r, web.ErrorStatus(err), slug, herald.ErrorMessage(err))
		default:
			h.fail(w, r, err)
		}
		return
	}
	if blank {
		h.redirectWith(w, r, editionPath(ed.ID, ""), "Started a blank "+ed.Newsletter.Name+" for "+ed.DateString()+": write its subject and items.")
		return
	}
	h.redirectWith(w, r, editionPath(ed.ID, ""), "Drafted "+ed.Newsletter.Name+" for "+ed.DateString()+".")
}

// editionPath is the admin path of an edition's page, or of one of its
// actions.
func editionPath(id int64, action string) string {
	p := "/admin/editions/" + strconv.FormatInt(id, 10)
	if action != "" {
		p += "/" + action
	}
	return p
}

// pathEdition loads the edition named by the {id} path value; on failure
// it has answered already.
func (h *Handler) pathEdition(w http.ResponseWriter, r *http.Request) (*herald.Edition, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		h.fail(w, r, herald.Errorf(herald.ENOTFOUND, "There is no such edition."))
		return nil, false
	}
	ed, err := h.Editions.FindEdition(r.Context(), id)
	if err != nil {
		h.fail(w, r, err)
		return nil, false
	}
	return ed, true
}

// editable reports whether an edition's content may still change.
func editable(ed *herald.Edition) bool {
	return ed.Status == herald.EditionDraft || ed.Status == herald.EditionScheduled
}
