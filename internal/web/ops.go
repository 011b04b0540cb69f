package web

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"database/sql"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// The operations endpoints: /healthz for load balancers and /metrics for
// Prometheus. The metrics name routes, bounce and complaint rates and the
// process's memory, so on the site they answer only staff allowed to see
// them or a scraper with the metrics token. The ops listener (OpsHandler)
// serves both without auth on an address the operator keeps private; it
// is also how a worker, which has no site, is watched.

// metricsRefusal is the body of a 401 from the site's /metrics.
const metricsRefusal = "Metrics are for the newsroom's operators. Sign in to /admin/ as an admin, " +
	"send the metrics token as \"Authorization: Bearer TOKEN\", or scrape the ops listener (-metrics-addr).\n"

// OpsHandler serves GET /healthz and GET /metrics without auth, for the
// ops listener: bind it to loopback or a private network only.
func OpsHandler(logger *slog.Logger, db *sql.DB, reg *prometheus.Registry) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /healthz", healthz(logger, db))
	mux.Handle("GET /metrics", metricsHandler(reg))
	return mux
}

// metricsHandler is the Prometheus exposition of reg, never cached.
func metricsHandler(reg *prometheus.Registry) http.Handler {
	h := promhttp.HandlerFor(reg, promhttp.HandlerOpts{})
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		h.ServeHTTP(w, r)
	})
}

// metricsGate lets through a request with the metrics token or, without
// an Authorization header, one MetricsStaff accepts; it answers 401 to
// the rest. A wrong token is refused even with a session, so a scraper's
// misconfiguration shows at once.
func (s *Server) metricsGate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var ok bool
		if token, sent := bearerToken(r); sent {
			ok = s.MetricsToken != "" && sameSecret(token, s.MetricsToken)
		} else {
			ok = s.MetricsStaff != nil && s.MetricsStaff(r)
		}
		if !ok {
			w.Header().Set("WWW-Authenticate", `Bearer realm="herald metrics"`)
			w.Header().Set("Cache-Control", "no-store")
			http.Error(w, metricsRefusal, http.StatusUnauthorized)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// bearerToken returns the token of an "Authorization: Bearer" header and
// whether the request sent an Authorization header at all.
func bearerToken(r *http.Request) (string, bool) {
	v := r.Header.Get("Authorization")
	if v == "" {
		return "", false
	}
	scheme, token, _ := strings.Cut(v, " ")
	if !strings.EqualFold(scheme, "Bearer") {
		return "", true
	}
	return strings.TrimSpace(token), true
}

// sameSecret compares two secrets in constant time; hashing first keeps
// the length of the real one from showing.
func sameSecret(got, want string) bool {
	g, w := sha256.Sum256([]byte(got)), sha256.Sum256([]byte(want))
	return subtle.ConstantTimeCompare(g[:], w[:]) == 1
}

// healthz answers "ok" while the database answers.
func healthz(logger *slog.Logger, db *sql.DB) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		if err := db.PingContext(ctx); err != nil {
			logger.Error("health check: database unreachable", "err", err)
			w.WriteHeader(http.StatusServiceUnavailable)
			w.Write([]byte("database unreachable\n"))
			return
		}
		w.Write([]byte("ok\n"))
	}
}
