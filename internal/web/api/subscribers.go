package api

import (
	"cmp"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/internal/address"
	"github.com/herald-news/herald/internal/sqldb"
	"github.com/herald-news/herald/internal/subscribe"
	"github.com/herald-news/herald/internal/subscriberio"
)

type subscriptionJSON struct {
	Newsletter     string    `json:"newsletter"`
	Status         string    `json:"status"`
	CreatedAt      time.Time `json:"created_at"`
	ConfirmedAt    time.Time `json:"confirmed_at,omitzero"`
	UnsubscribedAt time.Time `json:"unsubscribed_at,omitzero"`
}

type subscriberJSON struct {
	ID            int64              `json:"id"`
	Email         string             `json:"email"`
	Name          string             `json:"name"`
	CreatedAt     time.Time          `json:"created_at"`
	Subscriptions []subscriptionJSON `json:"subscriptions"`
}

func toSubscriberJSON(s *herald.Subscriber) subscriberJSON {
	out := subscriberJSON{ID: s.ID, Email: s.Email, Name: s.Name, CreatedAt: s.CreatedAt.UTC(), Subscriptions: []subscriptionJSON{}}
	for _, sub := range s.Subscriptions {
		out.Subscriptions = append(out.Subscriptions, subscriptionJSON{Newsletter: sub.NewsletterSlug, Status: string(sub.Status),
			CreatedAt: sub.CreatedAt.UTC(), ConfirmedAt: sub.ConfirmedAt.UTC(), UnsubscribedAt: sub.UnsubscribedAt.UTC()})
	}
	return out
}

// listSubscribers: GET /api/v1/subscribers?newsletter=&status=&email=&cursor=&limit=
func (h *Handler) listSubscribers(w http.ResponseWriter, r *http.Request, _ *caller) error {
	q := r.URL.Query()
	f := sqldb.SubscriberFilter{EmailPrefix: q.Get("email")}
	if slug := q.Get("newsletter"); slug != "" {
		n, err := h.Newsroom.FindNewsletter(r.Context(), slug)
		if err != nil {
			return refError(err, "newsletter", slug)
		}
		f.NewsletterID = n.ID
	}
	switch s := herald.SubscriptionStatus(q.Get("status")); s {
	case "", herald.SubPending, herald.SubActive, herald.SubUnsubscribed:
		f.Status = s
	default:
		return errInvalid("status: %q is not one of pending, active, unsubscribed.", s)
	}
	var err error
	if f.After, err = h.decodeCursor(r, "subscribers"); err != nil {
		return err
	}
	if f.Limit, err = limitParam(r); err != nil {
		return err
	}
	subs, err := h.Subscribers.ListSubscribers(r.Context(), f)
	if err != nil {
		return err
	}
	out := page[subscriberJSON]{Data: []subscriberJSON{}}
	for _, s := range subs {
		out.Data = append(out.Data, toSubscriberJSON(s))
	}
	if n := len(subs); n > 0 {
		out.NextCursor = h.nextCursor("subscribers", n, f.Limit, subs[n-1].ID)
	}
	return ok(w, out)
}

func (h *Handler) subscriber(r *http.Request) (*herald.Subscriber, error) {
	id, err := pathID(r, "id", "Subscriber")
	if err != nil {
		return nil, err
	}
	return h.Subscribers.FindSubscriber(r.Context(), id)
}

func (h *Handler) getSubscriber(w http.ResponseWriter, r *http.Request, _ *caller) error {
	s, err := h.subscriber(r)
	if err != nil {
		return err
	}
	return ok(w, toSubscriberJSON(s))
}

