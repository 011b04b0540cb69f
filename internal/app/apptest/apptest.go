// Package apptest starts a whole Herald for end-to-end tests: a fresh
// database (PostgreSQL when HERALD_TEST_POSTGRES is set, see sqldbtest),
// the real HTTP handler on a loopback server, and the job queue and sender
// running. The app, API and admin tests all build on it.
package apptest

import (
	"context"
	"flag"
	"strings"
	"testing"
	"time"

	"net/http/httptest"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/internal/app"
	"github.com/herald-news/herald/internal/config"
	"github.com/herald-news/herald/internal/sqldb/sqldbtest"
)

// Config resolves a configuration for a test: a temporary data folder, a
// fresh database, quiet logs, no editions sent on the newsletters' own
// cadence (they would depend on the hour the test runs), then args.
func Config(t testing.TB, args ...string) *config.Config {
	t.Helper()
	var cfg config.Config
	fs := flag.NewFlagSet("test", flag.ContinueOnError)
	cfg.Register(fs)
	base := []string{"-data-dir", t.TempDir(), "-database-url", sqldbtest.MustURL(t), "-log-level", "error", "-auto-editions=false"}
	if err := fs.Parse(append(base, args...)); err != nil {
		t.Fatal(err)
	}
	if err := cfg.Resolve(fs, func(string) string { return "" }); err != nil {
		t.Fatal(err)
	}
	return &cfg
}

// Options change what Start builds.
type Options struct {
	Args  []string             // configuration flags, after the test defaults
	Clock herald.Clock         // default: the system clock
	Seed  func(*app.App) error // stores content before the server starts
}

// Server is a running Herald.
type Server struct {
	App *app.App
	URL string // http://127.0.0.1:PORT, also the configured base URL
}

// Start opens Herald on a new database, seeds it, serves it on loopback
// and starts its jobs; everything stops when the test ends.
func Start(t testing.TB, opts Options) *Server {
	t.Helper()
	ctx := context.Background()
	srv := httptest.NewUnstartedServer(nil)
	base := "http://" + srv.Listener.Addr().String()
	cfg := Config(t, append([]string{"-base-url", base}, opts.Args...)...)
	a, err := app.Open(ctx, cfg, app.Options{Logs: Log{t}, Clock: opts.Clock})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	if opts.Seed != nil {
		if err := opts.Seed(a); err != nil {
			t.Fatal(err)
		}
	}
	handler, err := a.Handler()
	if err != nil {
		t.Fatal(err)
	}
	srv.Config.Handler = handler
	srv.Start()
	t.Cleanup(srv.Close)
	if err := a.StartJobs(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		stop, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		a.StopJobs(stop)
	})
	return &Server{App: a, URL: base}
}

// Log sends the app's logs to the test's log.
type Log struct{ T testing.TB }

func (l Log) Write(p []byte) (int, error) {
	l.T.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}
