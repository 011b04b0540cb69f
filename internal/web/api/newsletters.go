package api

import (
	"net/http"

	"github.com/herald-news/herald"
)

type newsletterJSON struct {
	ID        int64    `json:"id"`
	Slug      string   `json:"slug"`
	Name      string   `json:"name"`
	Promise   string   `json:"promise"`
	Schedule  string   `json:"schedule"`
	Days      []string `json:"days"`
	SendTime  string   `json:"send_time"`
	TimeZone  string   `json:"time_zone"`
	City      string   `json:"city,omitempty"`
	Sections  []string `json:"sections"`
	Topics    []string `json:"topics"`
	FromName  string   `json:"from_name"`
	FromEmail string   `json:"from_email"`
}

func toNewsletterJSON(n *herald.Newsletter) newsletterJSON {
	out := newsletterJSON{ID: n.ID, Slug: n.Slug, Name: n.Name, Promise: n.Promise, Schedule: n.Schedule(),
		Days: append([]string{}, n.Days...), SendTime: n.SendTime, TimeZone: n.TimeZone,
		Sections: append([]string{}, n.Sections...), Topics: append([]string{}, n.Topics...), FromName: n.FromName, FromEmail: n.FromEmail}
	if n.City != nil {
		out.City = n.City.Slug
	}
	return out
}

func (h *Handler) listNewsletters(w http.ResponseWriter, r *http.Request, _ *caller) error {
	list, err := h.Newsroom.Newsletters(r.Context())
	if err != nil {
		return err
	}
	out := page[newsletterJSON]{Data: []newsletterJSON{}}
	for _, n := range list {
		out.Data = append(out.Data, toNewsletterJSON(n))
	}
	return ok(w, out)
}

func (h *Handler) getNewsletter(w http.ResponseWriter, r *http.Request, _ *caller) error {
	n, err := h.Newsroom.FindNewsletter(r.Context(), r.PathValue("slug"))
	if err != nil {
		return err
	}
	return ok(w, toNewsletterJSON(n))
}
