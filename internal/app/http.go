package app

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/herald-news/herald/internal/sqldb"
	"github.com/herald-news/herald/internal/web"
	"github.com/herald-news/herald/internal/web/api"
	"github.com/herald-news/herald/internal/web/site"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
)

// Handler assembles the site, media, health, metrics, webhooks and (with
// the development inbox) /dev/inbox/ endpoints.
func (a *App) Handler() (http.Handler, error) {
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	reg.MustRegister(a.bounceCollectors()...)
	reg.MustRegister(a.blockedEditions)
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
	surfaces := web.Surfaces{Site: pages, Static: site.Static(), Media: a.Media.Handler(), API: api.Routes(),
		Webhooks: a.Webhooks.Routes()}
	if a.Inbox != nil {
		surfaces.DevInbox = a.Inbox.Handler()
	}
	if surfaces.Admin, err = a.adminHandler(); err != nil {
		return nil, err
	}
	srv := web.NewServer(a.Logger, a.DB.SQL(), surfaces, reg)
	srv.HSTS = strings.HasPrefix(a.Config.BaseURL, "https://")
	if srv.TrustedProxies, err = a.Config.Proxies(); err != nil {
		return nil, err
	}
	return srv.Handler(), nil
}

// HTTPServer wraps Handler with timeouts fit for the open internet.
func (a *App) HTTPServer() (*http.Server, error) {
	h, err := a.Handler()
	if err != nil {
		return nil, err
	}
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
	}, nil
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
