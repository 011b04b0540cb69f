package admin

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/internal/sqldb"
	"github.com/herald-news/herald/internal/subscriberio"
)

func (h *Handler) subscriberRoutes() []route {
	return []route{
		{"GET /admin/subscribers", herald.PermSubscribers, h.subscriberList},
		{"GET /admin/subscribers/export.csv", herald.PermSubscribers, h.subscriberExport},
		{"GET /admin/subscribers/{id}", herald.PermSubscribers, h.subscriberPage},
		{"POST /admin/subscribers/{id}/erase", herald.PermSubscribers, h.subscriberErase},
		{"POST /admin/subscribers/{id}/unsubscribe", herald.PermSubscribers, h.subscriberUnsubscribe},
		{"GET /admin/subscribers/import", herald.PermSubscribers, h.importForm},
		{"POST /admin/subscribers/import", herald.PermSubscribers, h.importStart},
		{"GET /admin/subscribers/imports/{id}", herald.PermSubscribers, h.importStatus},
		{"GET /admin/suppressions", herald.PermSubscribers, h.suppressionList},
		{"POST /admin/suppressions/lift", herald.PermSettings, h.suppressionLift},
	}
}

// subscribersPage is how many subscribers one page of the list shows.
const subscribersPage = 50

var subscriptionStates = []herald.SubscriptionStatus{herald.SubActive, herald.SubPending, herald.SubUnsubscribed}

type stateCount struct {
	Status herald.SubscriptionStatus
	Count  int
	Query  string // the list's query string filtered to this state
}

type subscriberListData struct {
	Q, Newsletter, Status string
	Newsletters           []*herald.Newsletter
	States                []herald.SubscriptionStatus
	Subscribers           []*herald.Subscriber
	Total                 int // subscribers that match the filter
	ByState               []stateCount
	Next                  string // query string of the next page, "" on the last
	Paged                 bool   // not the first page
	First                 string // query string of the first page
}

// subscriberList searches subscribers by address (any part of it, any
// case), newsletter and state, a page at a time in ID order.
func (h *Handler) subscriberList(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	q := r.URL.Query()
	d := subscriberListData{Q: strings.TrimSpace(q.Get("q")), Newsletter: q.Get("newsletter"), Status: q.Get("status"),
		States: subscriptionStates}
	var err error
	if d.Newsletters, err = h.Newsroom.Newsletters(ctx); err != nil {
		h.fail(w, r, err)
		return
	}
	f := sqldb.SubscriberFilter{EmailSearch: d.Q, Limit: subscribersPage + 1}
	if d.Newsletter != "" {
		nl := findNewsletter(d.Newsletters, d.Newsletter)
		if nl == nil {
			h.fail(w, r, herald.Errorf(herald.EINVALID, "There is no newsletter %q.", d.Newsletter))
			return
		}
		f.NewsletterID = nl.ID
	}
	if d.Status != "" {
		if !validState(d.Status) {
			h.fail(w, r, herald.Errorf(herald.EINVALID, "Choose active, pending or unsubscribed."))
			return
		}
		f.Status = herald.SubscriptionStatus(d.Status)
	}
	f.After, _ = strconv.ParseInt(q.Get("after"), 10, 64)
	d.Paged, d.First = f.After > 0, listQuery(d.Q, d.Newsletter, d.Status, 0)
	if d.Subscribers, err = h.Subscribers.ListSubscribers(ctx, f); err != nil {
		h.fail(w, r, err)
		return
	}
	if len(d.Subscribers) > subscribersPage {
		d.Subscribers = d.Subscribers[:subscribersPage]
		d.Next = listQuery(d.Q, d.Newsletter, d.Status, d.Subscribers[subscribersPage-1].ID)
	}
	if d.Total, err = h.Subscribers.CountSubscribers(ctx, f); err != nil {
		h.fail(w, r, err)
		return
	}
	for _, st := range subscriptionStates {
		sf := f
		sf.Status = st
		n, err := h.Subscribers.CountSubscribers(ctx, sf)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		d.ByState = append(d.ByState, stateCount{Status: st, Count: n, Query: listQuery(d.Q, d.Newsletter, string(st), 0)})
	}
	h.render(w, r, http.StatusOK, "subscribers", "Subscribers", d)
}

func listQuery(q, newsletter, status string, after int64) string {
	v := url.Values{}
	for k, s := range map[string]string{"q": q, "newsletter": newsletter, "status": status} {
		if s != "" {
			v.Set(k, s)
		}
	}
	if after > 0 {
		v.Set("after", strconv.FormatInt(after, 10))
	}
	return v.Encode()
}

func validState(s string) bool {
	for _, st := range subscriptionStates {
		if string(st) == s {
			return true
		}
	}
	return false
}

func findNewsletter(list []*herald.Newsletter, slug string) *herald.Newsletter {
	for _, nl := range list {
		if nl.Slug == slug {
			return nl
		}
	}
	return nil
}

// subscriberExport streams every subscriber as CSV, a page at a time.
func (h *Handler) subscriberExport(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="subscribers-`+h.Clock.Now().UTC().Format("2006-01-02")+`.csv"`)
	if err := subscriberio.Export(r.Context(), w, h.Subscribers); err != nil {
		// The header is gone already: the download ends short, and the log says why.
		h.Logger.Error("admin: export subscribers", "err", err)
		return
	}
	h.Logger.Info("admin: exported subscribers", "by", currentUser(r).Email)
}

// wildcardID reads the path's {name} as a positive ID; anything else is
// a page that does not exist.
func wildcardID(r *http.Request, name string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, herald.Errorf(herald.ENOTFOUND, "There is no such page in the admin.")
	}
	return id, nil
}
