package api

import (
	"net/http"

	"github.com/herald-news/herald"
)

// getSettings: GET /api/v1/settings, the site's settings.
func (h *Handler) getSettings(w http.ResponseWriter, r *http.Request, _ *caller) error {
	site, err := h.Site.Site(r.Context())
	if err != nil {
		return err
	}
	setVersion(w, site.Version)
	return ok(w, site)
}

// putSettings: PUT /api/v1/settings replaces the site's settings. An empty
// postal address is refused while newsletters have readers.
func (h *Handler) putSettings(w http.ResponseWriter, r *http.Request, _ *caller) error {
	var in herald.Site
	if err := decode(r, &in); err != nil {
		return err
	}
	if r.Header.Get("If-Match") != "" {
		stored, err := h.Site.Site(r.Context())
		if err != nil {
			return err
		}
		if in.Version, err = ifMatch(r, stored.Version); err != nil {
			return err
		}
	}
	if err := h.Site.SaveSite(r.Context(), &in); err != nil {
		return err
	}
	setVersion(w, in.Version)
	return ok(w, &in)
}
