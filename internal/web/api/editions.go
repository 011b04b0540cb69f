package api

import (
	"fmt"
	"net/http"
	"time"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/internal/delivery"
	"github.com/herald-news/herald/internal/editions"
)

// itemJSON is one item of an edition. On input, an item with a story_id
// and no headline is made from the story, as the desk makes drafts.
type itemJSON struct {
	StoryID  int64  `json:"story_id,omitempty"`
	Headline string `json:"headline"`
	Body     string `json:"body"`
	URL      string `json:"url,omitempty"`
}

type editionJSON struct {
	ID          int64      `json:"id"`
	Newsletter  string     `json:"newsletter"`
	Date        string     `json:"date"`
	Subject     string     `json:"subject"`
	Preheader   string     `json:"preheader"`
	Opening     itemJSON   `json:"opening"`
	Items       []itemJSON `json:"items"`
	Status      string     `json:"status"`
	Words       int        `json:"words"`
	ScheduledAt time.Time  `json:"scheduled_at,omitzero"`
	StartedAt   time.Time  `json:"started_at,omitzero"`
	FinishedAt  time.Time  `json:"finished_at,omitzero"`
	CreatedAt   time.Time  `json:"created_at"`
	Held        bool       `json:"held"`
	Automatic   bool       `json:"automatic"` // goes out at its newsletter's send time without a click
	MissedAt    time.Time  `json:"missed_at,omitzero"`
	Blocked     string     `json:"blocked,omitempty"`
}

func toEditionJSON(e *herald.Edition) editionJSON {
	out := editionJSON{ID: e.ID, Date: e.DateString(), Subject: e.Subject, Preheader: e.Preheader,
		Opening: itemJSON(e.Opening), Items: []itemJSON{}, Status: string(e.Status), Words: e.Words(),
		ScheduledAt: e.ScheduledAt.UTC(), StartedAt: e.StartedAt.UTC(), FinishedAt: e.FinishedAt.UTC(), CreatedAt: e.CreatedAt.UTC(),
		Held: e.Held, Automatic: e.Automatic(), MissedAt: e.MissedAt.UTC(), Blocked: e.Blocked}
	if e.Newsletter != nil {
		out.Newsletter = e.Newsletter.Slug
	}
	for _, it := range e.Items {
		out.Items = append(out.Items, itemJSON(it))
	}
	return out
}

// listEditions: GET /api/v1/editions?newsletter=slug&cursor=&limit=
func (h *Handler) listEditions(w http.ResponseWriter, r *http.Request, _ *caller) error {
	var nlID int64
	if slug := r.URL.Query().Get("newsletter"); slug != "" {
		n, err := h.Newsroom.FindNewsletter(r.Context(), slug)
		if err != nil {
			return refError(err, "newsletter", slug)
		}
		nlID = n.ID
	}
	before, err := h.decodeCursor(r, "editions")
	if err != nil {
		return err
	}
	limit, err := limitParam(r)
	if err != nil {
		return err
	}
	eds, err := h.Editions.ListEditions(r.Context(), nlID, before, limit)
	if err != nil {
		return err
	}
	out := page[editionJSON]{Data: []editionJSON{}}
	for _, e := range eds {
		out.Data = append(out.Data, toEditionJSON(e))
	}
	if n := len(eds); n > 0 {
		out.NextCursor = h.nextCursor("editions", n, limit, eds[n-1].ID)
	}
	return ok(w, out)
}

func (h *Handler) edition(r *http.Request) (*herald.Edition, error) {
	id, err := pathID(r, "id", "Edition")
	if err != nil {
		return nil, err
	}
	return h.Editions.FindEdition(r.Context(), id)
}

func (h *Handler) getEdition(w http.ResponseWriter, r *http.Request, _ *caller) error {
	e, err := h.edition(r)
	if err != nil {
		return err
	}
	setVersion(w, e.Version)
	return ok(w, toEditionJSON(e))
}

// draftBody asks for a draft of a newsletter's edition; date defaults to
// its next send.
type draftBody struct {
	Newsletter string `json:"newsletter"`
	Date       string `json:"date"`
	Blank      bool   `json:"blank"` // no stories: the editor writes the items
}

// draftEdition drafts an edition from the latest stories, as the desk does.
func (h *Handler) draftEdition(w http.ResponseWriter, r *http.Request, _ *caller) error {
	var in draftBody
	if err := decode(r, &in); err != nil {
		return err
	}
	if in.Newsletter == "" {
		return errInvalid("newsletter: say which newsletter (its slug).")
	}
	if _, err := h.Newsroom.FindNewsletter(r.Context(), in.Newsletter); err != nil {
		return refError(err, "newsletter", in.Newsletter)
	}
	e, err := h.Desk.DraftEdition(r.Context(), in.Newsletter, in.Date, in.Blank)
	if err != nil {
		return err
	}
	return created(w, fmt.Sprintf("/api/v1/editions/%d", e.ID), toEditionJSON(e))
}

// editionBody changes an edition; items, when given, replace every item
// in the order given.
type editionBody struct {
	Subject   *string     `json:"subject"`
	Preheader *string     `json:"preheader"`
	Opening   *itemJSON   `json:"opening"`
	Items     *[]itemJSON `json:"items"`
	// Held keeps an automatic newsletter's edition from going out at its
	// send time. An edit that does not say leaves it held: an edited
	// draft goes out automatically only if the editor says so.
	Held *bool `json:"held"`
}

