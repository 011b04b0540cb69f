package admin

import (
	"github.com/herald-news/herald/internal/bounce"
	"net/http"
	"strings"
)

// shownSuppressions is how many entries the suppression list page shows.
const shownSuppressions = 500

type suppressionData struct {
	List  []bounce.Suppression
	Total int
}

// suppressionList shows the addresses that are never mailed, newest
// first. Erased readers show as a hash.
func (h *Handler) suppressionList(w http.ResponseWriter, r *http.Request) {
	list, err := h.Bounces.Suppressions(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	d := suppressionData{List: list, Total: len(list)}
	if len(d.List) > shownSuppressions {
		d.List = d.List[:shownSuppressions]
	}
	h.render(w, r, http.StatusOK, "suppressions", "Suppression list", d)
}

// suppressionLift takes an address off the list, with the reason
// recorded, as `herald suppressions remove` does.
func (h *Handler) suppressionLift(w http.ResponseWriter, r *http.Request) {
	email, reason := strings.TrimSpace(r.PostFormValue("email")), strings.TrimSpace(r.PostFormValue("reason"))
	if reason == "" {
		h.redirectWith(w, r, "/admin/suppressions", "Say why "+email+" may be mailed again: the reason is recorded.")
		return
	}
	by := currentUser(r).Email
	s, err := h.Bounces.LiftSuppression(r.Context(), email, reason, by)
	if err != nil {
		h.backWith(w, r, "/admin/suppressions", err)
		return
	}
	h.Logger.Warn("suppression lifted", "email", email, "by", by, "reason", reason, "was", s.Reason, "source", s.Source,
		"since", s.CreatedAt)
	h.redirectWith(w, r, "/admin/suppressions", "Lifted the suppression of "+email+
		". Their subscriptions are unchanged; they can sign up or be imported again.")
}
