// Package admin is the newsroom's web interface under /admin: sign-in,
// the story editor, the edition composer and live send view, subscribers,
// the dashboard and staff. Pages are rendered on the server; small
// embedded scripts add live feedback where it helps. Every route names
// the permission it needs, and one place checks it (see routes).
package admin

import (
	"context"
	"embed"
	"fmt"
	"html/template"
	"io"
	"log/slog"
	"net/http"
	"time"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/internal/mail"
	"github.com/herald-news/herald/internal/mail/devinbox"
	"github.com/herald-news/herald/internal/media"
	"github.com/herald-news/herald/internal/sqldb"
	"github.com/herald-news/herald/internal/subscribe"
	"github.com/herald-news/herald/internal/subscriberio"
)

//go:embed templates static
var assets embed.FS

// Desk is the edition desk's operations (internal/app implements them),
// shared with the CLI and the JSON API.
type Desk interface {
	DraftEdition(ctx context.Context, slug, date string, blank bool) (*herald.Edition, error)
	PreviewEdition(ctx context.Context, id int64, email string) (*herald.Edition, *mail.Message, error)
	SendTestEdition(ctx context.Context, id int64, to string) error
	ScheduleEdition(ctx context.Context, id int64, when time.Time) (*herald.Edition, error)
	SetEditionState(ctx context.Context, id int64, verb string) error
	SendNow(ctx context.Context, id int64) (int, error)
}

// Importer reads a subscriber CSV into a newsletter (internal/app
// implements it), shared with the CLI and the JSON API.
type Importer interface {
	ImportSubscribers(ctx context.Context, r io.Reader, size int64, slug string, confirmed bool, source string,
		progress func(subscriberio.Progress)) (*herald.Newsletter, subscriberio.Report, error)
}

// Handler serves /admin.
type Handler struct {
	Staff       *sqldb.StaffService
	Stories     *sqldb.StoryService
	Newsroom    *sqldb.NewsroomService
	Site        *sqldb.SiteService
	Subscribers *sqldb.SubscriberService
	Editions    *sqldb.EditionService
	Bounces     *sqldb.BounceService
	Search      *sqldb.SearchService
	Subscribe   *subscribe.Service
	Desk        Desk
	Importer    Importer
	// ImportStates keeps imports' progress and reports for every node.
	ImportStates *sqldb.SubscriberImports
	Media        *media.Store
	Inbox        *devinbox.Transport // nil unless the development inbox is the transport
	Clock        herald.Clock
	Location     *time.Location // the site's time zone, for the times editors type; UTC when nil
	Logger       *slog.Logger
	BaseURL      string // https makes session cookies Secure

	// Sessions end SessionTTL after sign-in, or after SessionIdle without
	// a request, whichever comes first.
	SessionTTL  time.Duration
	SessionIdle time.Duration

	pages map[string]*template.Template
	mux   *http.ServeMux
}

// Default session lifetimes.
const (
	DefaultSessionTTL  = 7 * 24 * time.Hour
	DefaultSessionIdle = 12 * time.Hour
)

// route is one admin endpoint and the permission it needs. An empty
// permission means "anyone signed in"; public routes are the sign-in
// pages only, declared apart.
type route struct {
	Pattern string // "METHOD /admin/path", as http.ServeMux reads it
	Perm    herald.Permission
	Handle  http.HandlerFunc
}

// routes lists every route that needs a signed-in user. Each part of the
// admin declares its own in its file.
func (h *Handler) routes() []route {
	var all []route
	for _, part := range [][]route{h.shellRoutes(), h.dashboardRoutes(), h.storyRoutes(), h.editionRoutes(),
		h.subscriberRoutes(), h.staffRoutes(), h.settingsRoutes(), h.newsletterSettingsRoutes(), h.inboxRoutes()} {
		all = append(all, part...)
	}
	return all
}

// Init parses the templates and builds the router.
func (h *Handler) Init() error {
	if h.SessionTTL == 0 {
		h.SessionTTL = DefaultSessionTTL
	}
	if h.SessionIdle == 0 {
		h.SessionIdle = DefaultSessionIdle
	}
	if err := h.parseTemplates(); err != nil {
		return err
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /admin/sign-in", h.signInPage)
	mux.HandleFunc("POST /admin/sign-in", h.signIn)
	mux.Handle("GET /admin/static/", http.StripPrefix("/admin/static/", staticFiles()))
	seen := map[string]bool{}
	for _, rt := range h.routes() {
		if seen[rt.Pattern] {
			return fmt.Errorf("admin: route %q declared twice", rt.Pattern)
		}
		seen[rt.Pattern] = true
		mux.Handle(rt.Pattern, h.guard(rt))
	}
	mux.HandleFunc("/admin/", h.notFound)
	h.mux = mux
	return nil
}

// ServeHTTP serves an admin request. Nothing under /admin is cached or
// indexed.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Robots-Tag", "noindex, nofollow")
	h.mux.ServeHTTP(w, r)
}

// RoutePatterns lists every signed-in route with the permission it needs,
// for the role matrix test.
func (h *Handler) RoutePatterns() map[string]herald.Permission {
	out := map[string]herald.Permission{}
	for _, rt := range h.routes() {
		out[rt.Pattern] = rt.Perm
	}
	return out
}

// guard lets a request through to rt only with a live session whose role
// holds rt's permission, and, for anything but GET and HEAD, the
// session's CSRF token. Both are checked before the body is read (the
// token comes from a header or the form's first field), and so is what
// beforeBody asks of the route, so a request that may not be made never
// gets to send its upload.
func (h *Handler) guard(rt route) http.Handler {
	before := h.beforeBody(rt.Pattern)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sess, secret, err := h.session(r)
		if err != nil {
			h.signInFirst(w, r)
			return
		}
		if rt.Perm != "" && !sess.User.Role.Can(rt.Perm) {
			h.fail(w, r, herald.Errorf(herald.EFORBIDDEN, "Your role (%s) cannot do this; ask an %s.", sess.User.Role,
				rt.Perm.MinRole()))
			return
		}
		if !safeMethod(r.Method) && !h.validCSRF(r, secret) {
			h.fail(w, r, herald.Errorf(herald.EFORBIDDEN, "This form has expired. Go back, reload the page and try again."))
			return
		}
		r = r.WithContext(withSession(r.Context(), sess, secret))
		if before != nil {
			if err := before(r); err != nil {
				h.fail(w, r, err)
				return
			}
		}
		if err := parseUpload(w, r); err != nil {
			h.fail(w, r, err)
			return
		}
		rt.Handle(w, r)
	})
}

// Guard protects a page outside /admin, such as the development inbox,
// as the admin's own routes are: a live session whose role holds perm,
// and the CSRF token (CSRFToken) on anything but GET and HEAD. A page
// load without a session goes to the sign-in page and comes back after.
func (h *Handler) Guard(perm herald.Permission, next http.Handler) http.Handler {
	return h.guard(route{Perm: perm, Handle: next.ServeHTTP})
}

// Can reports whether r comes with a live session whose role holds perm,
// for endpoints that answer a refusal themselves (/metrics).
func (h *Handler) Can(r *http.Request, perm herald.Permission) bool {
	sess, _, err := h.session(r)
	return err == nil && sess.User.Role.Can(perm)
}

// CSRFToken is the token the forms of a request Guard let through must
// carry, in a field named "csrf".
func CSRFToken(r *http.Request) string { return csrfToken(r) }

func safeMethod(m string) bool { return m == http.MethodGet || m == http.MethodHead }
