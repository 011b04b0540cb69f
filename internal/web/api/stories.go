package api

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/herald-news/herald"
)

// listStories: GET /api/v1/stories?status=&section=&city=&topic=&author=&kind=&cursor=&limit=
func (h *Handler) listStories(w http.ResponseWriter, r *http.Request, _ *caller) error {
	ctx, q := r.Context(), r.URL.Query()
	var f herald.StoryFilter
	if s := q.Get("status"); s != "" {
		if f.Status = herald.StoryStatus(s); !f.Status.Valid() {
			return errInvalid("status: %q is not one of draft, scheduled, published, unpublished.", s)
		}
	}
	if k := q.Get("kind"); k != "" {
		if f.Kind = herald.StoryKind(k); !f.Kind.Valid() {
			return errInvalid("kind: %q is not one of news, analysis, opinion, gallery.", k)
		}
	}
	for _, ref := range []struct {
		param string
		id    *int64
		find  func(string) (int64, error)
	}{
		{"section", &f.SectionID, func(s string) (int64, error) { x, err := h.Newsroom.FindSection(ctx, s); return idOf(x, err) }},
		{"city", &f.CityID, func(s string) (int64, error) { x, err := h.Newsroom.FindCity(ctx, s); return idOf(x, err) }},
		{"topic", &f.TopicID, func(s string) (int64, error) { x, err := h.Newsroom.FindTopic(ctx, s); return idOf(x, err) }},
		{"author", &f.AuthorID, func(s string) (int64, error) { x, err := h.Newsroom.FindAuthor(ctx, s); return idOf(x, err) }},
	} {
		if slug := q.Get(ref.param); slug != "" {
			id, err := ref.find(slug)
			if err != nil {
				return refError(err, ref.param, slug)
			}
			*ref.id = id
		}
	}
	before, err := h.decodeCursor(r, "stories")
	if err != nil {
		return err
	}
	limit, err := limitParam(r)
	if err != nil {
		return err
	}
	stories, err := h.Stories.ListStories(ctx, f, before, limit)
	if err != nil {
		return err
	}
	out := page[storyJSON]{Data: []storyJSON{}}
	for _, st := range stories {
		out.Data = append(out.Data, h.storyJSON(st))
	}
	if n := len(stories); n > 0 {
		out.NextCursor = h.nextCursor("stories", n, limit, stories[n-1].ID)
	}
	return ok(w, out)
}

// idOf is the ID of a found newsroom item.
func idOf[T interface {
	*herald.Section | *herald.City | *herald.Topic | *herald.Author
}](x T, err error) (int64, error) {
	if err != nil {
		return 0, err
	}
	switch v := any(x).(type) {
	case *herald.Section:
		return v.ID, nil
	case *herald.City:
		return v.ID, nil
	case *herald.Topic:
		return v.ID, nil
	case *herald.Author:
		return v.ID, nil
	}
	return 0, nil
}

// story finds the story named in the path.
func (h *Handler) story(r *http.Request) (*herald.Story, error) {
	id, err := pathID(r, "id", "Story")
	if err != nil {
		return nil, err
	}
	return h.Stories.FindStoryByID(r.Context(), id)
}

func (h *Handler) getStory(w http.ResponseWriter, r *http.Request, _ *caller) error {
	st, err := h.story(r)
	if err != nil {
		return err
	}
	setVersion(w, st.Version)
	return ok(w, h.storyJSON(st))
}

// createStory stores a draft; publishing is a separate step.
func (h *Handler) createStory(w http.ResponseWriter, r *http.Request, _ *caller) error {
	st := &herald.Story{Status: herald.StatusDraft}
	return h.saveStory(w, r, st, h.Stories.CreateStory, http.StatusCreated)
}

// saveStory applies the request's fields to st, checks them, and stores
// the story with save, answering with it and status.
func (h *Handler) saveStory(w http.ResponseWriter, r *http.Request, st *herald.Story,
	save func(context.Context, *herald.Story) error, status int) error {
	var in storyInput
	if err := decode(r, &in); err != nil {
		return err
	}
	if err := h.apply(r.Context(), &in, st); err != nil {
		return err
	}
	if err := precheck(st); err != nil {
		return err
	}
	if err := h.checkRelated(r.Context(), st); err != nil {
		return err
	}
	if err := h.saveTopics(r.Context(), st); err != nil {
		return err
	}
	if err := save(r.Context(), st); err != nil {
		return err
	}
	return h.storyAnswer(w, r, st.ID, status)
}

