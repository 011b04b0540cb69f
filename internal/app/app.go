// Package app assembles Herald from its parts: the database, the services
// on it, mail, the job queue and the HTTP surfaces. The CLI and end-to-end
// tests build the same thing through it.
package app

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"time"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/internal/address"
	"github.com/herald-news/herald/internal/bounce"
	"github.com/herald-news/herald/internal/config"
	"github.com/herald-news/herald/internal/delivery"
	"github.com/herald-news/herald/internal/editions"
	"github.com/herald-news/herald/internal/jobs"
	"github.com/herald-news/herald/internal/mail"
	"github.com/herald-news/herald/internal/mail/compose"
	"github.com/herald-news/herald/internal/mail/devinbox"
	"github.com/herald-news/herald/internal/mail/smtpmail"
	"github.com/herald-news/herald/internal/media"
	"github.com/herald-news/herald/internal/sqldb"
	"github.com/herald-news/herald/internal/storyfile"
	"github.com/herald-news/herald/internal/subscribe"
	"github.com/herald-news/herald/internal/token"
	"github.com/herald-news/herald/internal/web/webhooks"
	"github.com/prometheus/client_golang/prometheus"
)

// Options are what a caller may put in place of the defaults.
type Options struct {
	Logs     io.Writer        // where logs go; required
	Clock    herald.Clock     // default: the system clock
	Resolver address.Resolver // default: the system DNS resolver
}

// App is an open, migrated Herald.
type App struct {
	Config      *config.Config
	Logger      *slog.Logger
	DB          *sqldb.DB
	Clock       herald.Clock
	Stories     *sqldb.StoryService
	Newsroom    *sqldb.NewsroomService
	Site        *sqldb.SiteService
	Subscribers *sqldb.SubscriberService
	Staff       *sqldb.StaffService
	Media       *media.Store
	Mail        mail.Transport
	Inbox       *devinbox.Transport // nil when mail goes to a relay
	Subscribe   *subscribe.Service
	Queue       *jobs.Queue

	Editions       *sqldb.EditionService
	Desk           *editions.Desk
	Sender         *delivery.Sender
	ComposeOptions compose.Options

	Bounces       *sqldb.BounceService
	Bounce        *bounce.Processor // records bounces and complaints, by any route
	BounceMetrics *bounce.Metrics
	Webhooks      *webhooks.Handler

	pool            *smtpmail.Pool
	blockedEditions prometheus.Counter
	archived        archiveCache
	stopSender      context.CancelFunc
	senderDone      chan struct{}

	receiver     *bounce.Receiver
	receiverAddr string
}

// How often senders look for work.
const pollEvery = 500 * time.Millisecond

// Open opens and migrates the database the configuration names and builds
// every service. The queue runs jobs only after StartJobs.
func Open(ctx context.Context, cfg *config.Config, opts Options) (*App, error) {
	db, err := sqldb.Open(cfg.DatabaseURL)
	if err != nil {
		return nil, err
	}
	a := &App{Config: cfg, Logger: cfg.Logger(opts.Logs), DB: db, Clock: opts.Clock}
	if err := a.build(ctx, opts); err != nil {
		db.Close()
		return nil, err
	}
	return a, nil
}

