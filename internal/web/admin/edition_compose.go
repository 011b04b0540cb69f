package admin

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/internal/editions"
)

// composerData is the composer page.
type composerData struct {
	Edition  *herald.Edition
	Items    []composerItem
	Brevity  string
	Error    string // why the last save failed; the form shows what was typed
	Audience int    // readers a send now would reach
	Text     string // the plain-text part, as readers get it
	Problem  string // why no preview could be made
	Query    string // the story search, for pages without script
	Found    []pickedStory
	SendAt   string // the schedule field's value, in the newsletter's zone
	Zone     string
}

// composerItem is one numbered item with what its buttons need.
type composerItem struct {
	herald.EditionItem
	Index, Number int
	First, Last   bool
}

// composer shows a draft or scheduled edition for editing, with its
// previews and the buttons that send it. Editions on their way out go to
// the live send view instead.
func (h *Handler) composer(w http.ResponseWriter, r *http.Request) {
	ed, ok := h.pathEdition(w, r)
	if !ok {
		return
	}
	if !editable(ed) {
		http.Redirect(w, r, editionPath(ed.ID, "send"), http.StatusSeeOther)
		return
	}
	h.renderComposer(w, r, http.StatusOK, ed, "")
}

func (h *Handler) renderComposer(w http.ResponseWriter, r *http.Request, status int, ed *herald.Edition, problem string) {
	ctx := r.Context()
	data := composerData{Edition: ed, Brevity: ed.BrevityCount(), Error: problem, Query: r.URL.Query().Get("q"),
		Zone: ed.Newsletter.TimeZone}
	for i, it := range ed.Items {
		data.Items = append(data.Items, composerItem{EditionItem: it, Index: i, Number: i + 1, First: i == 0, Last: i == len(ed.Items)-1})
	}
	var err error
	if data.Audience, err = h.Editions.Audience(ctx, ed.NewsletterID); err != nil {
		h.fail(w, r, err)
		return
	}
	if _, msg, err := h.Desk.PreviewEdition(ctx, ed.ID, currentUser(r).Email); err != nil {
		data.Problem = herald.ErrorMessage(err)
	} else {
		data.Text = msg.Text
	}
	if data.Query != "" {
		if data.Found, err = h.pickStories(ctx, data.Query); err != nil && herald.ErrorCode(err) != herald.EINVALID {
			h.fail(w, r, err)
			return
		}
	}
	data.SendAt = h.defaultSendAt(ed)
	h.render(w, r, status, "edition", ed.Newsletter.Name+" "+ed.DateString(), data)
}

// defaultSendAt proposes the edition's scheduled time, or the
// newsletter's next slot, as a datetime-local value in its zone.
func (h *Handler) defaultSendAt(ed *herald.Edition) string {
	at := ed.ScheduledAt
	if at.IsZero() {
		next, ok := ed.Newsletter.NextSlot(h.Clock.Now())
		if !ok {
			next = h.Clock.Now().Add(time.Hour)
		}
		at = next
	}
	return at.In(ed.Newsletter.Location()).Format("2006-01-02T15:04")
}

