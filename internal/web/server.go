// Package web serves Herald over HTTP: the middleware every surface shares,
// the mapping of domain errors to statuses, and the assembly of the public
// site (web/site) with health and metrics endpoints, and the ops listener.
package web

import (
	"database/sql"
	"log/slog"
	"net/http"
	"net/netip"

	"github.com/prometheus/client_golang/prometheus"
)

// Surfaces are the handlers a server mounts.
type Surfaces struct {
	Site   http.Handler // everything not matched below
	Static http.Handler // mounted at /static/
	Media  http.Handler // mounted at /media/
	API    http.Handler // mounted at /api/v1/
	// DevInbox, when set, is mounted at /dev/inbox/ and sees whole paths:
	// only while the development inbox is the mail transport. It checks
	// for a staff session itself (admin.Handler.Guard), since the mail
	// holds readers' confirmation links.
	DevInbox http.Handler
	// Admin, when set, is mounted at /admin/: the newsroom's interface.
	Admin http.Handler
	// Webhooks, when set, is mounted at /webhooks/: mail providers'
	// bounce and complaint events.
	Webhooks http.Handler
}

// Server holds the HTTP surfaces and the middleware around them.
type Server struct {
	// TrustedProxies are the reverse proxies whose X-Forwarded-For names
	// the client; requests from elsewhere keep their peer address.
	TrustedProxies []netip.Prefix
	// HSTS makes browsers use https only (Strict-Transport-Security): set
	// when the base URL is https.
	HSTS bool
	// MetricsToken, when set, is a bearer token that may read /metrics.
	MetricsToken string
	// MetricsStaff reports whether a request without a token comes from
	// a member of staff allowed to read /metrics; nil: nobody is.
	MetricsStaff func(*http.Request) bool

	logger   *slog.Logger
	db       *sql.DB // pinged by /healthz
	surfaces Surfaces
	reg      *prometheus.Registry
	metrics  *httpMetrics
}

// NewServer returns a server whose metrics register with reg.
func NewServer(logger *slog.Logger, db *sql.DB, s Surfaces, reg *prometheus.Registry) *Server {
	return &Server{logger: logger, db: db, surfaces: s, reg: reg, metrics: newHTTPMetrics(reg)}
}

// Handler is the whole HTTP handler, middleware included. State-changing
// requests from other sites are refused (CSRF); the one-click unsubscribe
// endpoint and the webhooks are exempt because mail providers post to
// them from their servers and a token or signature authenticates them.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /healthz", healthz(s.logger, s.db))
	mux.Handle("GET /metrics", s.metricsGate(metricsHandler(s.reg)))
	mux.Handle("GET /media/", http.StripPrefix("/media/", s.surfaces.Media))
	mux.Handle("GET /static/", http.StripPrefix("/static/", s.surfaces.Static))
	if s.surfaces.API != nil {
		mux.Handle("/api/v1/", s.surfaces.API)
	}
	if s.surfaces.DevInbox != nil {
		mux.Handle("/dev/inbox/", s.surfaces.DevInbox)
		mux.Handle("GET /dev/inbox", http.RedirectHandler("/dev/inbox/", http.StatusMovedPermanently))
	}
	if s.surfaces.Admin != nil {
		mux.Handle("/admin/", s.surfaces.Admin)
		mux.Handle("GET /admin", http.RedirectHandler("/admin/", http.StatusMovedPermanently))
	}
	if s.surfaces.Webhooks != nil {
		mux.Handle("/webhooks/", s.surfaces.Webhooks)
	}
	mux.Handle("/", s.surfaces.Site)
	csrf := http.NewCrossOriginProtection()
	csrf.AddInsecureBypassPattern("POST /unsubscribe/{token}")
	csrf.AddInsecureBypassPattern("POST /webhooks/") // providers' servers post here; signatures authenticate them
	return forwardedFor(s.TrustedProxies, s.recoverPanics(s.observe(securityHeaders(s.HSTS, csrf.Handler(mux)))))
}