// deleteSubscriber erases a reader; only a hashed suppression entry stays.
func (h *Handler) deleteSubscriber(w http.ResponseWriter, r *http.Request, _ *caller) error {
	s, err := h.subscriber(r)
	if err != nil {
		return err
	}
	if err := h.Subscribers.Delete(r.Context(), s.Email); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// addBody adds one reader. Unconfirmed readers get the one double opt-in
// email; confirmed ones need the consent's source, recorded as an import.
type addBody struct {
	Email         string   `json:"email"`
	Name          string   `json:"name"`
	Newsletters   []string `json:"newsletters"`
	Confirmed     bool     `json:"confirmed"`
	ConsentSource string   `json:"consent_source"`
}

func (h *Handler) addSubscriber(w http.ResponseWriter, r *http.Request, c *caller) error {
	ctx := r.Context()
	var in addBody
	if err := decode(r, &in); err != nil {
		return err
	}
	addr, err := address.Parse(in.Email)
	if err != nil {
		return errInvalid("email: %q is not a valid address.", in.Email)
	}
	if len(in.Newsletters) == 0 {
		return errInvalid("newsletters: name at least one newsletter (its slug).")
	}
	in.ConsentSource = strings.TrimSpace(in.ConsentSource)
	if in.Confirmed && in.ConsentSource == "" {
		return errInvalid("consent_source: a confirmed reader needs a record of where they consented, such as \"event sign-up sheet 2026-11-20\".")
	}
	var letters []*herald.Newsletter
	for _, slug := range in.Newsletters {
		n, err := h.Newsroom.FindNewsletter(ctx, slug)
		if err != nil {
			return refError(err, "newsletters", slug)
		}
		letters = append(letters, n)
	}
	if suppressed, err := h.Subscribers.IsSuppressed(ctx, addr.Email); err != nil {
		return err
	} else if suppressed {
		return herald.Errorf(herald.ECONFLICT, "email: this address is on the suppression list (erased, bounced or complained) and cannot be added.")
	}
	for _, n := range letters {
		if in.Confirmed {
			sink := h.Subscribers.ImportSink(n.ID, true, "api:"+in.ConsentSource)
			row := subscriberio.Row{Line: 1, Email: addr.Email, Name: in.Name, UTF8Local: addr.UTF8Local}
			if _, err := sink.ImportRows(ctx, []subscriberio.Row{row}); err != nil {
				return err
			}
			continue
		}
		err := h.Subscribe.Signup(ctx, subscribe.Form{Email: addr.Email, Newsletter: n.Slug,
			IP: fmt.Sprintf("api-token:%d", c.TokenID), UserAgent: r.UserAgent(), Page: "api:" + c.Name})
		if subscribe.IsRateLimited(err) {
			return herald.Errorf(eRateLimited, "Too many unconfirmed readers added in the last hour; import them instead, or wait.")
		} else if err != nil {
			return err
		}
	}
	s, err := h.Subscribers.FindSubscriberByEmail(ctx, addr.Email)
	if err != nil {
		return err
	}
	return created(w, fmt.Sprintf("/api/v1/subscribers/%d", s.ID), toSubscriberJSON(s))
}

type importJSON struct {
	Newsletter string         `json:"newsletter"`
	Layout     string         `json:"layout"`
	Confirmed  bool           `json:"confirmed"`
	Rows       int            `json:"rows"`
	Changed    int            `json:"changed"`
	Unchanged  int            `json:"unchanged"`
	Duplicates int            `json:"duplicates"`
	Bad        int            `json:"bad"`
	Errors     []rowErrorJSON `json:"errors"`
}

type rowErrorJSON struct {
	Line   int    `json:"line"`
	Reason string `json:"reason"`
}

// importSubscribers reads a CSV export (the body) into one newsletter:
// ?newsletter=slug&confirmed=true&consent_source=…
func (h *Handler) importSubscribers(w http.ResponseWriter, r *http.Request, c *caller) error {
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "text/csv" && mt != "text/plain" {
		return herald.Errorf(eUnsupported, "Send the file as text/csv.")
	}
	q := r.URL.Query()
	confirmed, err := strconv.ParseBool(cmp.Or(q.Get("confirmed"), "false"))
	if err != nil {
		return errInvalid("confirmed: use true or false.")
	}
	source := strings.TrimSpace(q.Get("consent_source"))
	if confirmed && source == "" {
		return errInvalid("consent_source: confirmed readers need a record of where they consented.")
	}
	slug := q.Get("newsletter")
	if slug == "" {
		return errInvalid("newsletter: say which newsletter the readers join (its slug).")
	}
	if _, err := h.Newsroom.FindNewsletter(r.Context(), slug); err != nil {
		return refError(err, "newsletter", slug)
	}
	nl, rep, err := h.Desk.ImportSubscribers(r.Context(), r.Body, max(r.ContentLength, 0), slug, confirmed,
		"api:"+cmp.Or(source, "import by "+c.Name), nil)
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		return herald.Errorf(eTooLarge, "The file is over %d bytes; split it or use herald subscribers import.", tooLarge.Limit)
	} else if err != nil {
		return err
	}
	out := importJSON{Newsletter: nl.Slug, Layout: rep.Layout, Confirmed: confirmed, Rows: rep.Rows, Changed: rep.Changed,
		Unchanged: rep.Unchanged, Duplicates: rep.Duplicates, Bad: rep.Bad, Errors: []rowErrorJSON{}}
	for _, e := range rep.Errors {
		out.Errors = append(out.Errors, rowErrorJSON(e))
	}
	return ok(w, out)
}

// exportSubscribers streams every subscriber as CSV.
func (h *Handler) exportSubscribers(w http.ResponseWriter, r *http.Request, _ *caller) error {
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="subscribers.csv"`)
	w.Header().Set("Cache-Control", "no-store")
	if err := subscriberio.Export(r.Context(), w, h.Subscribers); err != nil {
		// The status is sent; a cut-off file is all the client can see.
		h.Logger.Error("api: export subscribers", "err", err)
	}
	return nil
}
