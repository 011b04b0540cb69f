package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/internal/config"
	"github.com/herald-news/herald/internal/jobs"
	"github.com/herald-news/herald/internal/media"
	"github.com/herald-news/herald/internal/sqldb"
	"github.com/herald-news/herald/internal/storyfile"
)

// app is an open, migrated database and the services on it.
type app struct {
	cfg      *config.Config
	logger   *slog.Logger
	db       *sqldb.DB
	stories  *sqldb.StoryService
	newsroom *sqldb.NewsroomService
	site     *sqldb.SiteService
	media    *media.Store
	clock    herald.Clock
}

// openApp opens and migrates the database the configuration names.
func openApp(ctx context.Context, cfg *config.Config, logs io.Writer) (*app, error) {
	db, err := sqldb.Open(cfg.DatabaseURL)
	if err != nil {
		return nil, err
	}
	if err := db.Migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	if err := jobs.Migrate(ctx, db.SQL()); err != nil {
		db.Close()
		return nil, err
	}
	return &app{
		cfg: cfg, logger: cfg.Logger(logs), db: db,
		stories: sqldb.NewStoryService(db), newsroom: sqldb.NewNewsroomService(db), site: sqldb.NewSiteService(db),
		media: &media.Store{Dir: cfg.MediaDir}, clock: herald.SystemClock{},
	}, nil
}

// attachQueue makes scheduled stories enqueue their publish job; work
// decides whether this process also runs jobs.
func (a *app) attachQueue(work bool) (*jobs.Queue, error) {
	q, err := jobs.New(a.db.SQL(), jobs.Options{Stories: a.stories, Clock: a.clock, Logger: a.logger, Work: work})
	if err != nil {
		return nil, fmt.Errorf("job queue: %w", err)
	}
	a.stories.Jobs = q
	return q, nil
}

func (a *app) importer() *storyfile.Importer {
	return &storyfile.Importer{Newsroom: a.newsroom, Stories: a.stories, Media: a.media, Clock: a.clock}
}

func (a *app) close() { a.db.Close() }

// withApp parses a command's flags (the configuration plus extra), opens
// the database and runs fn with the remaining arguments.
func withApp(e env, name string, args []string, extra func(*flag.FlagSet), fn func(a *app, args []string) error) error {
	cfg, fs, err := parseFlags(e, name, args, extra)
	if err != nil {
		return err
	}
	a, err := openApp(e.ctx, cfg, e.stderr)
	if err != nil {
		return err
	}
	defer a.close()
	return fn(a, fs.Args())
}
