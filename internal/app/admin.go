package app

import (
	"github.com/herald-news/herald/internal/sqldb"
	"github.com/herald-news/herald/internal/web/admin"
)

// adminHandler builds the newsroom's web interface.
func (a *App) adminHandler() (*admin.Handler, error) {
	h := &admin.Handler{Staff: a.Staff, Stories: a.Stories, Newsroom: a.Newsroom, Site: a.Site, Subscribers: a.Subscribers,
		Editions: a.Editions, Bounces: a.Bounces, Search: sqldb.NewSearchService(a.DB), Subscribe: a.Subscribe, Desk: a, Importer: a,
		ImportStates: sqldb.NewSubscriberImports(a.DB),
		Media:        a.Media, Inbox: a.Inbox, Clock: a.Clock, Location: a.Config.Location(), Logger: a.Logger, BaseURL: a.Config.BaseURL}
	if err := h.Init(); err != nil {
		return nil, err
	}
	return h, nil
}
