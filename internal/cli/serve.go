package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/herald-news/herald/internal/demo"
	"github.com/herald-news/herald/internal/web"
	"github.com/herald-news/herald/internal/web/site"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
)

func runServe(e env, args []string) error {
	var withDemo bool
	demoFlag := func(fs *flag.FlagSet) {
		fs.BoolVar(&withDemo, "demo", false, "fill an empty database with the demo newsroom first")
	}
	return withApp(e, "serve", args, demoFlag, func(a *app, _ []string) error {
		if withDemo {
			if err := seedIfEmpty(e, a); err != nil {
				return err
			}
		}
		return serve(e, a)
	})
}

// serve runs the roles the configuration asks for until the context ends,
// then shuts down gracefully.
func serve(e env, a *app) error {
	cfg := a.cfg
	queue, err := a.attachQueue(cfg.Role != "web")
	if err != nil {
		return err
	}
	if cfg.Role != "web" {
		if err := queue.Start(e.ctx); err != nil {
			return err
		}
	}
	var srv *http.Server
	serveErr := make(chan error, 1)
	if cfg.Role != "worker" {
		srv, err = a.httpServer()
		if err != nil {
			return err
		}
		ln, err := net.Listen("tcp", cfg.Addr)
		if err != nil {
			return fmt.Errorf("listen on %s: %w", cfg.Addr, err)
		}
		a.logger.Info("herald is serving", "url", cfg.BaseURL, "addr", ln.Addr().String(), "database", cfg.DatabaseURL, "role", cfg.Role)
		go func() { serveErr <- srv.Serve(ln) }()
	}
	select {
	case <-e.ctx.Done():
	case err := <-serveErr:
		if !errors.Is(err, http.ErrServerClosed) {
			return fmt.Errorf("serve: %w", err)
		}
	}
	a.logger.Info("shutting down: finishing requests and jobs", "timeout", cfg.ShutdownFor)
	ctx, cancel := context.WithTimeout(context.Background(), cfg.ShutdownFor)
	defer cancel()
	if srv != nil {
		if err := srv.Shutdown(ctx); err != nil {
			a.logger.Error("http shutdown", "err", err)
		}
	}
	if cfg.Role != "web" {
		if err := queue.Stop(ctx); err != nil {
			a.logger.Error("job queue shutdown", "err", err)
		}
	}
	a.logger.Info("stopped")
	return nil
}

// httpServer assembles the site, media, health and metrics endpoints.
func (a *app) httpServer() (*http.Server, error) {
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	pages := &site.Handler{Stories: a.stories, Newsroom: a.newsroom, Site: a.site, Clock: a.clock,
		Location: a.cfg.Location(), BaseURL: a.cfg.BaseURL, PageSize: a.cfg.PageSize, Logger: a.logger}
	if err := pages.Init(); err != nil {
		return nil, err
	}
	server := web.NewServer(a.logger, a.db.SQL(), pages, site.Static(), a.media.Handler(), reg)
	return &http.Server{
		Handler:           server.Handler(reg),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
	}, nil
}

// seedIfEmpty loads the demo newsroom into an empty database and leaves a
// database with content alone.
func seedIfEmpty(e env, a *app) error {
	empty, err := a.newsroom.IsEmpty(e.ctx)
	if err != nil {
		return err
	}
	if !empty {
		a.logger.Info("database has content; not loading the demo newsroom")
		return nil
	}
	n, err := demo.Seed(e.ctx, a.demoDeps())
	if err != nil {
		return fmt.Errorf("demo newsroom: %w", err)
	}
	a.logger.Info("loaded the demo newsroom", "stories", n)
	return nil
}

func (a *app) demoDeps() demo.Deps {
	return demo.Deps{Newsroom: a.newsroom, Site: a.site, Importer: a.importer()}
}

func runDemo(e env, args []string) error {
	return withApp(e, "demo", args, nil, func(a *app, _ []string) error {
		if _, err := a.attachQueue(false); err != nil {
			return err
		}
		empty, err := a.newsroom.IsEmpty(e.ctx)
		if err != nil {
			return err
		}
		if !empty {
			return fmt.Errorf("the database at %s already has content; the demo newsroom only goes into an empty one", a.cfg.DatabaseURL)
		}
		n, err := demo.Seed(e.ctx, a.demoDeps())
		if err != nil {
			return err
		}
		_, err = fmt.Fprintf(e.stdout, "Loaded the demo newsroom: %d stories. Run `herald serve` to see it.\n", n)
		return err
	})
}
