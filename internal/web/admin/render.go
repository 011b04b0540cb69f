package admin

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/internal/web"
)

// page is what the layout needs on every admin page.
type page struct {
	Title string
	User  *herald.User
	CSRF  string
	Nav   string // the section of the menu to highlight: the page's first path element
	Inbox bool   // the development inbox is the transport
	Flash string // a one-time notice from the previous action
	Data  any    // the page's own content
}

// funcs are the templates' helpers. Times are shown in the site's zone,
// which is the one editors type times in.
func (h *Handler) funcs() template.FuncMap {
	loc := h.Location
	if loc == nil {
		loc = time.UTC
	}
	return template.FuncMap{
		"asset": assetURL,
		"gate":  func(ed *herald.Edition) editionGate { return gateOf(ed, h.Clock.Now()) },
		// gateArgs passes the edition-gate partial its page, viewer and edition.
		"gateArgs": func(page any, user *herald.User, ed *herald.Edition, buttons bool) map[string]any {
			return map[string]any{"Page": page, "User": user, "Edition": ed, "Buttons": buttons}
		},
		"iso":   func(t time.Time) string { return t.UTC().Format(time.RFC3339) },
		"count": herald.FormatCount,
		"can":   func(u *herald.User, p string) bool { return u != nil && u.Role.Can(herald.Permission(p)) },
		"when": func(t time.Time) string {
			if t.IsZero() {
				return "—"
			}
			return t.In(loc).Format("Jan 2, 2006 15:04 MST")
		},
		// zone names the site's zone for scripts that format times.
		"zone": loc.String,
		"json": func(v any) (template.JS, error) {
			b, err := json.Marshal(v)
			return template.JS(b), err
		},
	}
}

// parseTemplates builds one template set per page: the layout, the shared
// partials and the page's own file. Any file in templates/ other than
// those two is a page, named by its file name without ".html".
func (h *Handler) parseTemplates() error {
	files, err := fs.Glob(assets, "templates/*.html")
	if err != nil {
		return err
	}
	h.pages = map[string]*template.Template{}
	funcs := h.funcs()
	for _, f := range files {
		name := strings.TrimSuffix(strings.TrimPrefix(f, "templates/"), ".html")
		if name == "layout" || name == "partials" {
			continue
		}
		t, err := template.New("layout.html").Funcs(funcs).ParseFS(assets, "templates/layout.html", "templates/partials.html", f)
		if err != nil {
			return fmt.Errorf("admin: parse %s: %w", name, err)
		}
		h.pages[name] = t
	}
	return nil
}

// render writes a whole page, rendered into a buffer first so that a
// failure never sends half a page.
func (h *Handler) render(w http.ResponseWriter, r *http.Request, status int, name, title string, data any) {
	t, ok := h.pages[name]
	if !ok {
		h.fail(w, r, fmt.Errorf("admin: no page %q", name))
		return
	}
	p := page{Title: title, User: currentUser(r), CSRF: csrfToken(r), Nav: navOf(r.URL.Path), Inbox: h.Inbox != nil,
		Flash: h.takeFlash(w, r), Data: data}
	var buf bytes.Buffer
	if err := t.Execute(&buf, p); err != nil {
		h.Logger.Error("admin: render", "page", name, "err", err)
		http.Error(w, "Something went wrong on our side. Please try again.", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

func navOf(path string) string {
	rest := strings.TrimPrefix(path, "/admin/")
	first, _, _ := strings.Cut(rest, "/")
	return first
}

// fail answers with err's safe message and status: a page for browsers,
// JSON for scripts (which ask with Accept: application/json).
func (h *Handler) fail(w http.ResponseWriter, r *http.Request, err error) {
	status := web.ErrorStatus(err)
	if status >= 500 {
		h.Logger.Error("admin: request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	if wantsJSON(r) {
		writeJSON(w, status, map[string]any{"error": map[string]string{"code": herald.ErrorCode(err), "message": herald.ErrorMessage(err)}})
		return
	}
	if _, ok := h.pages["error"]; !ok {
		http.Error(w, herald.ErrorMessage(err), status)
		return
	}
	h.render(w, r, status, "error", http.StatusText(status), herald.ErrorMessage(err))
}

func (h *Handler) notFound(w http.ResponseWriter, r *http.Request) {
	if _, _, err := h.session(r); err != nil {
		h.signInFirst(w, r)
		return
	}
	h.fail(w, r, herald.Errorf(herald.ENOTFOUND, "There is no such page in the admin."))
}

func wantsJSON(r *http.Request) bool {
	return strings.Contains(r.Header.Get("Accept"), "application/json")
}

// writeJSON writes v as a JSON response.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

const flashCookie = "herald_flash"

// redirectWith sends the browser to path with a one-time notice shown on
// the next page (post/redirect/get).
func (h *Handler) redirectWith(w http.ResponseWriter, r *http.Request, path, notice string) {
	if notice != "" {
		http.SetCookie(w, &http.Cookie{Name: flashCookie, Value: url.QueryEscape(notice), Path: "/admin", MaxAge: 60,
			HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: strings.HasPrefix(h.BaseURL, "https://")})
	}
	http.Redirect(w, r, path, http.StatusSeeOther)
}

func (h *Handler) takeFlash(w http.ResponseWriter, r *http.Request) string {
	c, err := r.Cookie(flashCookie)
	if err != nil {
		return ""
	}
	http.SetCookie(w, &http.Cookie{Name: flashCookie, Path: "/admin", MaxAge: -1})
	msg, _ := url.QueryUnescape(c.Value)
	if len(msg) > 300 {
		msg = msg[:300]
	}
	return msg
}

// static are the admin's stylesheets and scripts, kept by the browser of
// one member of staff only.
var static = web.NewAssets(assets, "static", "/admin/static/", "private, max-age=31536000, immutable")

func staticFiles() http.Handler { return static.Handler() }

func assetURL(name string) string { return static.URL(name) }
