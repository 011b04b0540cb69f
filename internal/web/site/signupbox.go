package site

import (
	"context"
	"slices"

	"github.com/herald-news/herald"
)

// signupBox is the newsletter signup box a page shows.
type signupBox struct {
	Newsletter *herald.Newsletter
	Title      string // "Sign up for our daily briefing", "Denver news in your inbox"
	Page       string // the page's path, recorded with the reader's consent
	ID         string // prefix for element ids, unique within the page
}

// signupFor picks the newsletter that fits a page: the city's for city
// pages and local stories, a topic's own newsletter on its topic page,
// else the first national newsletter (the daily briefing).
func (h *Handler) signupFor(ctx context.Context, page string, city *herald.City, topic *herald.Topic) (*signupBox, error) {
	all, err := h.Newsroom.Newsletters(ctx)
	if err != nil {
		return nil, err
	}
	var pick *herald.Newsletter
	for _, n := range all {
		switch {
		case city != nil && n.City != nil && n.City.ID == city.ID:
			pick = n
		case city == nil && topic != nil && n.City == nil && slices.Contains(n.Topics, topic.Slug):
			pick = n
		}
		if pick != nil {
			break
		}
	}
	if pick == nil {
		for _, n := range all {
			if n.City == nil {
				pick = n
				break
			}
		}
	}
	if pick == nil {
		return nil, nil
	}
	return boxFor(pick, page), nil
}

// boxFor is the signup box of a newsletter shown on page.
func boxFor(n *herald.Newsletter, page string) *signupBox {
	title := n.SignupTitle
	if title == "" {
		title = "Sign up for " + n.Name
	}
	return &signupBox{Newsletter: n, Title: title, Page: page, ID: "signup-" + n.Slug}
}
