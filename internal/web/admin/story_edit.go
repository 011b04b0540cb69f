package admin

import (
	"context"
	"fmt"
	"net/http"
	"slices"

	"github.com/herald-news/herald"
)

// storyOptions are the newsroom's lists the editor picks from.
type storyOptions struct {
	Sections []*herald.Section
	Cities   []*herald.City
	Topics   []*herald.Topic
	Authors  []*herald.Author
}

func (h *Handler) storyOptions(ctx context.Context) (*storyOptions, error) {
	var o storyOptions
	var err error
	if o.Sections, err = h.Newsroom.Sections(ctx); err != nil {
		return nil, err
	}
	if o.Cities, err = h.Newsroom.Cities(ctx); err != nil {
		return nil, err
	}
	if o.Topics, err = h.Newsroom.Topics(ctx); err != nil {
		return nil, err
	}
	if o.Authors, err = h.Newsroom.Authors(ctx); err != nil {
		return nil, err
	}
	return &o, nil
}

// choice is one option of a select or a group of checkboxes.
type choice struct {
	ID       int64
	Name     string
	Note     string // a second line: an author's title
	Selected bool
}

// editorPage is what the story editor shows.
type editorPage struct {
	Story       *herald.Story // as stored; nil for a new story
	Form        storyForm
	Errors      fieldErrors
	Kinds       []herald.StoryKind
	Sections    []choice
	Cities      []choice
	Topics      []choice
	Authors     []choice
	Related     []relatedPick
	Check       herald.BrevityCheck
	Preview     herald.Body
	Live        bool   // readers can see the story now
	Locked      bool   // the signed-in user may not change it
	ScheduleAt  string // the schedule field, in Zone
	PublishedAt string // when the story went or goes live, in Zone
	Zone        string
}

// Action is where the form posts.
func (p editorPage) Action() string {
	if p.Story == nil {
		return "/admin/stories"
	}
	return fmt.Sprintf("/admin/stories/%d", p.Story.ID)
}

// showEditor renders the editor for st (nil: a new story) with form as
// typed and errs against its fields.
func (h *Handler) showEditor(w http.ResponseWriter, r *http.Request, status int, st *herald.Story, form storyForm, errs fieldErrors) {
	ctx := r.Context()
	opts, err := h.storyOptions(ctx)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	related, err := h.relatedPicks(ctx, form.RelatedIDs)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	p := editorPage{Story: st, Form: form, Errors: errs, Related: related,
		Kinds:   []herald.StoryKind{herald.KindNews, herald.KindAnalysis, herald.KindOpinion, herald.KindGallery},
		Check:   herald.CheckBrevity(form.Headline, form.Body),
		Preview: herald.ParseBody(form.Body), Zone: h.location().String()}
	for _, s := range opts.Sections {
		p.Sections = append(p.Sections, choice{ID: s.ID, Name: s.Name, Selected: s.ID == form.SectionID})
	}
	for _, c := range opts.Cities {
		p.Cities = append(p.Cities, choice{ID: c.ID, Name: c.Name, Selected: c.ID == form.CityID})
	}
	for _, t := range opts.Topics {
		p.Topics = append(p.Topics, choice{ID: t.ID, Name: t.Name, Selected: slices.Contains(form.TopicIDs, t.ID)})
	}
	for _, a := range opts.Authors {
		p.Authors = append(p.Authors, choice{ID: a.ID, Name: a.Name, Note: a.Title, Selected: slices.Contains(form.AuthorIDs, a.ID)})
	}
	title := "New story"
	if st != nil {
		title = st.Headline
		p.Live = st.Live(h.Clock.Now())
		p.Locked = h.mayEdit(r, st) != nil
		if !st.PublishedAt.IsZero() {
			p.PublishedAt = st.PublishedAt.In(h.location()).Format("Mon Jan 2, 2006 15:04 MST")
		}
		if st.Status == herald.StatusScheduled {
			p.ScheduleAt = st.PublishedAt.In(h.location()).Format(datetimeLocal)
		}
	}
	if v := r.PostFormValue("at"); v != "" {
		p.ScheduleAt = v
	}
	h.render(w, r, status, "story", title, p)
}

// mayEdit refuses changes to a story readers can see (or soon will) to
// anyone who cannot publish (herald.Story.EditNeeds).
func (h *Handler) mayEdit(r *http.Request, st *herald.Story) error {
	if u := currentUser(r); u != nil && u.Role.Can(st.EditNeeds()) {
		return nil
	}
	return herald.Errorf(herald.EFORBIDDEN, "This story is %s; only an editor can change it now.", st.Status)
}

