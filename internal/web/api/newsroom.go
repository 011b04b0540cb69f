package api

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/herald-news/herald"
)

// The newsroom's lists (sections, topics, cities, authors) share one shape:
// list, get by slug, create (POST, 409 when the slug is taken) and change
// (PUT, the whole item; 404 when there is none).

type sectionJSON struct {
	ID          int64  `json:"id,omitempty"`
	Slug        string `json:"slug"`
	Name        string `json:"name"`
	Description string `json:"description"`
}

type cityJSON struct {
	ID          int64  `json:"id,omitempty"`
	Slug        string `json:"slug"`
	Name        string `json:"name"`
	TimeZone    string `json:"time_zone"`
	Description string `json:"description"`
}

type authorJSON struct {
	ID    int64             `json:"id,omitempty"`
	Slug  string            `json:"slug"`
	Name  string            `json:"name"`
	Title string            `json:"title"`
	Kind  herald.AuthorKind `json:"kind"`
	Bio   string            `json:"bio"`
}

// resource is one of the newsroom's lists. J is its JSON shape; its ID is
// ignored on input.
type resource[T any, J any] struct {
	what  string // "Section"
	path  string // "/api/v1/sections/"
	list  func(context.Context) ([]T, error)
	find  func(context.Context, string) (T, error)
	save  func(context.Context, T) error
	toJ   func(T) J
	fromJ func(J) T
	slug  func(*J) *string
	// version reads and sets an item's version, for ETag and If-Match.
	version func(T) *int
}

func (res resource[T, J]) listAll(w http.ResponseWriter, r *http.Request) error {
	items, err := res.list(r.Context())
	if err != nil {
		return err
	}
	out := page[J]{Data: []J{}}
	for _, it := range items {
		out.Data = append(out.Data, res.toJ(it))
	}
	return ok(w, out)
}

func (res resource[T, J]) get(w http.ResponseWriter, r *http.Request) error {
	it, err := res.find(r.Context(), r.PathValue("slug"))
	if err != nil {
		return err
	}
	setVersion(w, *res.version(it))
	return ok(w, res.toJ(it))
}

func (res resource[T, J]) create(w http.ResponseWriter, r *http.Request) error {
	var in J
	if err := decode(r, &in); err != nil {
		return err
	}
	slug := res.slug(&in)
	*slug = strings.TrimSpace(*slug)
	if !herald.ValidSlug(*slug) {
		return errInvalid("slug: %q is not a valid slug (lower-case letters, digits and hyphens).", *slug)
	}
	if _, err := res.find(r.Context(), *slug); err == nil {
		return herald.Errorf(herald.ECONFLICT, "slug: a %s %q already exists; change it with PUT %s%s.",
			strings.ToLower(res.what), *slug, res.path, *slug)
	} else if herald.ErrorCode(err) != herald.ENOTFOUND {
		return err
	}
	it := res.fromJ(in)
	if err := res.save(r.Context(), it); err != nil {
		return err
	}
	setVersion(w, *res.version(it))
	return created(w, res.path+*slug, res.toJ(it))
}

func (res resource[T, J]) put(w http.ResponseWriter, r *http.Request) error {
	slug := r.PathValue("slug")
	stored, err := res.find(r.Context(), slug)
	if err != nil {
		return err
	}
	from, err := ifMatch(r, *res.version(stored))
	if err != nil {
		return err
	}
	var in J
	if err := decode(r, &in); err != nil {
		return err
	}
	if s := res.slug(&in); *s != "" && *s != slug {
		return errInvalid("slug: a %s's slug cannot change (the body says %q, the path %q).", strings.ToLower(res.what), *s, slug)
	}
	*res.slug(&in) = slug
	it := res.fromJ(in)
	*res.version(it) = from
	if err := res.save(r.Context(), it); err != nil {
		return err
	}
	setVersion(w, *res.version(it))
	return ok(w, res.toJ(it))
}

func (h *Handler) sections() resource[*herald.Section, sectionJSON] {
	return resource[*herald.Section, sectionJSON]{what: "Section", path: "/api/v1/sections/",
		list: h.Newsroom.Sections, find: h.Newsroom.FindSection, save: h.Newsroom.SaveSection,
		toJ: func(s *herald.Section) sectionJSON { return sectionJSON{s.ID, s.Slug, s.Name, s.Description} },
		fromJ: func(j sectionJSON) *herald.Section {
			return &herald.Section{Slug: j.Slug, Name: j.Name, Description: j.Description}
		},
		slug:    func(j *sectionJSON) *string { return &j.Slug },
		version: func(x *herald.Section) *int { return &x.Version }}
}