func (a *App) build(ctx context.Context, opts Options) error {
	if a.Clock == nil {
		a.Clock = herald.SystemClock{}
	}
	a.DB.Clock = a.Clock
	if err := a.DB.Migrate(ctx); err != nil {
		return err
	}
	if err := jobs.Migrate(ctx, a.DB.SQL(), a.DB.Dialect() == sqldb.Postgres); err != nil {
		return err
	}
	a.Stories, a.Newsroom = sqldb.NewStoryService(a.DB), sqldb.NewNewsroomService(a.DB)
	a.Site, a.Subscribers = sqldb.NewSiteService(a.DB), sqldb.NewSubscriberService(a.DB)
	a.Staff = sqldb.NewStaffService(a.DB)
	a.Media = &media.Store{Dir: a.Config.MediaDir}
	if err := a.buildMail(); err != nil {
		return err
	}
	keys, err := a.DB.TokenKeys(ctx)
	if err != nil {
		return err
	}
	signer, err := token.NewSigner(keys...)
	if err != nil {
		return err
	}
	validator := &address.Validator{}
	if a.Config.DomainChecks() {
		validator.Resolver = opts.Resolver
		if validator.Resolver == nil {
			validator.Resolver = net.DefaultResolver
		}
	}
	a.Subscribe = &subscribe.Service{Subscribers: a.Subscribers, Newsroom: a.Newsroom, Site: a.Site, Tokens: signer,
		Addresses: validator, Mail: a.Mail, Clock: a.Clock, BaseURL: a.Config.BaseURL, Logger: a.Logger,
		Limiter: subscribe.NewIPLimiter(a.Config.SignupsPerIP, a.Config.SignupsPerIP)}
	if a.DB.Dialect() == sqldb.Postgres {
		// Web nodes share one count, kept in the database.
		a.Subscribe.Limiter = sqldb.NewRateLimiter(a.DB, "signup", a.Config.SignupsPerIP, time.Hour)
	}
	if err := a.buildSending(); err != nil {
		return err
	}
	if err := a.buildBounces(keys); err != nil {
		return err
	}
	a.Queue, err = jobs.New(a.DB.SQL(), jobs.Options{Postgres: a.DB.Dialect() == sqldb.Postgres, Stories: a.Stories, Confirmations: a.Subscribe, Editions: a.Desk, TickEvery: a.Config.Tick,
		Clock: a.Clock, Logger: a.Logger, Work: a.Config.Role != "web"})
	if err != nil {
		return fmt.Errorf("job queue: %w", err)
	}
	a.Stories.Jobs, a.Subscribers.Jobs = a.Queue, a.Queue
	return nil
}

// buildMail picks the relay the configuration names, or the development
// inbox.
func (a *App) buildMail() error {
	if a.Config.SMTPURL == "" {
		a.Inbox = devinbox.New(sqldb.NewInboxStore(a.DB))
		a.Mail = a.Inbox
		return nil
	}
	cfg, err := smtpmail.ParseURL(a.Config.SMTPURL)
	if err != nil {
		return fmt.Errorf("smtp-url: %w", err)
	}
	a.Mail = smtpmail.New(cfg)
	return nil
}

// StartJobs runs the job workers and the sender, when this node's role
// has them, and the bounce receiver, in any role, when configured.
func (a *App) StartJobs(ctx context.Context) error {
	if err := a.startBounceReceiver(); err != nil {
		return err
	}
	if a.Config.Role == "web" {
		return nil
	}
	if err := a.Queue.Start(ctx); err != nil {
		return err
	}
	sendCtx, stop := context.WithCancel(context.WithoutCancel(ctx))
	a.stopSender, a.senderDone = stop, make(chan struct{})
	go func() {
		defer close(a.senderDone)
		a.Sender.Run(sendCtx)
	}()
	return nil
}

// StopJobs stops claiming new work and waits, until ctx ends, for running
// jobs and the messages in flight to finish and be recorded.
func (a *App) StopJobs(ctx context.Context) error {
	a.stopBounceReceiver(ctx)
	if a.Config.Role == "web" {
		return nil
	}
	if a.stopSender != nil {
		a.stopSender()
		select {
		case <-a.senderDone:
		case <-ctx.Done():
		}
	}
	if a.pool != nil {
		a.pool.Close(ctx)
	}
	return a.Queue.Stop(ctx)
}

// Importer reads story files into this newsroom.
func (a *App) Importer() *storyfile.Importer {
	return &storyfile.Importer{Newsroom: a.Newsroom, Stories: a.Stories, Media: a.Media, Clock: a.Clock}
}

// Close closes the database.
func (a *App) Close() error { return a.DB.Close() }