// pathStory finds the story named by the path's {id}.
func (h *Handler) pathStory(r *http.Request) (*herald.Story, error) {
	id := formID(r.PathValue("id"))
	if id == 0 {
		return nil, herald.Errorf(herald.ENOTFOUND, "There is no such story.")
	}
	return h.Stories.FindStoryByID(r.Context(), id)
}

func (h *Handler) newStory(w http.ResponseWriter, r *http.Request) {
	h.showEditor(w, r, http.StatusOK, nil, formOf(&herald.Story{}), nil)
}

func (h *Handler) editStory(w http.ResponseWriter, r *http.Request) {
	st, err := h.pathStory(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.showEditor(w, r, http.StatusOK, st, formOf(st), nil)
}

// createStory stores a new draft.
func (h *Handler) createStory(w http.ResponseWriter, r *http.Request) {
	h.saveStory(w, r, nil)
}

// beforeBody returns what a route checks of who may do it beyond the
// role, before the body is read: editing a story readers can see needs
// more than drafting. Nil for most routes.
func (h *Handler) beforeBody(pattern string) func(*http.Request) error {
	if pattern == "POST /admin/stories/{id}" {
		return func(r *http.Request) error {
			st, err := h.pathStory(r)
			if err != nil {
				return err
			}
			return h.mayEdit(r, st)
		}
	}
	return nil
}

// updateStory saves an existing story, keeping its status.
func (h *Handler) updateStory(w http.ResponseWriter, r *http.Request) {
	st, err := h.pathStory(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if err := h.mayEdit(r, st); err != nil {
		h.fail(w, r, err)
		return
	}
	h.saveStory(w, r, st)
}

// saveStory checks the form, stores the photo, then the story in one
// transaction; any error shows the form again as typed.
// showConflict answers a save made from an older version: the editor's
// text stays in the form, unsaved, beside a link to the version a
// colleague saved; saving again (the form now names that version) keeps
// the editor's.
func (h *Handler) showConflict(w http.ResponseWriter, r *http.Request, id int64, form storyForm) {
	current, err := h.Stories.FindStoryByID(r.Context(), id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	form.Version = current.Version
	msg := "Someone else saved this story after you opened it. Nothing of yours was saved: your text is below. " +
		"Compare it with the saved version (open the story in a new tab), then save again to keep yours, or reload to take theirs."
	h.showEditor(w, r, http.StatusConflict, current, form, fieldErrors{"form": msg})
}

func (h *Handler) saveStory(w http.ResponseWriter, r *http.Request, stored *herald.Story) {
	ctx := r.Context()
	form := readStoryForm(r)
	draft := &herald.Story{Status: herald.StatusDraft}
	if stored != nil {
		c := *stored
		draft = &c
	}
	opts, err := h.storyOptions(ctx)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	photo, err := readUpload(r)
	errs := fieldErrors{}
	if err != nil {
		errs["photo"] = herald.ErrorMessage(err)
	} else {
		errs = form.apply(ctx, opts, draft, photo)
	}
	status := http.StatusUnprocessableEntity
	if len(errs) == 0 && photo != nil {
		saved, err := h.Media.SavePhoto(ctx, photo.data)
		switch herald.ErrorCode(err) {
		case "":
			draft.Photo = &herald.Photo{Path: saved.Path, Width: saved.Width, Height: saved.Height,
				Alt: form.PhotoAlt, Caption: form.PhotoCaption, Credit: form.PhotoCredit}
		case herald.EUNAVAILABLE: // busy: keep the story as typed, to send again
			errs, status = fieldErrors{"photo": herald.ErrorMessage(err)}, http.StatusServiceUnavailable
			w.Header().Set("Retry-After", "30")
		case herald.EINVALID:
			errs = fieldErrors{"photo": herald.ErrorMessage(err)}
		default:
			h.fail(w, r, err)
			return
		}
	}
	if len(errs) == 0 {
		if stored == nil {
			err = h.Stories.CreateStory(ctx, draft)
		} else {
			draft.Version = form.Version
			err = h.Stories.UpdateStory(ctx, draft)
		}
		if herald.ErrorCode(err) == herald.ESTALE {
			h.showConflict(w, r, stored.ID, form)
			return
		}
		if err != nil {
			var ok bool
			if errs, ok = storyFieldError(err); !ok {
				h.fail(w, r, err)
				return
			}
		}
	}
	if len(errs) > 0 {
		if errs["form"] == "" {
			errs["form"] = "The story was not saved. Please fix what is marked below."
		}
		h.showEditor(w, r, status, stored, form, errs)
		return
	}
	h.redirectWith(w, r, fmt.Sprintf("/admin/stories/%d", draft.ID), "Saved.")
}