func (h *Handler) topics() resource[*herald.Topic, sectionJSON] {
	return resource[*herald.Topic, sectionJSON]{what: "Topic", path: "/api/v1/topics/",
		list: h.Newsroom.Topics, find: h.Newsroom.FindTopic, save: h.Newsroom.SaveTopic,
		toJ: func(t *herald.Topic) sectionJSON { return sectionJSON{t.ID, t.Slug, t.Name, t.Description} },
		fromJ: func(j sectionJSON) *herald.Topic {
			return &herald.Topic{Slug: j.Slug, Name: j.Name, Description: j.Description}
		},
		slug:    func(j *sectionJSON) *string { return &j.Slug },
		version: func(x *herald.Topic) *int { return &x.Version }}
}

func (h *Handler) cities() resource[*herald.City, cityJSON] {
	return resource[*herald.City, cityJSON]{what: "City", path: "/api/v1/cities/",
		list: h.Newsroom.Cities, find: h.Newsroom.FindCity, save: h.saveCity,
		toJ: func(c *herald.City) cityJSON { return cityJSON{c.ID, c.Slug, c.Name, c.TimeZone, c.Description} },
		fromJ: func(j cityJSON) *herald.City {
			return &herald.City{Slug: j.Slug, Name: j.Name, TimeZone: j.TimeZone, Description: j.Description}
		},
		slug:    func(j *cityJSON) *string { return &j.Slug },
		version: func(x *herald.City) *int { return &x.Version }}
}

// saveCity checks the time zone, which storage takes on trust.
func (h *Handler) saveCity(ctx context.Context, c *herald.City) error {
	if _, err := time.LoadLocation(c.TimeZone); err != nil || c.TimeZone == "" {
		return errInvalid("time_zone: %q is not an IANA time zone such as America/Denver.", c.TimeZone)
	}
	return h.Newsroom.SaveCity(ctx, c)
}

// saveAuthor keeps an author's photo, which the API does not manage.
func (h *Handler) saveAuthor(ctx context.Context, a *herald.Author) error {
	if old, err := h.Newsroom.FindAuthor(ctx, a.Slug); err == nil {
		a.Photo = old.Photo
	}
	return h.Newsroom.SaveAuthor(ctx, a)
}

func (h *Handler) authors() resource[*herald.Author, authorJSON] {
	return resource[*herald.Author, authorJSON]{what: "Author", path: "/api/v1/authors/",
		list: h.Newsroom.Authors, find: h.Newsroom.FindAuthor, save: h.saveAuthor,
		toJ: func(a *herald.Author) authorJSON { return authorJSON{a.ID, a.Slug, a.Name, a.Title, a.Kind, a.Bio} },
		fromJ: func(j authorJSON) *herald.Author {
			if j.Kind == "" {
				j.Kind = herald.AuthorStaff
			}
			return &herald.Author{Slug: j.Slug, Name: j.Name, Title: j.Title, Kind: j.Kind, Bio: j.Bio}
		},
		slug:    func(j *authorJSON) *string { return &j.Slug },
		version: func(x *herald.Author) *int { return &x.Version }}
}

func (h *Handler) listSections(w http.ResponseWriter, r *http.Request, _ *caller) error {
	return h.sections().listAll(w, r)
}
func (h *Handler) getSection(w http.ResponseWriter, r *http.Request, _ *caller) error {
	return h.sections().get(w, r)
}
func (h *Handler) createSection(w http.ResponseWriter, r *http.Request, _ *caller) error {
	return h.sections().create(w, r)
}
func (h *Handler) putSection(w http.ResponseWriter, r *http.Request, _ *caller) error {
	return h.sections().put(w, r)
}
func (h *Handler) listTopics(w http.ResponseWriter, r *http.Request, _ *caller) error {
	return h.topics().listAll(w, r)
}
func (h *Handler) getTopic(w http.ResponseWriter, r *http.Request, _ *caller) error {
	return h.topics().get(w, r)
}
func (h *Handler) createTopic(w http.ResponseWriter, r *http.Request, _ *caller) error {
	return h.topics().create(w, r)
}
func (h *Handler) putTopic(w http.ResponseWriter, r *http.Request, _ *caller) error {
	return h.topics().put(w, r)
}
func (h *Handler) listCities(w http.ResponseWriter, r *http.Request, _ *caller) error {
	return h.cities().listAll(w, r)
}
func (h *Handler) getCity(w http.ResponseWriter, r *http.Request, _ *caller) error {
	return h.cities().get(w, r)
}
func (h *Handler) createCity(w http.ResponseWriter, r *http.Request, _ *caller) error {
	return h.cities().create(w, r)
}
func (h *Handler) putCity(w http.ResponseWriter, r *http.Request, _ *caller) error {
	return h.cities().put(w, r)
}
func (h *Handler) listAuthors(w http.ResponseWriter, r *http.Request, _ *caller) error {
	return h.authors().listAll(w, r)
}
func (h *Handler) getAuthor(w http.ResponseWriter, r *http.Request, _ *caller) error {
	return h.authors().get(w, r)
}
func (h *Handler) createAuthor(w http.ResponseWriter, r *http.Request, _ *caller) error {
	return h.authors().create(w, r)
}
func (h *Handler) putAuthor(w http.ResponseWriter, r *http.Request, _ *caller) error {
	return h.authors().put(w, r)
}
