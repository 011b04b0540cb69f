package web_test

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/internal/sqldb/sqldbtest"
	"github.com/herald-news/herald/internal/web"
	"github.com/prometheus/client_golang/prometheus"
)

func mustServer(t *testing.T, site http.Handler) (*httptest.Server, func() error) {
	t.Helper()
	db := sqldbtest.MustOpen(t)
	reg := prometheus.NewRegistry()
	s := web.NewServer(slog.New(slog.NewTextHandler(io.Discard, nil)), db.SQL(),
		web.Surfaces{Site: site, Static: http.NotFoundHandler(), Media: http.NotFoundHandler()}, reg)
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(srv.Close)
	return srv, db.Close
}

func get(t *testing.T, url string) (*http.Response, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp, string(body)
}

func TestHealthzReportsTheDatabase(t *testing.T) {
	srv, closeDB := mustServer(t, http.NotFoundHandler())
	if resp, body := get(t, srv.URL+"/healthz"); resp.StatusCode != 200 || body != "ok\n" {
		t.Errorf("healthy: %d %q", resp.StatusCode, body)
	}
	closeDB()
	if resp, _ := get(t, srv.URL+"/healthz"); resp.StatusCode != 503 {
		t.Errorf("database closed: %d, want 503", resp.StatusCode)
	}
}

func TestEveryResponseCarriesSecurityHeadersAndIsCounted(t *testing.T) {
	site := http.NewServeMux()
	site.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "home") })
	site.HandleFunc("GET /boom", func(http.ResponseWriter, *http.Request) { panic("kaboom") })
	srv, _ := mustServer(t, site)

	resp, _ := get(t, srv.URL+"/")
	for _, h := range []string{"Content-Security-Policy", "X-Content-Type-Options", "X-Frame-Options", "Referrer-Policy"} {
		if resp.Header.Get(h) == "" {
			t.Errorf("missing %s", h)
		}
	}
	if resp, body := get(t, srv.URL+"/boom"); resp.StatusCode != 500 || strings.Contains(body, "kaboom") {
		t.Errorf("panic: %d %q (must be a 500 that leaks nothing)", resp.StatusCode, body)
	}
	get(t, srv.URL+"/random-"+strings.Repeat("x", 20))
	_, metrics := get(t, srv.URL+"/metrics")
	if !strings.Contains(metrics, `herald_http_requests_total{code="200",route="GET /{$}"} 1`) {
		t.Error("home request not counted by route")
	}
	if strings.Contains(metrics, "random-") {
		t.Error("metrics are labelled with raw paths")
	}
}

func TestErrorStatus(t *testing.T) {
	tests := map[error]int{
		herald.Errorf(herald.ENOTFOUND, "x"):     404,
		herald.Errorf(herald.EINVALID, "x"):      400,
		herald.Errorf(herald.ECONFLICT, "x"):     409,
		herald.Errorf(herald.EUNAUTHORIZED, "x"): 401,
		io.ErrUnexpectedEOF:                      500,
	}
	for err, want := range tests {
		if got := web.ErrorStatus(err); got != want {
			t.Errorf("ErrorStatus(%v) = %d, want %d", err, got, want)
		}
	}
}
