package site

import (
	"bytes"
	"context"
	"html/template"
	"net/http"
	"strings"
	"time"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/internal/web"
)

// page is what the layout needs on every page.
type page struct {
	Site        *herald.Site
	Title       string // the <title>, before the site name
	Description string
	Canonical   string // absolute URL
	Sections    []*herald.Section
	Cities      []*herald.City
	Year        int
	Data        any  // the page's own content
	NoIndex     bool // token and answer pages: keep them out of search engines
	NoSignup    bool // pages that show their own box, or none
	Signup      *signupBox
	Feeds       []feedLink  // feed autodiscovery links
	Social      *socialMeta // Open Graph and Twitter tags
	LinkedData  any         // schema.org JSON-LD, encoded by html/template
	// signupCity and signupTopic steer which newsletter the box offers.
	signupCity  *herald.City
	signupTopic *herald.Topic
}

// funcs are the templates' helpers.
func (h *Handler) funcs() template.FuncMap {
	return template.FuncMap{
		"iso":   func(t time.Time) string { return t.UTC().Format(time.RFC3339) },
		"join":  strings.Join,
		"add":   func(a, b int) int { return a + b },
		"asset": assetURL,
		// figure pairs a photo with whether it loads at once (above the
		// fold) or lazily, and the smaller copies browsers may pick.
		"figure": func(p *herald.Photo, eager bool) figure { return figure{p, eager, h.srcset(p)} },
	}
}

// srcset lists an uploaded photo's resized copies, "" when it has none.
func (h *Handler) srcset(p *herald.Photo) string {
	if h.Media == nil || p == nil || p.Path == "" {
		return ""
	}
	return h.Media.Srcset(p.Path, p.Width)
}

// render writes a whole page, or an error page if rendering fails; the page
// is rendered into a buffer first so a failure never sends half a page.
func (h *Handler) render(w http.ResponseWriter, r *http.Request, status int, name string, p page) {
	ctx := r.Context()
	if err := h.fillLayout(ctx, &p); err != nil {
		h.fail(w, r, err)
		return
	}
	h.describe(r, &p)
	var buf bytes.Buffer
	if err := h.pages[name].Execute(&buf, p); err != nil {
		h.Logger.Error("render page", "page", name, "err", err)
		http.Error(w, "Something went wrong on our side. Please try again.", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

func (h *Handler) fillLayout(ctx context.Context, p *page) error {
	var err error
	if p.Site, err = h.Site.Site(ctx); err != nil {
		return err
	}
	if p.Sections, err = h.Newsroom.Sections(ctx); err != nil {
		return err
	}
	if p.Cities, err = h.Newsroom.Cities(ctx); err != nil {
		return err
	}
	if p.Signup == nil && !p.NoSignup {
		path := strings.TrimPrefix(p.Canonical, h.BaseURL)
		if p.Signup, err = h.signupFor(ctx, path, p.signupCity, p.signupTopic); err != nil {
			return err
		}
	}
	if p.Canonical == "" {
		p.Canonical = h.BaseURL + "/"
	}
	p.Year = h.Clock.Now().In(h.Location).Year()
	return nil
}

// notFound renders the 404 page.
func (h *Handler) notFound(w http.ResponseWriter, r *http.Request) {
	h.render(w, r, http.StatusNotFound, "notfound", page{Title: "Page not found"})
}

// fail renders the page for err: the 404 page for ENOTFOUND, otherwise the
// error's safe message with its status; internal errors are logged.
func (h *Handler) fail(w http.ResponseWriter, r *http.Request, err error) {
	code := herald.ErrorCode(err)
	if code == herald.ENOTFOUND {
		h.notFound(w, r)
		return
	}
	status := web.ErrorStatus(err)
	if status >= 500 {
		h.Logger.Error("serve page", "path", r.URL.Path, "err", err)
	}
	var buf bytes.Buffer
	p := page{Site: &herald.DefaultSite, Title: "Something went wrong", Data: herald.ErrorMessage(err)}
	if site, serr := h.Site.Site(r.Context()); serr == nil {
		p.Site = site
	}
	if h.pages["error"].Execute(&buf, p) != nil {
		http.Error(w, herald.ErrorMessage(err), status)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// figure is what the "figure" template draws.
type figure struct {
	*herald.Photo
	Eager  bool
	Srcset string
}
