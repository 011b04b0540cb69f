package admin

import (
	"net/http"

	"github.com/herald-news/herald"
)

func (h *Handler) settingsRoutes() []route {
	return []route{
		{"GET /admin/settings", herald.PermSettings, h.settingsPage},
		{"POST /admin/settings", herald.PermSettings, h.saveSettings},
	}
}

type settingsData struct {
	Site        *herald.Site
	Newsletters []*herald.Newsletter
	Error       string
}

// settingsPage shows what the whole site says about itself: its name,
// tagline, the postal address every email carries, language and handle.
func (h *Handler) settingsPage(w http.ResponseWriter, r *http.Request) {
	site, err := h.Site.Site(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, "settings", "Settings", h.settings(r, site, ""))
}

// settings is the settings page's data: the site's and the newsletters'.
func (h *Handler) settings(r *http.Request, site *herald.Site, refusal string) settingsData {
	letters, err := h.Newsroom.Newsletters(r.Context())
	if err != nil {
		h.Logger.Error("admin: list newsletters", "err", err)
	}
	return settingsData{Site: site, Newsletters: letters, Error: refusal}
}

// saveSettings stores the form; a refusal shows the form again with what
// was typed, and the stored settings unchanged.
func (h *Handler) saveSettings(w http.ResponseWriter, r *http.Request) {
	site := &herald.Site{Name: r.PostFormValue("name"), Tagline: r.PostFormValue("tagline"),
		PostalAddress: r.PostFormValue("postal_address"), Language: r.PostFormValue("language"),
		TwitterHandle: r.PostFormValue("twitter_handle"), Version: int(formInt(r.PostFormValue("version")))}
	if site.Language == "" {
		site.Language = herald.DefaultSite.Language
	}
	if err := h.Site.SaveSite(r.Context(), site); err != nil {
		if herald.ErrorCode(err) == herald.ESTALE {
			// What was typed stays in the form, now naming the stored
			// version: saving again keeps it.
			if stored, serr := h.Site.Site(r.Context()); serr == nil {
				site.Version = stored.Version
			}
			h.render(w, r, http.StatusConflict, "settings", "Settings", h.settings(r, site, herald.ErrorMessage(err)+
				" Your changes are below: compare them with the saved settings (open Settings in a new tab), then save again to keep yours."))
			return
		}
		if herald.ErrorCode(err) != herald.EINVALID {
			h.fail(w, r, err)
			return
		}
		h.render(w, r, http.StatusBadRequest, "settings", "Settings", h.settings(r, site, herald.ErrorMessage(err)))
		return
	}
	h.Logger.Info("admin: site settings saved", "by", currentUser(r).Email)
	h.redirectWith(w, r, "/admin/settings", "Saved. The site and the next emails use the new settings.")
}
