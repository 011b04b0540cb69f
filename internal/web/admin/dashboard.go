package admin

import (
	"context"
	"fmt"
	"html/template"
	"net/http"
	"time"

	"github.com/herald-news/herald"
)

func (h *Handler) dashboardRoutes() []route {
	return []route{{"GET /admin/{$}", "", h.dashboard}}
}

// Dashboard windows.
const (
	signupDays    = 7
	recentEdition = 8
)

type dashboardData struct {
	Drafts, Recent []*herald.Story
	Desk           bool // the viewer sees the newsroom's figures (editors and admins)
	Days           int  // the subscriber chart's window: 30 or 90
	Subscribers    template.HTML
	Totals         []newsletterTotal
	Signups        template.HTML
	SignupTotal    int
	Editions       template.HTML
	EditionRows    []editionCounts
	OpenAlerts     int
	Attention      []*herald.Edition // drafts blocked, missed, held or going out automatically
}

type newsletterTotal struct {
	Name   string
	Active int
}

type editionCounts struct {
	Edition          *herald.Edition
	Accepted, Failed int
	Other            int // queued, sending, deferred, suppressed, unknown
}

// dashboard shows everyone their drafts and the latest stories, and
// editors and admins the newsroom's figures as charts.
func (h *Handler) dashboard(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	user := currentUser(r)
	d := dashboardData{Desk: user.Role.Can(herald.PermSubscribers), Days: 30}
	if r.URL.Query().Get("days") == "90" {
		d.Days = 90
	}
	var err error
	drafts := herald.StoryFilter{Status: herald.StatusDraft, AuthorID: user.AuthorID, Limit: 8}
	if d.Drafts, _, err = h.Stories.FindStories(ctx, drafts); err == nil {
		d.Recent, _, err = h.Stories.FindStories(ctx, herald.StoryFilter{Status: herald.StatusPublished, Limit: 8})
	}
	if err == nil && d.Desk {
		err = h.deskFigures(ctx, &d)
	}
	if err == nil && d.Desk {
		d.Attention, err = h.attention(ctx)
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, "dashboard", "Dashboard", d)
}

// dayLabels labels days UTC days starting at from, as "Jan 2".
func dayLabels(from time.Time, days int) []string {
	out := make([]string, days)
	for i := range out {
		out[i] = from.AddDate(0, 0, i).Format("Jan 2")
	}
	return out
}

// startOfDay is midnight UTC days-1 days before now's day, so that the
// window of days ends today.
func startOfDay(now time.Time, days int) time.Time {
	y, m, dd := now.UTC().Date()
	return time.Date(y, m, dd, 0, 0, 0, 0, time.UTC).AddDate(0, 0, -(days - 1))
}

func (h *Handler) deskFigures(ctx context.Context, d *dashboardData) error {
	now := h.Clock.Now()
	nls, err := h.Newsroom.Newsletters(ctx)
	if err != nil {
		return err
	}
	from := startOfDay(now, d.Days)
	active, err := h.Subscribers.ActiveByDay(ctx, from, d.Days)
	if err != nil {
		return err
	}
	var lines []series
	for _, nl := range nls {
		s := series{Name: nl.Name, Values: active[nl.ID]}
		if s.Values == nil {
			s.Values = make([]int, d.Days)
		}
		lines = append(lines, s)
		d.Totals = append(d.Totals, newsletterTotal{Name: nl.Name, Active: s.Values[len(s.Values)-1]})
	}
	d.Subscribers = lineChart(chart{ID: "chart-subscribers", Wide: true, Title: "Active subscribers per newsletter",
		Desc:   fmt.Sprintf("Active subscriptions at the end of each day, the last %d days (UTC), one line per newsletter.", d.Days),
		Labels: dayLabels(from, d.Days)}, lines)

	from = startOfDay(now, signupDays)
	signups, err := h.Subscribers.SignupsByDay(ctx, from, signupDays)
	if err != nil {
		return err
	}
	for _, n := range signups {
		d.SignupTotal += n
	}
	d.Signups = barChart(chart{ID: "chart-signups", Title: "Signups",
		Desc:   fmt.Sprintf("Signup form submissions per day, the last %d days (UTC): %d in all.", signupDays, d.SignupTotal),
		Labels: dayLabels(from, signupDays)}, []series{{Name: "Signups", Values: signups}})

	if err := h.editionFigures(ctx, d); err != nil {
		return err
	}
	d.OpenAlerts, err = h.Bounces.OpenAlerts(ctx)
	return err
}

// editionFigures charts the last editions' accepted and failed messages,
// oldest on the left.
func (h *Handler) editionFigures(ctx context.Context, d *dashboardData) error {
	eds, err := h.Editions.ListEditions(ctx, 0, 0, recentEdition)
	if err != nil {
		return err
	}
	ids := make([]int64, len(eds))
	for i, e := range eds {
		ids[i] = e.ID
	}
	counts, err := h.Editions.CountsFor(ctx, ids)
	if err != nil {
		return err
	}
	var labels []string
	accepted, failed := series{Name: "Accepted"}, series{Name: "Not delivered"}
	for i := len(eds) - 1; i >= 0; i-- {
		e := eds[i]
		row := editionCounts{Edition: e}
		c := counts[e.ID]
		row.Accepted, row.Failed = c[herald.SendAccepted], c.NotAccepted()
		row.Other = c.Total() - row.Accepted - row.Failed
		d.EditionRows = append(d.EditionRows, row)
		labels = append(labels, editionLabel(e))
		accepted.Values = append(accepted.Values, row.Accepted)
		failed.Values = append(failed.Values, row.Failed)
	}
	d.Editions = barChart(chart{ID: "chart-editions", Title: "Last editions",
		Desc: "Messages accepted by the mail relay and readers not delivered (refused, bounced, suppressed or unknown), for each of the last editions.", Labels: labels},
		[]series{accepted, failed})
	return nil
}

func editionLabel(e *herald.Edition) string {
	slug := ""
	if e.Newsletter != nil {
		slug = e.Newsletter.Slug
	}
	return slug + " " + e.Date.Format("Jan 2")
}
