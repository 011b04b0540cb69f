package app

import (
	"context"
	"fmt"
	"html/template"
	"net/url"
	"sync"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/internal/delivery"
	"github.com/herald-news/herald/internal/editions"
	"github.com/herald-news/herald/internal/mail/compose"
	"github.com/herald-news/herald/internal/mail/dkim"
	"github.com/herald-news/herald/internal/mail/smtpmail"
	"github.com/herald-news/herald/internal/sqldb"
)

// buildSending wires editions, the desk that starts them and the sender
// that delivers them.
func (a *App) buildSending() error {
	cfg := a.Config
	a.Editions = sqldb.NewEditionService(a.DB)
	host := "localhost"
	if u, err := url.Parse(cfg.BaseURL); err == nil && u.Hostname() != "" {
		host = u.Hostname()
	}
	a.ComposeOptions = compose.Options{BaseURL: cfg.BaseURL, ListIDDomain: host, UnsubscribeMailto: cfg.UnsubscribeMailto,
		FeedbackIDPrefix: cfg.FeedbackID}
	relay, err := a.relay()
	if err != nil {
		return err
	}
	a.Sender = &delivery.Sender{Store: a.Editions, Relay: relay, Links: a.Subscribe, Site: a.Site,
		Compose: a.ComposeOptions, Clock: a.Clock, Logger: a.Logger,
		Policy: delivery.Policy{RetryBase: cfg.RetryBase, RetryMax: delivery.DefaultPolicy.RetryMax, Deadline: cfg.RetryDeadline, RetryUnknown: cfg.RetryUnknown},
		Node:   cfg.Node, Connections: cfg.SMTPConnections, Lease: cfg.Lease, Poll: pollEvery, Drain: cfg.ShutdownFor}
	if cfg.DKIMKey != "" {
		signer, err := dkim.LoadSigner(cfg.DKIMDomain, cfg.DKIMSelector, cfg.DKIMKey)
		if err != nil {
			return fmt.Errorf("dkim: %w", err)
		}
		a.Sender.DKIM = signer
	}
	a.Desk = &editions.Desk{Editions: a.Editions, Stories: a.Stories, Newsroom: a.Newsroom, Clock: a.Clock,
		Logger: a.Logger, BaseURL: cfg.BaseURL, Grace: deskGrace, Preflight: a.Preflight,
		Manual: !cfg.AutoEditions}
	return nil
}

// relay is where bulk mail goes: the configured relay through a pool of
// connections, or the development inbox.
func (a *App) relay() (delivery.Relay, error) {
	if a.Inbox != nil {
		return delivery.InboxRelay{Inbox: a.Inbox}, nil
	}
	cfg, err := smtpmail.ParseURL(a.Config.SMTPURL)
	if err != nil {
		return nil, err
	}
	pool, err := smtpmail.NewPool(smtpmail.PoolConfig{Config: cfg, Connections: a.Config.SMTPConnections,
		MaxPerConn: a.Config.SMTPPerConn, RatePerSecond: float64(a.Config.SMTPRate), ThrottlePause: a.Config.ThrottlePause})
	if err != nil {
		return nil, err
	}
	a.pool = pool
	return pool, nil
}

// Preflight refuses an edition that must not go out: without the site's
// postal address, a From address or a subject.
func (a *App) Preflight(ctx context.Context, ed *herald.Edition) error {
	site, err := a.Site.Site(ctx)
	if err != nil {
		return err
	}
	_, err = compose.Render(site, ed, a.ComposeOptions)
	return err
}

// SendNow checks an edition and starts sending it; the sender picks it up.
func (a *App) SendNow(ctx context.Context, id int64) (int, error) {
	ed, err := a.Editions.FindEdition(ctx, id)
	if err != nil {
		return 0, err
	}
	if err := a.Preflight(ctx, ed); err != nil {
		return 0, err
	}
	return a.Editions.StartSend(ctx, id)
}

// archiveCache keeps rendered archive pages; sent editions never change.
type archiveCache struct {
	mu    sync.Mutex
	pages map[int64]template.HTML
}

// archive renders a sent edition's public page body.
func (a *App) archive(ctx context.Context, ed *herald.Edition) (template.HTML, error) {
	a.archived.mu.Lock()
	defer a.archived.mu.Unlock()
	if html, ok := a.archived.pages[ed.ID]; ok {
		return html, nil
	}
	site, err := a.Site.Site(ctx)
	if err != nil {
		return "", err
	}
	m, err := compose.Render(site, ed, a.ComposeOptions)
	if err != nil {
		return "", err
	}
	if a.archived.pages == nil {
		a.archived.pages = map[int64]template.HTML{}
	}
	a.archived.pages[ed.ID] = m.ArchiveHTML()
	return a.archived.pages[ed.ID], nil
}
