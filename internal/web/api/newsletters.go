package api

import (
	"context"
	"net/http"

	"github.com/herald-news/herald"
)

type newsletterJSON struct {
	ID          int64    `json:"id"`
	Slug        string   `json:"slug"`
	Name        string   `json:"name"`
	Promise     string   `json:"promise"`
	SignupTitle string   `json:"signup_title"`
	Schedule    string   `json:"schedule"` // read only: "Weekdays at 6:00 AM ET"
	Days        []string `json:"days"`
	SendTime    string   `json:"send_time"`
	TimeZone    string   `json:"time_zone"`
	City        string   `json:"city,omitempty"`
	Curator     string   `json:"curator,omitempty"`
	Sections    []string `json:"sections"`
	Topics      []string `json:"topics"`
	FromName    string   `json:"from_name"`
	FromEmail   string   `json:"from_email"`
	SendMode    string   `json:"send_mode"` // approve (default) or automatic
}

func toNewsletterJSON(n *herald.Newsletter) newsletterJSON {
	out := newsletterJSON{ID: n.ID, Slug: n.Slug, Name: n.Name, Promise: n.Promise, SignupTitle: n.SignupTitle,
		Schedule: n.Schedule(), Days: append([]string{}, n.Days...), SendTime: n.SendTime, TimeZone: n.TimeZone,
		Sections: append([]string{}, n.Sections...), Topics: append([]string{}, n.Topics...), FromName: n.FromName, FromEmail: n.FromEmail,
		SendMode: string(n.SendMode)}
	if n.City != nil {
		out.City = n.City.Slug
	}
	if n.Curator != nil {
		out.Curator = n.Curator.Slug
	}
	return out
}

// fromNewsletterJSON reads a newsletter; its city and curator are named
// by slug and found when it is saved.
func fromNewsletterJSON(j newsletterJSON) *herald.Newsletter {
	n := &herald.Newsletter{Slug: j.Slug, Name: j.Name, Promise: j.Promise, SignupTitle: j.SignupTitle, Days: j.Days,
		SendTime: j.SendTime, TimeZone: j.TimeZone, Sections: j.Sections, Topics: j.Topics, FromName: j.FromName, FromEmail: j.FromEmail,
		SendMode: herald.SendMode(j.SendMode)}
	if j.City != "" {
		n.City = &herald.City{Slug: j.City}
	}
	if j.Curator != "" {
		n.Curator = &herald.Author{Slug: j.Curator}
	}
	return n
}

func (h *Handler) newsletters() resource[*herald.Newsletter, newsletterJSON] {
	return resource[*herald.Newsletter, newsletterJSON]{what: "Newsletter", path: "/api/v1/newsletters/",
		list: h.Newsroom.Newsletters, find: h.Newsroom.FindNewsletter, save: h.saveNewsletter,
		toJ: toNewsletterJSON, fromJ: fromNewsletterJSON, slug: func(j *newsletterJSON) *string { return &j.Slug },
		version: func(n *herald.Newsletter) *int { return &n.Version }}
}

// saveNewsletter resolves the newsletter's references (city, curator,
// sections, topics: each must exist) and stores it.
func (h *Handler) saveNewsletter(ctx context.Context, n *herald.Newsletter) error {
	var err error
	if n.City != nil {
		if n.City, err = h.Newsroom.FindCity(ctx, n.City.Slug); err != nil {
			return refError(err, "city", n.City.Slug)
		}
	}
	if n.Curator != nil {
		slug := n.Curator.Slug
		if n.Curator, err = h.Newsroom.FindAuthor(ctx, slug); err != nil {
			return refError(err, "curator", slug)
		}
	}
	for _, s := range n.Sections {
		if _, err := h.Newsroom.FindSection(ctx, s); err != nil {
			return refError(err, "sections", s)
		}
	}
	for _, t := range n.Topics {
		if _, err := h.Newsroom.FindTopic(ctx, t); err != nil {
			return refError(err, "topics", t)
		}
	}
	return h.Newsroom.SaveNewsletter(ctx, n)
}

func (h *Handler) listNewsletters(w http.ResponseWriter, r *http.Request, _ *caller) error {
	return h.newsletters().listAll(w, r)
}
func (h *Handler) getNewsletter(w http.ResponseWriter, r *http.Request, _ *caller) error {
	return h.newsletters().get(w, r)
}
func (h *Handler) createNewsletter(w http.ResponseWriter, r *http.Request, _ *caller) error {
	return h.newsletters().create(w, r)
}
func (h *Handler) putNewsletter(w http.ResponseWriter, r *http.Request, _ *caller) error {
	return h.newsletters().put(w, r)
}
