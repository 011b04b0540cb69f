package cli

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// syncBuffer is a bytes.Buffer safe to write from the server goroutine.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// freeAddr finds a loopback port nobody is listening on.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// mustServeDemo runs `herald serve --demo` in-process on a fresh data folder
// and returns its base URL; the server shuts down gracefully when the test
// ends, and the test fails if it does not exit cleanly.
func mustServeDemo(t *testing.T, args ...string) string {
	t.Helper()
	addr := freeAddr(t)
	base := "http://" + addr
	mustRunUntilHealthy(t, append([]string{"serve", "--demo", "-addr", addr, "-data-dir", t.TempDir()}, args...), base+"/healthz")
	return base
}

// mustRunUntilHealthy runs the command args in-process until healthz
// answers 200, and returns its logs so far; the command stops gracefully
// when the test ends, and the test fails if it does not exit cleanly.
func mustRunUntilHealthy(t *testing.T, args []string, healthz string) *syncBuffer {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	logs := &syncBuffer{}
	done := make(chan int, 1)
	go func() {
		done <- Run(ctx, args, io.Discard, logs, func(string) string { return "" })
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case code := <-done:
			if code != 0 {
				t.Errorf("%s exited %d:\n%s", args[0], code, logs.String())
			}
		case <-time.After(30 * time.Second):
			t.Errorf("%s did not shut down within 30s", args[0])
		}
	})
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case code := <-done:
			t.Fatalf("%s exited early with %d:\n%s", args[0], code, logs.String())
		default:
		}
		if resp, err := http.Get(healthz); err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return logs
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("%s not healthy within 60s:\n%s", args[0], logs.String())
	return nil
}

func mustFetch(t *testing.T, url string, header ...string) (int, string) {
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
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(body)
}

// testMetricsToken is the -metrics-token of the demo newsroom's server.
const testMetricsToken = "cli-test-metrics-token"

func TestServeDemoNewsroom(t *testing.T) {
	base := mustServeDemo(t, "-metrics-token", testMetricsToken)
	status, home := mustFetch(t, base+"/")
	if status != 200 || !strings.Contains(home, "The Herald Daily") {
		t.Fatalf("home = %d", status)
	}
	for _, want := range []string{"just now - ", " mins ago - ", " hours ago - ", "Updated "} {
		if !strings.Contains(visibleText(home+pageTwo(t, base)), want) {
			t.Errorf("home stream lacks a card reading %q", want)
		}
	}
	for _, path := range []string{"/local/denver", "/local/des-moines", "/local/twin-cities", "/local/tampa-bay", "/local/charlotte",
		"/sections/politics", "/static/site.css", "/healthz"} {
		if status, _ := mustFetch(t, base+path); status != 200 {
			t.Errorf("GET %s = %d", path, status)
		}
	}
	if status, _ := mustFetch(t, base+"/metrics"); status != http.StatusUnauthorized {
		t.Errorf("GET /metrics without the token = %d, want 401", status)
	}
	// Every photo on the home page is served from the media store.
	for _, src := range between(home, `src="`, `"`) {
		if status, _ := mustFetch(t, base+src); status != 200 {
			t.Errorf("GET %s = %d", src, status)
		}
	}
	if _, metrics := mustFetch(t, base+"/metrics", "Authorization", "Bearer "+testMetricsToken); !strings.Contains(metrics, `herald_http_requests_total{code="200",route="GET /{$}"}`) {
		t.Error("metrics do not count home page requests by route")
	}
}

