package admin

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/herald-news/herald"
)

// datetimeLocal is the format of an <input type="datetime-local">.
const datetimeLocal = "2006-01-02T15:04"

// location is the zone editors type times in: the site's.
func (h *Handler) location() *time.Location {
	if h.Location == nil {
		return time.UTC
	}
	return h.Location
}

func (h *Handler) publishStory(w http.ResponseWriter, r *http.Request) {
	h.setStoryStatus(w, r, herald.StatusPublished, time.Time{})
}

func (h *Handler) unpublishStory(w http.ResponseWriter, r *http.Request) {
	h.setStoryStatus(w, r, herald.StatusUnpublished, time.Time{})
}

// unscheduleStory takes a scheduled story off the schedule: a draft again.
func (h *Handler) unscheduleStory(w http.ResponseWriter, r *http.Request) {
	h.setStoryStatus(w, r, herald.StatusDraft, time.Time{})
}

// scheduleStory sets a story to go live at the time typed in the site's zone.
func (h *Handler) scheduleStory(w http.ResponseWriter, r *http.Request) {
	at, err := time.ParseInLocation(datetimeLocal, strings.TrimSpace(r.PostFormValue("at")), h.location())
	if err != nil {
		h.storyActionError(w, r, "at", "Pick a date and time to publish.")
		return
	}
	if !at.After(h.Clock.Now()) {
		h.storyActionError(w, r, "at", "Pick a time in the future.")
		return
	}
	h.setStoryStatus(w, r, herald.StatusScheduled, at)
}

// setStoryStatus publishes, schedules or unpublishes, then says how the
// story fares on the Smart Brevity check: a warning never blocks.
func (h *Handler) setStoryStatus(w http.ResponseWriter, r *http.Request, status herald.StoryStatus, at time.Time) {
	st, err := h.pathStory(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if err := h.Stories.SetStoryStatus(r.Context(), st.ID, status, at); err != nil {
		h.fail(w, r, err)
		return
	}
	if st, err = h.Stories.FindStoryByID(r.Context(), st.ID); err != nil {
		h.fail(w, r, err)
		return
	}
	var notice string
	switch st.Status {
	case herald.StatusPublished:
		notice = "Published. " + brevitySummary(st)
	case herald.StatusScheduled:
		notice = "Scheduled for " + st.PublishedAt.In(h.location()).Format("Mon Jan 2, 15:04 MST") + ". " + brevitySummary(st)
	case herald.StatusDraft:
		notice = "Unscheduled: the story is a draft again and will not go live until someone publishes or schedules it."
	default:
		notice = "Unpublished: readers no longer see this story."
	}
	h.redirectWith(w, r, fmt.Sprintf("/admin/stories/%d", st.ID), notice)
}

// brevitySummary counts the warnings of the story's check, naming the first.
func brevitySummary(st *herald.Story) string {
	warnings := herald.CheckBrevity(st.Headline, st.Body).Warnings()
	switch len(warnings) {
	case 0:
		return "Smart Brevity: no warnings."
	case 1:
		return "Smart Brevity: 1 warning: " + warnings[0].Message
	}
	return fmt.Sprintf("Smart Brevity: %d warnings, first: %s", len(warnings), warnings[0].Message)
}

// addCorrection appends a dated correction note to a story.
func (h *Handler) addCorrection(w http.ResponseWriter, r *http.Request) {
	text := strings.TrimSpace(r.PostFormValue("text"))
	if text == "" {
		h.storyActionError(w, r, "correction", "Say what was corrected, e.g. “An earlier version misspelled the mayor’s name.”")
		return
	}
	st, err := h.pathStory(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	st.Corrections = append(st.Corrections, &herald.Correction{Text: text, Date: h.Clock.Now()})
	if err := h.Stories.UpdateStory(r.Context(), st); err != nil {
		h.fail(w, r, err)
		return
	}
	h.redirectWith(w, r, fmt.Sprintf("/admin/stories/%d#corrections", st.ID), "Correction added.")
}

// storyActionError shows the stored story again with msg against field.
func (h *Handler) storyActionError(w http.ResponseWriter, r *http.Request, field, msg string) {
	st, err := h.pathStory(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.showEditor(w, r, http.StatusUnprocessableEntity, st, formOf(st), fieldErrors{field: msg})
}

// deleteStory removes a draft (or, for an editor, an unpublished story)
// for good; live stories are unpublished first.
func (h *Handler) deleteStory(w http.ResponseWriter, r *http.Request) {
	st, err := h.pathStory(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if !currentUser(r).Role.Can(st.DeleteNeeds()) {
		h.fail(w, r, herald.Errorf(herald.EFORBIDDEN, "This story was published; only an editor can delete it."))
		return
	}
	if err := h.Stories.DeleteStory(r.Context(), st.ID); err != nil {
		h.fail(w, r, err)
		return
	}
	h.Logger.Info("admin: story deleted", "story", st.ID, "headline", st.Headline, "by", currentUser(r).Email)
	h.redirectWith(w, r, "/admin/stories", fmt.Sprintf("Deleted “%s”.", st.Headline))
}
