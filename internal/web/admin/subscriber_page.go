package admin

import (
	"net/http"
	"strconv"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/internal/bounce"
	"github.com/herald-news/herald/internal/sqldb"
	"github.com/herald-news/herald/internal/web"
)

type subscriberPageData struct {
	Subscriber  *herald.Subscriber
	Newsletters map[int64]string // ID → slug, for consent records
	Consents    []herald.Consent
	Sends       []sqldb.SubscriberSend
	Bounces     []bounce.StoredEvent
	Suppressed  bool
}

// subscriberPage shows one reader: subscriptions, every consent record,
// the editions sent to them and their bounces.
func (h *Handler) subscriberPage(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	id, err := wildcardID(r, "id")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	d := subscriberPageData{Newsletters: map[int64]string{}}
	if d.Subscriber, err = h.Subscribers.FindSubscriber(ctx, id); err != nil {
		h.fail(w, r, err)
		return
	}
	nls, err := h.Newsroom.Newsletters(ctx)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	for _, nl := range nls {
		d.Newsletters[nl.ID] = nl.Slug
	}
	if d.Consents, err = h.Subscribers.Consents(ctx, id); err == nil {
		if d.Sends, err = h.Subscribers.SubscriberSends(ctx, id, 100); err == nil {
			if d.Bounces, err = h.Bounces.SubscriberBounces(ctx, id, 100); err == nil {
				d.Suppressed, err = h.Subscribers.IsSuppressed(ctx, d.Subscriber.Email)
			}
		}
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, "subscriber", d.Subscriber.Email, d)
}

// adminConsent is the record of an action staff took for a reader.
func adminConsent(r *http.Request) herald.Consent {
	return herald.Consent{IP: web.ClientIP(r), UserAgent: r.UserAgent(), Form: "admin by " + currentUser(r).Email}
}

// subscriberErase deletes the reader's personal data; only a hash of the
// address stays, on the suppression list, so nothing adds them again.
func (h *Handler) subscriberErase(w http.ResponseWriter, r *http.Request) {
	id, err := wildcardID(r, "id")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	sub, err := h.Subscribers.FindSubscriber(r.Context(), id)
	if err == nil {
		err = h.Subscribers.Delete(r.Context(), sub.Email)
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.Logger.Info("admin: erased a subscriber", "subscriber", id, "by", currentUser(r).Email)
	h.redirectWith(w, r, "/admin/subscribers", "Erased subscriber "+strconv.FormatInt(id, 10)+
		". Only a hash of the address remains, so no signup or import can add it again.")
}

// subscriberUnsubscribe turns one of the reader's newsletters off,
// recording who did it.
func (h *Handler) subscriberUnsubscribe(w http.ResponseWriter, r *http.Request) {
	id, err := wildcardID(r, "id")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	nl, err := strconv.ParseInt(r.PostFormValue("newsletter"), 10, 64)
	if err != nil {
		h.fail(w, r, herald.Errorf(herald.EINVALID, "Choose the newsletter to unsubscribe from."))
		return
	}
	if err := h.Subscribers.Unsubscribe(r.Context(), id, nl, adminConsent(r)); err != nil {
		h.fail(w, r, err)
		return
	}
	h.redirectWith(w, r, "/admin/subscribers/"+strconv.FormatInt(id, 10), "Unsubscribed.")
}
