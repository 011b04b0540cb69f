package admin

import (
	"net/http"
	"strconv"
	"time"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/internal/auth"
)

// tokenLifetimes are the choices of the token form, in days (0: until
// revoked).
var tokenLifetimes = map[string]int{"": 0, "0": 0, "30": 30, "90": 90, "365": 365}

// tokenCreate makes an API token and shows its secret once.
func (h *Handler) tokenCreate(w http.ResponseWriter, r *http.Request) {
	role, err := herald.ParseRole(r.PostFormValue("role"))
	if err != nil {
		h.backWith(w, r, "/admin/staff#tokens", err)
		return
	}
	days, ok := tokenLifetimes[r.PostFormValue("expires")]
	if !ok {
		h.backWith(w, r, "/admin/staff#tokens", herald.Errorf(herald.EINVALID, "Choose how long the token lasts."))
		return
	}
	t := &herald.APIToken{Name: r.PostFormValue("name"), Role: role, CreatedBy: currentUser(r).Email}
	if days > 0 {
		t.ExpiresAt = h.Clock.Now().Add(time.Duration(days) * 24 * time.Hour)
	}
	secret, hash, err := auth.NewAPIToken(t)
	if err == nil {
		err = h.Staff.CreateAPIToken(r.Context(), t, hash)
	}
	if err != nil {
		h.backWith(w, r, "/admin/staff#tokens", err)
		return
	}
	h.Logger.Info("admin: API token created", "token", t.ID, "role", t.Role, "by", t.CreatedBy)
	h.render(w, r, http.StatusOK, "staff_secret", "API token created", shownOnce{
		Heading: "API token " + strconv.FormatInt(t.ID, 10) + ": " + t.Name + " (" + string(t.Role) + ")",
		What:    "The secret", Secret: secret,
		Note: `Send it as "Authorization: Bearer SECRET". It is shown only now: store it in the tool that uses it.`})
}

func (h *Handler) tokenRevoke(w http.ResponseWriter, r *http.Request) {
	id, err := wildcardID(r, "id")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if err := h.Staff.RevokeAPIToken(r.Context(), id); err != nil {
		h.backWith(w, r, "/admin/staff#tokens", err)
		return
	}
	h.Logger.Info("admin: API token revoked", "token", id, "by", currentUser(r).Email)
	h.redirectWith(w, r, "/admin/staff#tokens", "Revoked token "+strconv.FormatInt(id, 10)+"; it stopped working at once.")
}
