package api

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/herald-news/herald"
)

// storyJSON is a story as the API shows it. Newsroom references are slugs.
type storyJSON struct {
	ID          int64            `json:"id"`
	Slug        string           `json:"slug"`
	Headline    string           `json:"headline"`
	Kind        herald.StoryKind `json:"kind"`
	Status      string           `json:"status"`
	Summary     string           `json:"summary"`
	Body        string           `json:"body"`
	Section     string           `json:"section"`
	City        string           `json:"city,omitempty"`
	Topics      []string         `json:"topics"`
	Authors     []string         `json:"authors"`
	Photo       *photoJSON       `json:"photo,omitempty"`
	Corrections []correctionJSON `json:"corrections"`
	Related     []int64          `json:"related"`
	Path        string           `json:"path"`
	PublishedAt time.Time        `json:"published_at,omitzero"`
	UpdatedAt   time.Time        `json:"updated_at,omitzero"`
	CreatedAt   time.Time        `json:"created_at"`
}

type correctionJSON struct {
	ID   int64     `json:"id"`
	Date time.Time `json:"date"`
	Text string    `json:"text"`
}

// storyJSON shows st as the API does.
func (h *Handler) storyJSON(st *herald.Story) storyJSON {
	out := storyJSON{ID: st.ID, Slug: st.Slug, Headline: st.Headline, Kind: st.Kind, Status: string(st.Status),
		Summary: st.Summary, Body: st.Body, Section: st.Section.Slug, Topics: []string{}, Authors: []string{},
		Corrections: []correctionJSON{}, Related: append([]int64{}, st.RelatedIDs...), Path: st.Path(),
		PublishedAt: st.PublishedAt.UTC(), UpdatedAt: st.UpdatedAt.UTC(), CreatedAt: st.CreatedAt.UTC()}
	if st.City != nil {
		out.City = st.City.Slug
	}
	for _, t := range st.Topics {
		out.Topics = append(out.Topics, t.Slug)
	}
	for _, a := range st.Authors {
		out.Authors = append(out.Authors, a.Slug)
	}
	if st.Photo != nil {
		out.Photo = h.photoJSON(st.Photo)
	}
	for _, c := range st.Corrections {
		out.Corrections = append(out.Corrections, correctionJSON{ID: c.ID, Date: c.Date.UTC(), Text: c.Text})
	}
	return out
}

// storyInput is the body of a story's creation or change. Absent fields
// keep their value on a PATCH; the status changes only through the
// publish, schedule and unpublish actions.
type storyInput struct {
	Headline *string    `json:"headline"`
	Slug     *string    `json:"slug"`
	Kind     *string    `json:"kind"`
	Summary  *string    `json:"summary"`
	Body     *string    `json:"body"`
	Section  *string    `json:"section"`
	City     *string    `json:"city"` // "" makes the story national
	Topics   *[]string  `json:"topics"`
	Authors  *[]string  `json:"authors"`
	Photo    *photoJSON `json:"photo"` // the lead photo, by URL; no url and no path removes it
	Related  *[]int64   `json:"related"`
}