func (h *Handler) updateEdition(w http.ResponseWriter, r *http.Request, _ *caller) error {
	e, err := h.edition(r)
	if err != nil {
		return err
	}
	if e.Version, err = ifMatch(r, e.Version); err != nil {
		return err
	}
	var in editionBody
	if err := decode(r, &in); err != nil {
		return err
	}
	if in.Subject != nil {
		e.Subject = *in.Subject
	}
	if in.Preheader != nil {
		e.Preheader = *in.Preheader
	}
	if in.Opening != nil {
		if e.Opening, err = h.item(r, *in.Opening, "opening"); err != nil {
			return err
		}
	}
	if in.Items != nil {
		e.Items = nil
		for i, it := range *in.Items {
			item, err := h.item(r, it, fmt.Sprintf("items[%d]", i))
			if err != nil {
				return err
			}
			e.Items = append(e.Items, item)
		}
	}
	edited := in.Subject != nil || in.Preheader != nil || in.Opening != nil || in.Items != nil
	switch {
	case in.Held != nil:
		e.Held = *in.Held
	case edited && e.Newsletter.SendMode == herald.SendAutomatic:
		e.Held = true
	}
	if err := h.Editions.UpdateEdition(r.Context(), e); err != nil {
		return err
	}
	setVersion(w, e.Version)
	return ok(w, toEditionJSON(e))
}

// item reads one edition item, filling it from its story when asked.
func (h *Handler) item(r *http.Request, in itemJSON, field string) (herald.EditionItem, error) {
	it := herald.EditionItem(in)
	if it.StoryID != 0 {
		st, err := h.Stories.FindStoryByID(r.Context(), it.StoryID)
		if herald.ErrorCode(err) == herald.ENOTFOUND {
			return it, errInvalid("%s.story_id: there is no story %d.", field, it.StoryID)
		} else if err != nil {
			return it, err
		}
		made := editions.StoryItem(h.BaseURL, st)
		if it.Headline == "" {
			it = made
		} else if it.URL == "" {
			it.URL = made.URL
		}
	}
	if it.Headline == "" {
		return it, errInvalid("%s.headline: each item needs a headline (or a story_id to make it from).", field)
	}
	return it, nil
}

// testBody names where a test copy goes.
type testBody struct {
	To string `json:"to"`
}

func (h *Handler) testEdition(w http.ResponseWriter, r *http.Request, _ *caller) error {
	id, err := pathID(r, "id", "Edition")
	if err != nil {
		return err
	}
	var in testBody
	if err := decode(r, &in); err != nil {
		return err
	}
	if err := h.Desk.SendTestEdition(r.Context(), id, in.To); err != nil {
		return err
	}
	return ok(w, map[string]string{"sent_to": in.To})
}

// sendEdition starts the send now; follow it at /status or /progress.
func (h *Handler) sendEdition(w http.ResponseWriter, r *http.Request, _ *caller) error {
	id, err := pathID(r, "id", "Edition")
	if err != nil {
		return err
	}
	if _, err := h.Desk.SendNow(r.Context(), id); err != nil {
		return err
	}
	return h.statusAnswer(w, r, id, http.StatusAccepted)
}

func (h *Handler) scheduleEdition(w http.ResponseWriter, r *http.Request, _ *caller) error {
	e, err := h.edition(r)
	if err != nil {
		return err
	}
	var in timeBody
	if err := decode(r, &in); err != nil {
		return err
	}
	at, err := e.Newsletter.ParseSendTime(in.At)
	if err != nil {
		return err
	}
	if e, err = h.Desk.ScheduleEdition(r.Context(), e.ID, at); err != nil {
		return err
	}
	return ok(w, toEditionJSON(e))
}

func (h *Handler) pauseEdition(w http.ResponseWriter, r *http.Request, _ *caller) error {
	return h.setEditionState(w, r, "pause")
}
func (h *Handler) resumeEdition(w http.ResponseWriter, r *http.Request, _ *caller) error {
	return h.setEditionState(w, r, "resume")
}
func (h *Handler) cancelEdition(w http.ResponseWriter, r *http.Request, _ *caller) error {
	return h.setEditionState(w, r, "cancel")
}
func (h *Handler) unscheduleEdition(w http.ResponseWriter, r *http.Request, _ *caller) error {
	return h.setEditionState(w, r, "unschedule")
}

func (h *Handler) setEditionState(w http.ResponseWriter, r *http.Request, verb string) error {
	id, err := pathID(r, "id", "Edition")
	if err != nil {
		return err
	}
	if err := h.Desk.SetEditionState(r.Context(), id, verb); err != nil {
		return err
	}
	return h.statusAnswer(w, r, id, http.StatusOK)
}

// editionStatus answers with the send's progress (delivery.Report).
func (h *Handler) editionStatus(w http.ResponseWriter, r *http.Request, _ *caller) error {
	id, err := pathID(r, "id", "Edition")
	if err != nil {
		return err
	}
	return h.statusAnswer(w, r, id, http.StatusOK)
}

func (h *Handler) statusAnswer(w http.ResponseWriter, r *http.Request, id int64, status int) error {
	p, err := delivery.Report(r.Context(), h.Editions, id, h.Clock.Now())
	if err != nil {
		return err
	}
	writeJSON(w, status, p)
	return nil
}
