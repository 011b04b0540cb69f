package admin

import (
	"net/http"
	"path"
	"strings"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/internal/delivery"
)

// scheduleEdition schedules a draft for the time in the form's "at" field
// (a datetime-local value in the newsletter's zone).
func (h *Handler) scheduleEdition(w http.ResponseWriter, r *http.Request) {
	ed, ok := h.pathEdition(w, r)
	if !ok {
		return
	}
	at := strings.TrimSpace(r.PostFormValue("at"))
	if at == "" {
		h.actionFailed(w, r, ed, herald.Errorf(herald.EINVALID, "Pick a date and time to send the edition."))
		return
	}
	when, err := ed.Newsletter.ParseSendTime(at)
	if err != nil {
		h.actionFailed(w, r, ed, err)
		return
	}
	scheduled, err := h.Desk.ScheduleEdition(r.Context(), ed.ID, when)
	if err != nil {
		h.actionFailed(w, r, ed, err)
		return
	}
	ed = scheduled
	h.done(w, r, ed, "Scheduled for "+ed.ScheduledAt.In(ed.Newsletter.Location()).Format("Mon Jan 2 at 15:04 MST")+".")
}

// sendEditionNow starts sending at once and opens the live send view.
func (h *Handler) sendEditionNow(w http.ResponseWriter, r *http.Request) {
	ed, ok := h.pathEdition(w, r)
	if !ok {
		return
	}
	n, err := h.Desk.SendNow(r.Context(), ed.ID)
	if err != nil {
		h.actionFailed(w, r, ed, err)
		return
	}
	notice := "Sending to " + herald.FormatCount(n) + " readers."
	if wantsJSON(r) {
		writeJSON(w, http.StatusOK, map[string]any{"message": notice, "recipients": n})
		return
	}
	h.redirectWith(w, r, editionPath(ed.ID, "send"), notice)
}

// stateNotices are what each of pause, resume and cancel says when done.
var stateNotices = map[string]string{
	"pause":      delivery.PauseNote(0), // with the messages in flight, once paused
	"resume":     "Resumed.",
	"cancel":     "Cancelled. Readers who have not had it yet never will.",
	"unschedule": "Unscheduled: the edition is a draft again.",
}

// setEditionState pauses, resumes, cancels or unschedules an edition: the
// verb is the last element of the path.
func (h *Handler) setEditionState(w http.ResponseWriter, r *http.Request) {
	ed, ok := h.pathEdition(w, r)
	if !ok {
		return
	}
	verb := path.Base(r.URL.Path)
	notice, ok := stateNotices[verb]
	if !ok {
		h.fail(w, r, herald.Errorf(herald.ENOTFOUND, "There is no such action."))
		return
	}
	if err := h.Desk.SetEditionState(r.Context(), ed.ID, verb); err != nil {
		h.fail(w, r, err)
		return
	}
	if verb == "pause" {
		counts, err := h.Editions.Counts(r.Context(), ed.ID)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		notice = delivery.PauseNote(counts[herald.SendSending])
	}
	if wantsJSON(r) {
		writeJSON(w, http.StatusOK, map[string]string{"message": notice})
		return
	}
	target := editionPath(ed.ID, "send")
	if verb == "unschedule" {
		target = editionPath(ed.ID, "")
	} else if ed.Status == herald.EditionScheduled {
		target = "/admin/editions?newsletter=" + ed.Newsletter.Slug
	}
	h.redirectWith(w, r, target, notice)
}
