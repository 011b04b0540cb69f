package admin

import (
	"context"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/herald-news/herald"
)

func (h *Handler) newsletterSettingsRoutes() []route {
	return []route{
		{"GET /admin/settings/newsletters/new", herald.PermSettings, h.newNewsletter},
		{"GET /admin/settings/newsletters/{slug}", herald.PermSettings, h.editNewsletter},
		{"POST /admin/settings/newsletters", herald.PermSettings, h.saveNewsletter},
		{"POST /admin/settings/newsletters/{slug}", herald.PermSettings, h.saveNewsletter},
	}
}

// newsletterForm is the newsletter being edited and the choices around it.
type newsletterForm struct {
	N        *herald.Newsletter
	New      bool // the slug may still be chosen
	Error    string
	Days     []string
	Sections []*herald.Section
	Topics   []*herald.Topic
	Cities   []*herald.City
	Authors  []*herald.Author
	Zones    []string // the cities' zones, offered first
}

// Has reports whether list holds s, for the form's checkboxes.
func (f newsletterForm) Has(list []string, s string) bool { return slices.Contains(list, s) }

func (h *Handler) newNewsletter(w http.ResponseWriter, r *http.Request) {
	n := &herald.Newsletter{Days: []string{"mon", "tue", "wed", "thu", "fri"}, SendTime: "06:00", TimeZone: h.location().String()}
	h.showNewsletter(w, r, http.StatusOK, newsletterForm{N: n, New: true})
}

func (h *Handler) editNewsletter(w http.ResponseWriter, r *http.Request) {
	n, err := h.Newsroom.FindNewsletter(r.Context(), r.PathValue("slug"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.showNewsletter(w, r, http.StatusOK, newsletterForm{N: n})
}

func (h *Handler) showNewsletter(w http.ResponseWriter, r *http.Request, status int, f newsletterForm) {
	ctx := r.Context()
	var err error
	f.Days = herald.WeekDays()
	if f.Sections, err = h.Newsroom.Sections(ctx); err == nil {
		if f.Topics, err = h.Newsroom.Topics(ctx); err == nil {
			if f.Cities, err = h.Newsroom.Cities(ctx); err == nil {
				f.Authors, err = h.Newsroom.Authors(ctx)
			}
		}
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	for _, c := range f.Cities {
		if !slices.Contains(f.Zones, c.TimeZone) {
			f.Zones = append(f.Zones, c.TimeZone)
		}
	}
	title := "New newsletter"
	if !f.New {
		title = f.N.Name
	}
	h.render(w, r, status, "settings_newsletter", title, f)
}

// saveNewsletter creates a newsletter (its slug, which its archive and
// every reader's links carry, is then fixed) or changes one.
func (h *Handler) saveNewsletter(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	slug := r.PathValue("slug")
	isNew := slug == ""
	n := &herald.Newsletter{Slug: slug}
	if isNew {
		n.Slug = strings.TrimSpace(r.PostFormValue("slug"))
	} else {
		old, err := h.Newsroom.FindNewsletter(ctx, slug)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		n.ID = old.ID
	}
	err := h.readNewsletter(ctx, r, n)
	if err == nil && isNew {
		if _, ferr := h.Newsroom.FindNewsletter(ctx, n.Slug); ferr == nil {
			err = herald.Errorf(herald.ECONFLICT, "Another newsletter already has the slug %q.", n.Slug)
		}
	}
	if err == nil {
		err = h.Newsroom.SaveNewsletter(ctx, n)
	}
	if h.refused(w, r, n, isNew, err) {
		return
	}
	h.Logger.Info("admin: newsletter saved", "newsletter", n.Slug, "by", currentUser(r).Email)
	h.redirectWith(w, r, "/admin/settings/newsletters/"+n.Slug, "Saved "+n.Name+".")
}

// refused shows the form again with err's message when err is a refusal
// an editor can fix, answers with err otherwise, and reports whether it
// answered.
func (h *Handler) refused(w http.ResponseWriter, r *http.Request, n *herald.Newsletter, isNew bool, err error) bool {
	switch herald.ErrorCode(err) {
	case "":
		return false
	case herald.EINVALID, herald.ECONFLICT:
		h.showNewsletter(w, r, http.StatusUnprocessableEntity, newsletterForm{N: n, New: isNew, Error: herald.ErrorMessage(err)})
	case herald.ESTALE:
		// What was typed stays in the form, now naming the stored version.
		if stored, serr := h.Newsroom.FindNewsletter(r.Context(), n.Slug); serr == nil {
			n.Version = stored.Version
		}
		h.showNewsletter(w, r, http.StatusConflict, newsletterForm{N: n, New: isNew, Error: herald.ErrorMessage(err) +
			" Your changes are below: compare them with the saved newsletter (open it in a new tab), then save again to keep yours."})
	default:
		h.fail(w, r, err)
	}
	return true
}

// readNewsletter fills n from the form; references to a curator or city
// must name stored ones.
func (h *Handler) readNewsletter(ctx context.Context, r *http.Request, n *herald.Newsletter) error {
	f := r.PostForm
	n.Name, n.Promise, n.SignupTitle = f.Get("name"), f.Get("promise"), f.Get("signup_title")
	n.SendTime, n.TimeZone = f.Get("send_time"), strings.TrimSpace(f.Get("time_zone"))
	n.FromName, n.FromEmail = f.Get("from_name"), f.Get("from_email")
	n.SendMode = herald.SendMode(f.Get("send_mode"))
	n.Days, n.Sections, n.Topics = f["days"], f["sections"], f["topics"]
	n.Version, _ = strconv.Atoi(f.Get("version"))
	if id, _ := strconv.ParseInt(f.Get("city"), 10, 64); id != 0 {
		cities, err := h.Newsroom.Cities(ctx)
		if err != nil {
			return err
		}
		i := slices.IndexFunc(cities, func(c *herald.City) bool { return c.ID == id })
		if i < 0 {
			return herald.Errorf(herald.EINVALID, "There is no such city.")
		}
		n.City = cities[i]
	}
	if slug := f.Get("curator"); slug != "" {
		a, err := h.Newsroom.FindAuthor(ctx, slug)
		if err != nil {
			return herald.Errorf(herald.EINVALID, "There is no author %q to curate it.", slug)
		}
		n.Curator = a
	}
	return n.Validate()
}