// apply sets the given fields on st, resolving slugs against the newsroom.
// Topics are created as needed, as story files do.
func (h *Handler) apply(ctx context.Context, in *storyInput, st *herald.Story) error {
	set := func(dst *string, src *string) {
		if src != nil {
			*dst = strings.TrimSpace(*src)
		}
	}
	set(&st.Headline, in.Headline)
	set(&st.Slug, in.Slug)
	set(&st.Summary, in.Summary)
	if in.Body != nil {
		st.Body = *in.Body
	}
	if in.Kind != nil {
		st.Kind = herald.StoryKind(*in.Kind)
	}
	if st.Kind == "" {
		st.Kind = herald.KindNews
	}
	if in.Section != nil {
		sec, err := h.Newsroom.FindSection(ctx, *in.Section)
		if err != nil {
			return refError(err, "section", *in.Section)
		}
		st.Section = sec
	}
	if in.City != nil {
		st.City = nil
		if *in.City != "" {
			city, err := h.Newsroom.FindCity(ctx, *in.City)
			if err != nil {
				return refError(err, "city", *in.City)
			}
			st.City = city
		}
	}
	if in.Authors != nil {
		st.Authors = nil
		for _, slug := range *in.Authors {
			a, err := h.Newsroom.FindAuthor(ctx, slug)
			if err != nil {
				return refError(err, "authors", slug)
			}
			if !slices.ContainsFunc(st.Authors, func(x *herald.Author) bool { return x.ID == a.ID }) {
				st.Authors = append(st.Authors, a)
			}
		}
	}
	if in.Topics != nil {
		st.Topics = nil
		for _, name := range *in.Topics {
			t, err := h.topic(ctx, name)
			if err != nil {
				return err
			}
			if !slices.ContainsFunc(st.Topics, func(x *herald.Topic) bool { return x.Slug == t.Slug }) {
				st.Topics = append(st.Topics, t)
			}
		}
	}
	if in.Related != nil {
		st.RelatedIDs = append([]int64{}, *in.Related...)
	}
	if p := in.Photo; p != nil && p.URL == "" && p.Path == "" {
		st.Photo = nil
	} else if p != nil {
		photo, err := h.photo(p)
		if err != nil {
			return err
		}
		st.Photo = photo
	}
	if st.Slug == "" {
		st.Slug = herald.Slugify(st.Headline)
	}
	return nil
}

// topic finds a topic by slug or name, or makes a new one (ID zero) that
// saveTopics stores once the story is known to be valid.
func (h *Handler) topic(ctx context.Context, name string) (*herald.Topic, error) {
	slug := herald.Slugify(name)
	if slug == "" {
		return nil, errInvalid("topics: %q has no letters or digits to make a topic of.", name)
	}
	t, err := h.Newsroom.FindTopic(ctx, slug)
	if herald.ErrorCode(err) == herald.ENOTFOUND {
		t, err = &herald.Topic{Slug: slug, Name: name}, nil
		if name == slug {
			t.Name = strings.ToUpper(slug[:1]) + strings.ReplaceAll(slug[1:], "-", " ")
		}
	}
	return t, err
}

// precheck refuses a story that storage would refuse, before any new
// topic is stored for it.
func precheck(st *herald.Story) error {
	switch {
	case st.Headline == "":
		return errInvalid("headline: a story needs a headline.")
	case !herald.ValidSlug(st.Slug):
		return errInvalid("slug: %q is not a valid slug (lower-case letters, digits and hyphens).", st.Slug)
	case !st.Kind.Valid():
		return errInvalid("kind: %q is not one of news, analysis, opinion, gallery.", st.Kind)
	case st.Section == nil:
		return errInvalid("section: a story needs a section.")
	case len(st.Authors) == 0:
		return errInvalid("authors: a story needs at least one author.")
	}
	return nil
}

// maxRelated bounds the related picks of one story.
const maxRelated = 20

// checkRelated refuses related picks that name no story, before any new
// topic is stored for the story.
func (h *Handler) checkRelated(ctx context.Context, st *herald.Story) error {
	if len(st.RelatedIDs) > maxRelated {
		return errInvalid("related: at most %d related stories.", maxRelated)
	}
	for _, id := range st.RelatedIDs {
		if _, err := h.Stories.FindStoryByID(ctx, id); herald.ErrorCode(err) == herald.ENOTFOUND {
			return errInvalid("related: there is no story %d.", id)
		} else if err != nil {
			return err
		}
	}
	return nil
}

// saveTopics stores the story's new topics.
func (h *Handler) saveTopics(ctx context.Context, st *herald.Story) error {
	for _, t := range st.Topics {
		if t.ID == 0 {
			if err := h.Newsroom.SaveTopic(ctx, t); err != nil {
				return err
			}
		}
	}
	return nil
}

// refError turns a missing newsroom reference into an EINVALID naming the
// field: the request, not the URL, is what is wrong.
func refError(err error, field, slug string) error {
	if herald.ErrorCode(err) == herald.ENOTFOUND {
		return errInvalid("%s: there is no %s %q.", field, strings.TrimSuffix(field, "s"), slug)
	}
	return err
}
