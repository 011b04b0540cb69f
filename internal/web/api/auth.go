package api

import (
	"cmp"
	"crypto/subtle"
	"net/http"
	"strings"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/internal/auth"
)

// caller is who makes a request: a token and its role.
type caller struct {
	TokenID int64 // zero for the legacy configured token
	Name    string
	Role    herald.Role
}

// can reports whether the caller holds p.
func (c *caller) can(p herald.Permission) bool { return c.Role.Can(p) }

// need returns EFORBIDDEN unless the caller holds p.
func (c *caller) need(p herald.Permission, doing string) error {
	if c.can(p) {
		return nil
	}
	return herald.Errorf(herald.EFORBIDDEN, "A %s token cannot %s: that needs the %s permission (%s role).",
		c.Role, doing, p, p.MinRole())
}

// authenticate finds the caller of a request from its bearer token.
// Returns EUNAUTHORIZED for a missing, unknown, revoked or expired token.
func (h *Handler) authenticate(r *http.Request) (*caller, error) {
	secret, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	secret = strings.TrimSpace(secret)
	if !ok || secret == "" {
		return nil, herald.Errorf(herald.EUNAUTHORIZED, "Send an API token as \"Authorization: Bearer herald_…\" (herald token create).")
	}
	if h.LegacyToken != "" && subtle.ConstantTimeCompare([]byte(secret), []byte(h.LegacyToken)) == 1 {
		return &caller{Name: "HERALD_API_TOKEN", Role: herald.RoleAdmin}, nil
	}
	if !strings.HasPrefix(secret, auth.TokenPrefix) {
		return nil, herald.Errorf(herald.EUNAUTHORIZED, "The API token is unknown, revoked or expired.")
	}
	t, err := h.Staff.FindAPIToken(r.Context(), auth.HashSecret(secret))
	if err != nil {
		return nil, err
	}
	return &caller{TokenID: t.ID, Name: t.Name, Role: t.Role}, nil
}

// serve wraps one route: authentication and the permission check (the one
// place they happen), the body limit, idempotency keys, and errors.
func (h *Handler) serve(rt Route) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c := &caller{}
		if rt.Permission != "" {
			var err error
			if c, err = h.authenticate(r); err != nil {
				writeError(w, h.Logger, err)
				return
			}
			if err := c.need(rt.Permission, rt.Summary); err != nil {
				writeError(w, h.Logger, err)
				return
			}
		}
		limit := cmp.Or(rt.MaxBody, maxJSONBody)
		if r.ContentLength > limit {
			writeError(w, h.Logger, errTooLarge(limit))
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, limit)
		if key := r.Header.Get("Idempotency-Key"); key != "" && rt.Creates {
			h.idempotent(w, r, rt, c, key)
			return
		}
		if err := rt.handle(h, w, r, c); err != nil {
			writeError(w, h.Logger, err)
		}
	})
}