// saveEdition stores the composer's form, after carrying out the button
// pressed (move or remove an item, add a blank one). Scripts get the new
// Smart Brevity count as JSON; browsers go back to the composer.
func (h *Handler) saveEdition(w http.ResponseWriter, r *http.Request) {
	ed, ok := h.pathEdition(w, r)
	if !ok {
		return
	}
	if !editable(ed) {
		h.fail(w, r, herald.Errorf(herald.ECONFLICT, "This edition has started sending and can no longer be changed."))
		return
	}
	next, err := readEditionForm(r, ed)
	focus := -1
	if err == nil {
		focus, err = applyEditionOp(next, r.PostFormValue("op"))
	}
	if err == nil {
		err = checkEdition(next)
	}
	if err == nil && gateOf(ed, h.Clock.Now()).Kind == "automatic" && r.PostFormValue("keep_automatic") == "" {
		next.Held = true // an edited draft goes out automatically only if the editor says so
	}
	if err == nil {
		err = h.Editions.UpdateEdition(r.Context(), next)
	}
	if herald.ErrorCode(err) == herald.ESTALE && !wantsJSON(r) {
		// The editor's text stays in the form, now naming the saved
		// version: saving again keeps theirs.
		next.Version = ed.Version
		h.renderComposer(w, r, http.StatusConflict, next, "Someone else saved this edition after you opened it. Nothing of yours "+
			"was saved: your text is below. Compare it with the saved edition (open it in a new tab), then save again to keep yours.")
		return
	}
	if err != nil {
		if wantsJSON(r) || herald.ErrorCode(err) != herald.EINVALID || next == nil {
			h.fail(w, r, err)
			return
		}
		h.renderComposer(w, r, http.StatusUnprocessableEntity, next, herald.ErrorMessage(err))
		return
	}
	if wantsJSON(r) {
		writeJSON(w, http.StatusOK, map[string]any{"brevity": next.BrevityCount(), "items": len(next.Items), "version": next.Version})
		return
	}
	path := editionPath(ed.ID, "")
	if focus >= 0 {
		path += "#item-" + strconv.Itoa(focus+1)
	}
	h.redirectWith(w, r, path, "Saved.")
}

// addEditionStory adds a live story to the end of the edition, its
// summary as the blurb.
func (h *Handler) addEditionStory(w http.ResponseWriter, r *http.Request) {
	ed, ok := h.pathEdition(w, r)
	if !ok {
		return
	}
	st, err := h.Stories.FindStoryByID(r.Context(), formInt(r.PostFormValue("story")))
	switch {
	case err != nil:
		h.fail(w, r, err)
		return
	case !st.Live(h.Clock.Now()):
		h.fail(w, r, herald.Errorf(herald.EINVALID, "Only published stories can go into an edition."))
		return
	case !editable(ed):
		h.fail(w, r, herald.Errorf(herald.ECONFLICT, "This edition has started sending and can no longer be changed."))
		return
	case len(ed.Items) >= maxEditionItems:
		h.fail(w, r, herald.Errorf(herald.EINVALID, "An edition holds at most %d items.", maxEditionItems))
		return
	}
	ed.Items = append(ed.Items, editions.StoryItem(h.BaseURL, st))
	if err := h.Editions.UpdateEdition(r.Context(), ed); err != nil {
		h.fail(w, r, err)
		return
	}
	h.redirectWith(w, r, editionPath(ed.ID, "")+"#item-"+strconv.Itoa(len(ed.Items)), "Added “"+st.Headline+"”.")
}

// pickedStory is a story the composer's picker offers.
type pickedStory struct {
	ID        int64  `json:"id"`
	Headline  string `json:"headline"`
	Section   string `json:"section"`
	Published string `json:"published"` // "3 hours ago"
}

// editionStoryPicker answers the composer's story search with JSON: the
// live stories matching q, or the latest when q is empty.
func (h *Handler) editionStoryPicker(w http.ResponseWriter, r *http.Request) {
	found, err := h.pickStories(r.Context(), r.URL.Query().Get("q"))
	if err != nil && herald.ErrorCode(err) != herald.EINVALID {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"stories": found})
}

// pickStories finds up to 10 live stories for the picker.
func (h *Handler) pickStories(ctx context.Context, q string) ([]pickedStory, error) {
	now := h.Clock.Now()
	var stories []*herald.Story
	if q = strings.TrimSpace(q); q == "" {
		found, _, err := h.Stories.FindStories(ctx, herald.StoryFilter{LiveAt: now, Limit: 10})
		if err != nil {
			return nil, err
		}
		stories = found
	} else {
		results, _, err := h.Search.Search(ctx, q, now, 10, 0)
		if err != nil {
			return []pickedStory{}, err
		}
		for _, res := range results {
			stories = append(stories, res.Story)
		}
	}
	out := []pickedStory{}
	for _, st := range stories {
		p := pickedStory{ID: st.ID, Headline: st.Headline, Published: herald.RelativeTime(st.PublishedAt, now, time.UTC)}
		if st.Section != nil {
			p.Section = st.Section.Name
		}
		out = append(out, p)
	}
	return out, nil
}