// updateStory changes the fields given (PATCH). A writer may change only
// stories readers cannot see.
func (h *Handler) updateStory(w http.ResponseWriter, r *http.Request, c *caller) error {
	st, err := h.story(r)
	if err != nil {
		return err
	}
	if err := c.need(st.EditNeeds(), "edit a "+string(st.Status)+" story"); err != nil {
		return err
	}
	if st.Version, err = ifMatch(r, st.Version); err != nil {
		return err
	}
	return h.saveStory(w, r, st, h.Stories.UpdateStory, http.StatusOK)
}

// deleteStory removes a draft; an unpublished story, once public, needs
// the publish permission.
func (h *Handler) deleteStory(w http.ResponseWriter, r *http.Request, c *caller) error {
	st, err := h.story(r)
	if err != nil {
		return err
	}
	if err := c.need(st.DeleteNeeds(), "delete a story that was published"); err != nil {
		return err
	}
	if _, err := ifMatch(r, st.Version); err != nil {
		return err
	}
	if err := h.Stories.DeleteStory(r.Context(), st.ID); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// timeBody is the body of the schedule actions.
type timeBody struct {
	At string `json:"at"` // RFC 3339
}

func parseAt(s string) (time.Time, error) {
	t, err := time.Parse(time.RFC3339, strings.TrimSpace(s))
	if err != nil {
		return time.Time{}, errInvalid("at: %q must be an RFC 3339 time such as 2026-11-28T11:00:00Z.", s)
	}
	return t, nil
}

// publishStory publishes now (or keeps a scheduled story's time if it has passed).
func (h *Handler) publishStory(w http.ResponseWriter, r *http.Request, _ *caller) error {
	return h.setStatus(w, r, herald.StatusPublished, time.Time{})
}

func (h *Handler) scheduleStory(w http.ResponseWriter, r *http.Request, _ *caller) error {
	var in timeBody
	if err := decode(r, &in); err != nil {
		return err
	}
	at, err := parseAt(in.At)
	if err != nil {
		return err
	}
	return h.setStatus(w, r, herald.StatusScheduled, at)
}

func (h *Handler) unpublishStory(w http.ResponseWriter, r *http.Request, _ *caller) error {
	return h.setStatus(w, r, herald.StatusUnpublished, time.Time{})
}

func (h *Handler) setStatus(w http.ResponseWriter, r *http.Request, to herald.StoryStatus, at time.Time) error {
	st, err := h.story(r)
	if err != nil {
		return err
	}
	if err := h.Stories.SetStoryStatus(r.Context(), st.ID, to, at); err != nil {
		return err
	}
	return h.storyAnswer(w, r, st.ID, http.StatusOK)
}

// correctionBody is a correction note; date defaults to now.
type correctionBody struct {
	Text string `json:"text"`
	Date string `json:"date"`
}

// addCorrection appends a correction note to a story.
func (h *Handler) addCorrection(w http.ResponseWriter, r *http.Request, _ *caller) error {
	st, err := h.story(r)
	if err != nil {
		return err
	}
	var in correctionBody
	if err := decode(r, &in); err != nil {
		return err
	}
	c := &herald.Correction{Text: strings.TrimSpace(in.Text), Date: h.Clock.Now()}
	if c.Text == "" {
		return errInvalid("text: say what was corrected.")
	}
	if in.Date != "" {
		if c.Date, err = parseAt(in.Date); err != nil {
			return errInvalid("date: %q must be an RFC 3339 time.", in.Date)
		}
	}
	st.Corrections = append(st.Corrections, c)
	if err := h.Stories.UpdateStory(r.Context(), st); err != nil {
		return err
	}
	return h.storyAnswer(w, r, st.ID, http.StatusCreated)
}

// storyAnswer answers with the story as stored now.
func (h *Handler) storyAnswer(w http.ResponseWriter, r *http.Request, id int64, status int) error {
	st, err := h.Stories.FindStoryByID(r.Context(), id)
	if err != nil {
		return err
	}
	setVersion(w, st.Version)
	if status == http.StatusCreated {
		return created(w, fmt.Sprintf("/api/v1/stories/%d", id), h.storyJSON(st))
	}
	return ok(w, h.storyJSON(st))
}
