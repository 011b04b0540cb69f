// Package web serves Herald over HTTP: the middleware every surface shares,
// the mapping of domain errors to statuses, and the assembly of the public
// site (web/site) with health and metrics endpoints.
package web

import (
	"context"
	"database/sql"
	"log/slog"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Server holds the HTTP surfaces and the middleware around them.
type Server struct {
	Logger  *slog.Logger
	DB      *sql.DB // pinged by /healthz
	Site    http.Handler
	Static  http.Handler
	Media   http.Handler
	metrics *httpMetrics
}

// NewServer returns a server whose metrics register with reg.
func NewServer(logger *slog.Logger, db *sql.DB, site, static, media http.Handler, reg *prometheus.Registry) *Server {
	return &Server{Logger: logger, DB: db, Site: site, Static: static, Media: media, metrics: newHTTPMetrics(reg)}
}

// Handler is the whole HTTP handler, middleware included.
func (s *Server) Handler(reg *prometheus.Registry) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", s.healthz)
	mux.Handle("GET /metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
	mux.Handle("GET /media/", http.StripPrefix("/media/", s.Media))
	mux.Handle("GET /static/", http.StripPrefix("/static/", s.Static))
	mux.Handle("/", s.Site)
	return s.recoverPanics(s.observe(securityHeaders(mux)))
}

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	if err := s.DB.PingContext(ctx); err != nil {
		s.Logger.Error("health check: database unreachable", "err", err)
		w.WriteHeader(http.StatusServiceUnavailable)
		w.Write([]byte("database unreachable\n"))
		return
	}
	w.Write([]byte("ok\n"))
}
