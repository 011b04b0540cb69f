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

// testMetricsToken is the metrics token of mustServer's server.
const testMetricsToken = "metrics-token-for-tests"

// staffHeader marks a request as from staff allowed to read /metrics, in
// place of the admin's session check.
const staffHeader = "X-Test-Staff"

func mustServer(t *testing.T, site http.Handler) (*httptest.Server, func() error) {
	t.Helper()
	db := sqldbtest.MustOpen(t)
	reg := prometheus.NewRegistry()
	s := web.NewServer(slog.New(slog.NewTextHandler(io.Discard, nil)), db.SQL(),
		web.Surfaces{Site: site, Static: http.NotFoundHandler(), Media: http.NotFoundHandler()}, reg)
	s.MetricsToken = testMetricsToken
	s.MetricsStaff = func(r *http.Request) bool { return r.Header.Get(staffHeader) == "yes" }
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(srv.Close)
	return srv, db.Close
}

func get(t *testing.T, url string, header ...string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
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
	_, metrics := get(t, srv.URL+"/metrics", "Authorization", "Bearer "+testMetricsToken)
	if !strings.Contains(metrics, `herald_http_requests_total{code="200",route="GET /{$}"} 1`) {
		t.Error("home request not counted by route")
	}
	if strings.Contains(metrics, "random-") {
		t.Error("metrics are labelled with raw paths")
	}
}

// /metrics on the site answers the metrics token or staff, and 401 with
// a sentence saying what to do to anyone else, a wrong token included.
func TestMetricsNeedTheTokenOrStaff(t *testing.T) {
	srv, _ := mustServer(t, http.NotFoundHandler())
	tests := []struct {
		name   string
		header []string
		want   int
	}{
		{"anonymous", nil, http.StatusUnauthorized},
		{"the token", []string{"Authorization", "Bearer " + testMetricsToken}, http.StatusOK},
		{"the token, scheme in lower case", []string{"Authorization", "bearer " + testMetricsToken}, http.StatusOK},
		{"a wrong token", []string{"Authorization", "Bearer " + testMetricsToken + "x"}, http.StatusUnauthorized},
		{"a prefix of the token", []string{"Authorization", "Bearer " + testMetricsToken[:8]}, http.StatusUnauthorized},
		{"Basic credentials", []string{"Authorization", "Basic " + testMetricsToken}, http.StatusUnauthorized},
		{"staff", []string{staffHeader, "yes"}, http.StatusOK},
		{"staff with a wrong token", []string{staffHeader, "yes", "Authorization", "Bearer wrong"}, http.StatusUnauthorized},
	}
	for _, tt := range tests {
		resp, body := get(t, srv.URL+"/metrics", tt.header...)
		if resp.StatusCode != tt.want {
			t.Errorf("%s: %d, want %d", tt.name, resp.StatusCode, tt.want)
			continue
		}
		if tt.want == http.StatusOK && !strings.Contains(body, "herald_http_requests_total") {
			t.Errorf("%s: no metrics in %q", tt.name, body)
		}
		if tt.want == http.StatusUnauthorized {
			if strings.Contains(body, "herald_") || !strings.Contains(body, "Metrics are for the newsroom's operators") {
				t.Errorf("%s: refusal reads %q", tt.name, body)
			}
			if resp.Header.Get("WWW-Authenticate") == "" {
				t.Errorf("%s: 401 without WWW-Authenticate", tt.name)
			}
		}
	}
}

// Without a token or a staff check configured, nobody reads the site's
// /metrics, whatever token they send.
func TestMetricsClosedWithoutTokenOrStaff(t *testing.T) {
	db := sqldbtest.MustOpen(t)
	s := web.NewServer(slog.New(slog.NewTextHandler(io.Discard, nil)), db.SQL(),
		web.Surfaces{Site: http.NotFoundHandler(), Static: http.NotFoundHandler(), Media: http.NotFoundHandler()}, prometheus.NewRegistry())
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(srv.Close)
	for _, header := range [][]string{nil, {"Authorization", "Bearer "}, {"Authorization", "Bearer anything"}} {
		if resp, _ := get(t, srv.URL+"/metrics", header...); resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("%v: %d, want 401", header, resp.StatusCode)
		}
	}
}

// The ops listener serves health and metrics without auth, and nothing
// else.
func TestOpsHandlerServesHealthAndMetrics(t *testing.T) {
	db := sqldbtest.MustOpen(t)
	reg := prometheus.NewRegistry()
	counter := prometheus.NewCounter(prometheus.CounterOpts{Name: "herald_test_total", Help: "A test counter."})
	reg.MustRegister(counter)
	counter.Inc()
	srv := httptest.NewServer(web.OpsHandler(slog.New(slog.NewTextHandler(io.Discard, nil)), db.SQL(), reg))
	t.Cleanup(srv.Close)
	if resp, body := get(t, srv.URL+"/healthz"); resp.StatusCode != 200 || body != "ok\n" {
		t.Errorf("/healthz: %d %q", resp.StatusCode, body)
	}
	if resp, body := get(t, srv.URL+"/metrics"); resp.StatusCode != 200 || !strings.Contains(body, "herald_test_total 1") {
		t.Errorf("/metrics: %d %q", resp.StatusCode, body)
	}
	for _, path := range []string{"/", "/dev/inbox/", "/admin/"} {
		if resp, _ := get(t, srv.URL+path); resp.StatusCode != 404 {
			t.Errorf("%s: %d, want 404", path, resp.StatusCode)
		}
	}
	db.Close()
	if resp, _ := get(t, srv.URL+"/healthz"); resp.StatusCode != 503 {
		t.Errorf("/healthz with the database closed: %d, want 503", resp.StatusCode)
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
