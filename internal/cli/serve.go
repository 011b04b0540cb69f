package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"

	"github.com/herald-news/herald/internal/app"
	"github.com/herald-news/herald/internal/config"
	"github.com/herald-news/herald/internal/demo"
)

func runServe(e env, args []string) error {
	var withDemo bool
	demoFlag := func(fs *flag.FlagSet) {
		fs.BoolVar(&withDemo, "demo", false, "fill an empty database with the demo newsroom first")
	}
	return withApp(e, "serve", args, demoFlag, func(a *app.App, _ []string) error {
		if withDemo {
			if err := seedIfEmpty(e, a); err != nil {
				return err
			}
		}
		return serve(e, a)
	})
}

// runWorker is serve with the worker role: no web server.
func runWorker(e env, args []string) error {
	return withApp(e, "worker", append([]string{"-role", "worker"}, args...), nil, func(a *app.App, _ []string) error {
		return serve(e, a)
	})
}

// serve runs the roles the configuration asks for until the context ends,
// then shuts down gracefully: no new requests, running ones and running
// jobs finish.
func serve(e env, a *app.App) error {
	cfg := a.Config
	if err := a.StartJobs(e.ctx); err != nil {
		return err
	}
	var srv *http.Server
	serveErr := make(chan error, 1)
	if cfg.Role != "worker" {
		var err error
		if srv, err = a.HTTPServer(); err != nil {
			return err
		}
		ln, err := net.Listen("tcp", cfg.Addr)
		if err != nil {
			return fmt.Errorf("listen on %s: %w", cfg.Addr, err)
		}
		a.Logger.Info("herald is serving", "url", cfg.BaseURL, "addr", ln.Addr().String(), "database", config.Redact(cfg.DatabaseURL),
			"role", cfg.Role, "mail", a.Mail.Name())
		go func() { serveErr <- srv.Serve(ln) }()
	}
	select {
	case <-e.ctx.Done():
	case err := <-serveErr:
		if !errors.Is(err, http.ErrServerClosed) {
			return fmt.Errorf("serve: %w", err)
		}
	}
	a.Logger.Info("shutting down: finishing requests and jobs", "timeout", cfg.ShutdownFor)
	ctx, cancel := context.WithTimeout(context.Background(), cfg.ShutdownFor)
	defer cancel()
	if srv != nil {
		if err := srv.Shutdown(ctx); err != nil {
			a.Logger.Error("http shutdown", "err", err)
		}
	}
	if err := a.StopJobs(ctx); err != nil {
		a.Logger.Error("job queue shutdown", "err", err)
	}
	a.Logger.Info("stopped")
	return nil
}

// seedIfEmpty loads the demo newsroom into an empty database and leaves a
// database with content alone.
func seedIfEmpty(e env, a *app.App) error {
	empty, err := a.Newsroom.IsEmpty(e.ctx)
	if err != nil {
		return err
	}
	if !empty {
		a.Logger.Info("database has content; not loading the demo newsroom")
		return nil
	}
	n, err := demo.Seed(e.ctx, demoDeps(a))
	if err != nil {
		return fmt.Errorf("demo newsroom: %w", err)
	}
	a.Logger.Info("loaded the demo newsroom", "stories", n)
	return addDemoAdmin(e, a)
}

func runDemo(e env, args []string) error {
	return withApp(e, "demo", args, nil, func(a *app.App, _ []string) error {
		empty, err := a.Newsroom.IsEmpty(e.ctx)
		if err != nil {
			return err
		}
		if !empty {
			return fmt.Errorf("the database at %s already has content; the demo newsroom only goes into an empty one", config.Redact(a.Config.DatabaseURL))
		}
		n, err := demo.Seed(e.ctx, demoDeps(a))
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "Loaded the demo newsroom: %d stories. Run `herald serve` to see it.\n", n)
		return addDemoAdmin(e, a)
	})
}