// A worker has no site, but its ops listener answers /healthz and
// /metrics without auth, and its start log says where.
func TestWorkerServesHealthAndMetricsOnTheOpsAddress(t *testing.T) {
	dir := t.TempDir()
	if code, out, errOut := run(t, "migrate", "-data-dir", dir); code != 0 {
		t.Fatalf("migrate: %d %s %s", code, out, errOut)
	}
	ops, site := freeAddr(t), freeAddr(t)
	logs := mustRunUntilHealthy(t, []string{"worker", "-data-dir", dir, "-addr", site, "-metrics-addr", ops}, "http://"+ops+"/healthz")
	if status, body := mustFetch(t, "http://"+ops+"/healthz"); status != 200 || body != "ok\n" {
		t.Errorf("worker /healthz = %d %q", status, body)
	}
	status, metrics := mustFetch(t, "http://"+ops+"/metrics")
	for _, want := range []string{"herald_editions_blocked_total 0", "go_goroutines"} {
		if status != 200 || !strings.Contains(metrics, want) {
			t.Errorf("worker /metrics = %d, lacks %s", status, want)
		}
	}
	if status, _ := mustFetch(t, "http://"+ops+"/"); status != 404 {
		t.Errorf("worker ops listener GET / = %d, want 404", status)
	}
	if _, err := http.Get("http://" + site + "/healthz"); err == nil {
		t.Error("a worker serves the site")
	}
	if l := logs.String(); !strings.Contains(l, "herald worker is running") || !strings.Contains(l, "ops="+ops) {
		t.Errorf("the worker's start log does not say where it listens:\n%s", l)
	}
}

// A web node with -metrics-addr also serves the ops listener, whose
// metrics count the site's requests; the site's own /metrics stays shut.
func TestServeOpsListenerCountsTheSite(t *testing.T) {
	dir := t.TempDir()
	if code, out, errOut := run(t, "migrate", "-data-dir", dir); code != 0 {
		t.Fatalf("migrate: %d %s %s", code, out, errOut)
	}
	ops, site := freeAddr(t), freeAddr(t)
	logs := mustRunUntilHealthy(t, []string{"serve", "-data-dir", dir, "-addr", site, "-metrics-addr", ops}, "http://"+site+"/healthz")
	if status, _ := mustFetch(t, "http://"+site+"/metrics"); status != http.StatusUnauthorized {
		t.Errorf("the site's /metrics without a session or token = %d, want 401", status)
	}
	status, metrics := mustFetch(t, "http://"+ops+"/metrics")
	if status != 200 || !strings.Contains(metrics, `herald_http_requests_total{code="200",route="GET /healthz"}`) {
		t.Errorf("ops /metrics = %d, lacks the site's requests", status)
	}
	if l := logs.String(); !strings.Contains(l, "herald is serving") || !strings.Contains(l, "ops="+ops) {
		t.Errorf("the start log does not say where the ops listener is:\n%s", l)
	}
}

// pageTwo is the second page of the home stream.
func pageTwo(t *testing.T, base string) string {
	_, body := mustFetch(t, base+"/?page=2")
	return body
}

// visibleText drops the tags of an HTML page, leaving what a reader sees.
func visibleText(page string) string {
	return strings.Join(strings.Fields(regexp.MustCompile(`<[^>]*>`).ReplaceAllString(page, "")), " ")
}

// between returns every substring of s between open and close.
func between(s, open, close string) []string {
	var out []string
	for {
		i := strings.Index(s, open)
		if i < 0 {
			return out
		}
		s = s[i+len(open):]
		j := strings.Index(s, close)
		if j < 0 {
			return out
		}
		out = append(out, s[:j])
		s = s[j:]
	}
}

func TestVersionAndUnknownCommand(t *testing.T) {
	var out, errOut bytes.Buffer
	if code := Run(context.Background(), []string{"version"}, &out, &errOut, func(string) string { return "" }); code != 0 || !strings.HasPrefix(out.String(), "herald ") {
		t.Errorf("version: %d %q", code, out.String())
	}
	if code := Run(context.Background(), []string{"frobnicate"}, &out, &errOut, func(string) string { return "" }); code != 2 || !strings.Contains(errOut.String(), `unknown command "frobnicate"`) {
		t.Errorf("unknown command: %d %q", code, errOut.String())
	}
	errOut.Reset()
	code := Run(context.Background(), []string{"migrate", "-time-zone", "Mars/Base"}, &out, &errOut, func(string) string { return "" })
	if code != 1 || !strings.Contains(errOut.String(), "time-zone") {
		t.Errorf("bad config: %d %q", code, errOut.String())
	}
}
