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

// runWorker is serve with the worker role: no site, only the ops
// listener when -metrics-addr is set.
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
	srv, ops, err := a.Servers()
	if err != nil {
		return err
	}
	// Listen first, log, then serve: once an address answers, the log
	// already says where everything is.
	opsAddr := "none (set -metrics-addr to serve /healthz and /metrics)"
	var opsLn, siteLn net.Listener
	if ops != nil {
		if opsLn, err = net.Listen("tcp", cfg.MetricsAddr); err != nil {
			return fmt.Errorf("listen on metrics-addr %s: %w", cfg.MetricsAddr, err)
		}
		opsAddr = opsLn.Addr().String()
	}
	if srv != nil {
		if siteLn, err = net.Listen("tcp", cfg.Addr); err != nil {
			if opsLn != nil {
				opsLn.Close()
			}
			return fmt.Errorf("listen on %s: %w", cfg.Addr, err)
		}
		a.Logger.Info("herald is serving", "url", cfg.BaseURL, "addr", siteLn.Addr().String(), "ops", opsAddr,
			"database", config.Redact(cfg.DatabaseURL), "role", cfg.Role, "mail", a.Mail.Name())
	} else {
		a.Logger.Info("herald worker is running", "ops", opsAddr, "database", config.Redact(cfg.DatabaseURL),
			"node", cfg.Node, "mail", a.Mail.Name())
	}
	serveErr := make(chan error, 2)
	if ops != nil {
		go func() { serveErr <- ops.Serve(opsLn) }()
	}
	if srv != nil {
		go func() { serveErr <- srv.Serve(siteLn) }()
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
	for _, hs := range []*http.Server{srv, ops} {
		if hs == nil {
			continue
		}
		if err := hs.Shutdown(ctx); err != nil {
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
