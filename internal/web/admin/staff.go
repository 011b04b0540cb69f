package admin

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/internal/auth"
)

func (h *Handler) staffRoutes() []route {
	return []route{
		{"GET /admin/staff", herald.PermStaff, h.staffPage},
		{"POST /admin/staff", herald.PermStaff, h.staffAdd},
		{"POST /admin/staff/{id}/role", herald.PermStaff, h.staffChange},
		{"POST /admin/staff/{id}/disable", herald.PermStaff, h.staffChange},
		{"POST /admin/staff/{id}/enable", herald.PermStaff, h.staffChange},
		{"POST /admin/staff/{id}/password", herald.PermStaff, h.staffPassword},
		{"POST /admin/staff/tokens", herald.PermStaff, h.tokenCreate},
		{"POST /admin/staff/tokens/{id}/revoke", herald.PermStaff, h.tokenRevoke},
	}
}

type staffData struct {
	Users  []*herald.User
	Tokens []tokenRow
	Roles  []herald.Role
	Me     int64
}

type tokenRow struct {
	*herald.APIToken
	State string // active, expired or revoked
}

// staffPage lists staff accounts and API tokens with their actions.
func (h *Handler) staffPage(w http.ResponseWriter, r *http.Request) {
	d := staffData{Roles: herald.Roles, Me: currentUser(r).ID}
	var err error
	if d.Users, err = h.Staff.Users(r.Context()); err != nil {
		h.fail(w, r, err)
		return
	}
	tokens, err := h.Staff.APITokens(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	now := h.Clock.Now()
	for _, t := range tokens {
		row := tokenRow{APIToken: t, State: "active"}
		switch {
		case !t.RevokedAt.IsZero():
			row.State = "revoked"
		case !t.Usable(now):
			row.State = "expired"
		}
		d.Tokens = append(d.Tokens, row)
	}
	h.render(w, r, http.StatusOK, "staff", "Staff and API tokens", d)
}

// shownOnce is a secret shown on the page after the action that made it,
// and never again: the database keeps only its hash.
type shownOnce struct {
	Heading, What, Secret, Note string
}

// backWith returns to path with err's message as the notice, for a
// refused form; internal errors get the error page.
func (h *Handler) backWith(w http.ResponseWriter, r *http.Request, path string, err error) {
	if herald.ErrorCode(err) == herald.EINTERNAL {
		h.fail(w, r, err)
		return
	}
	h.redirectWith(w, r, path, herald.ErrorMessage(err))
}

// newPassword is the password typed into a form, or a generated one when
// the field is empty; generated reports which.
func newPassword(ctx context.Context, typed string) (pw, hash string, generated bool, err error) {
	pw = typed
	if pw == "" {
		if pw, err = auth.GeneratePassword(); err != nil {
			return "", "", false, err
		}
		generated = true
	}
	hash, err = auth.HashPassword(ctx, pw)
	return pw, hash, generated, err
}

func (h *Handler) staffAdd(w http.ResponseWriter, r *http.Request) {
	role, err := herald.ParseRole(r.PostFormValue("role"))
	if err != nil {
		h.backWith(w, r, "/admin/staff", err)
		return
	}
	pw, hash, generated, err := newPassword(r.Context(), r.PostFormValue("password"))
	if err != nil {
		h.backWith(w, r, "/admin/staff", err)
		return
	}
	u := &herald.User{Email: r.PostFormValue("email"), Name: r.PostFormValue("name"), Role: role, PasswordHash: hash}
	if err := h.Staff.CreateUser(r.Context(), u); err != nil {
		h.backWith(w, r, "/admin/staff", err)
		return
	}
	h.Logger.Info("admin: staff added", "user", u.Email, "role", u.Role, "by", currentUser(r).Email)
	if !generated {
		h.redirectWith(w, r, "/admin/staff", "Added "+u.Email+" as "+string(u.Role)+" with the password you chose.")
		return
	}
	h.render(w, r, http.StatusOK, "staff_secret", "Staff account added", shownOnce{Heading: "Added " + u.Email,
		What: "Their password", Secret: pw,
		Note: "Pass it on privately; they sign in at /admin/sign-in. It is shown only now: reset it if it is lost."})
}

// staffChange changes a role, or disables or enables an account; each
// signs the person out everywhere. The last admin stays an admin.
func (h *Handler) staffChange(w http.ResponseWriter, r *http.Request) {
	u, ok := h.staffTarget(w, r)
	if !ok {
		return
	}
	verb := r.URL.Path[strings.LastIndexByte(r.URL.Path, '/')+1:]
	var err error
	switch verb {
	case "role":
		u.Role, err = herald.ParseRole(r.PostFormValue("role"))
	case "disable":
		u.DisabledAt = h.Clock.Now()
	case "enable":
		u.DisabledAt = time.Time{}
	}
	if err == nil {
		err = h.Staff.UpdateUser(r.Context(), u)
	}
	if err != nil {
		h.backWith(w, r, "/admin/staff", err)
		return
	}
	h.Logger.Info("admin: staff changed", "user", u.Email, "change", verb, "role", u.Role, "by", currentUser(r).Email)
	state := "now " + string(u.Role)
	if !u.Active() {
		state = "disabled and signed out everywhere"
	} else if verb == "enable" {
		state = "enabled again"
	}
	h.redirectWith(w, r, "/admin/staff", u.Email+" is "+state+".")
}

// staffPassword sets a new password (typed, or generated and shown once)
// and signs the person out everywhere.
func (h *Handler) staffPassword(w http.ResponseWriter, r *http.Request) {
	u, ok := h.staffTarget(w, r)
	if !ok {
		return
	}
	pw, hash, generated, err := newPassword(r.Context(), r.PostFormValue("password"))
	if err == nil {
		u.PasswordHash = hash
		err = h.Staff.UpdateUser(r.Context(), u)
	}
	if err != nil {
		h.backWith(w, r, "/admin/staff", err)
		return
	}
	h.Logger.Info("admin: password reset", "user", u.Email, "by", currentUser(r).Email)
	if !generated {
		h.redirectWith(w, r, "/admin/staff", "Changed the password of "+u.Email+" and signed them out everywhere.")
		return
	}
	h.render(w, r, http.StatusOK, "staff_secret", "Password reset", shownOnce{Heading: "New password for " + u.Email,
		What: "Their new password", Secret: pw, Note: "They have been signed out everywhere. It is shown only now."})
}

// staffTarget loads the account the path names.
func (h *Handler) staffTarget(w http.ResponseWriter, r *http.Request) (*herald.User, bool) {
	id, err := wildcardID(r, "id")
	if err != nil {
		h.fail(w, r, err)
		return nil, false
	}
	u, err := h.Staff.FindUserByID(r.Context(), id)
	if err != nil {
		h.fail(w, r, err)
		return nil, false
	}
	return u, true
}
