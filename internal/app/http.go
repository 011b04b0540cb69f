package app

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/internal/sqldb"
	"github.com/herald-news/herald/internal/web"
	"github.com/herald-news/herald/internal/web/admin"
	"github.com/herald-news/herald/internal/web/api"
	"github.com/herald-news/herald/internal/web/site"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
)

// Who may see the operations pages on the site: the development inbox
// shows every reader's confirmation and unsubscribe links, so it takes
// what the admin's own inbox does; /metrics is for admins (or the
// metrics token, or the ops listener).
const (
	devInboxPerm = herald.PermEditions
	metricsPerm  = herald.PermSettings
)

// Handler assembles the site, media, health, metrics, webhooks, admin and
// (with the development inbox) /dev/inbox/ endpoints, with a metrics
// registry of its own.
func (a *App) Handler() (http.Handler, error) {
	return a.handler(a.registry())
}

// registry holds the process's and the app's own metrics; the site adds
// its request metrics to it.
func (a *App) registry() *prometheus.Registry {
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	reg.MustRegister(a.bounceCollectors()...)
	reg.MustRegister(a.blockedEditions)
	return reg
}

func (a *App) handler(reg *prometheus.Registry) (http.Handler, error) {
	pages := &site.Handler{Stories: a.Stories, Newsroom: a.Newsroom, Site: a.Site, Clock: a.Clock,
		Location: a.Config.Location(), BaseURL: a.Config.BaseURL, PageSize: a.Config.PageSize, Logger: a.Logger,
		Subscribe: a.Subscribe, Editions: a.Editions, Archive: a.archive, Search: sqldb.NewSearchService(a.DB),
		Media:      a.Media,
		Generation: a.DB.ContentGeneration, NextScheduled: a.Stories.NextScheduled}
	err := pages.Init()
	if err != nil {
		return nil, err
	}
	api, err := a.apiHandler()
	if err != nil {
		return nil, err
	}
	adm, err := a.adminHandler()
	if err != nil {
		return nil, err
	}
	surfaces := web.Surfaces{Site: pages, Static: site.Static(), Media: a.Media.Handler(), API: api.Routes(),
		Webhooks: a.Webhooks.Routes(), Admin: adm}
	if a.Inbox != nil {
		inbox := http.StripPrefix("/dev/inbox", a.Inbox.Handler(admin.CSRFToken))
		surfaces.DevInbox = adm.Guard(devInboxPerm, inbox)
	}
	srv := web.NewServer(a.Logger, a.DB.SQL(), surfaces, reg)
	srv.HSTS = strings.HasPrefix(a.Config.BaseURL, "https://")
	if srv.TrustedProxies, err = a.Config.Proxies(); err != nil {
		return nil, err
	}
	srv.MetricsToken = a.Config.MetricsToken
	srv.MetricsStaff = func(r *http.Request) bool { return adm.Can(r, metricsPerm) }
	return srv.Handler(), nil
}

// Servers builds the HTTP servers the role and options ask for: the site
// (nil for a worker) and the ops listener (nil without -metrics-addr).
// They share one metrics registry, so the ops listener of a web node also
// counts the site's requests.
func (a *App) Servers() (site, ops *http.Server, err error) {
	reg := a.registry()
	if a.Config.Role != "worker" {
		h, err := a.handler(reg)
		if err != nil {
			return nil, nil, err
		}
		site = newHTTPServer(h)
	}
	if a.Config.MetricsAddr != "" {
		ops = newHTTPServer(web.OpsHandler(a.Logger, a.DB.SQL(), reg))
	}
	return site, ops, nil
}

// newHTTPServer wraps h with timeouts fit for the open internet.
func newHTTPServer(h http.Handler) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
	}
}

// apiHandler builds the JSON API. A configured HERALD_API_TOKEN still
// works, as an admin token, for tools written before API tokens.
func (a *App) apiHandler() (*api.Handler, error) {
	keys, err := a.DB.TokenKeys(context.Background())
	if err != nil {
		return nil, err
	}
	return &api.Handler{Stories: a.Stories, Newsroom: a.Newsroom, Editions: a.Editions, Site: a.Site, Subscribers: a.Subscribers,
		Staff: a.Staff, Idempotency: sqldb.NewIdempotencyStore(a.DB), Subscribe: a.Subscribe, Desk: a,
		Media: a.Media, BaseURL: a.Config.BaseURL,
		LegacyToken: a.Config.APIToken,
		CursorKey:   keys[0].Secret, Clock: a.Clock, Logger: a.Logger, Every: time.Second}, nil
}
