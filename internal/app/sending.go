package app

import (
	"context"
	"fmt"
	"html/template"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/internal/delivery"
	"github.com/herald-news/herald/internal/editions"
	"github.com/herald-news/herald/internal/mail/compose"
	"github.com/herald-news/herald/internal/mail/dkim"
	"github.com/herald-news/herald/internal/mail/smtpmail"
	"github.com/herald-news/herald/internal/sqldb"
	"github.com/prometheus/client_golang/prometheus"
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
		Logger: a.Logger, BaseURL: cfg.BaseURL, Preflight: a.Preflight, Notify: a.notifyEditors,
		Window: max(editions.SlotWindow, 3*cfg.Tick),
		Manual: !cfg.AutoEditions}
	a.blockedEditions = prometheus.NewCounter(prometheus.CounterOpts{Name: "herald_editions_blocked_total",
		Help: "Editions that could not go out at their time (no postal address, no From, the relay down, …)."})
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

// Preflight refuses an edition that must not go out, saying why: the
// site's postal address, the From address, the From domain's DKIM key when
// signing is on, an empty edition, and the relay answering.
func (a *App) Preflight(ctx context.Context, ed *herald.Edition) error {
	if ed.Opening.Headline == "" && strings.TrimSpace(ed.Opening.Body) == "" && len(ed.Items) == 0 {
		return herald.Errorf(herald.EINVALID, "The edition is empty: write the opening or add a story first.")
	}
	site, err := a.Site.Site(ctx)
	if err != nil {
		return err
	}
	if _, err = compose.Render(site, ed, a.ComposeOptions); err != nil {
		return err
	}
	if err := a.dkimCovers(ed.Newsletter.FromEmail); err != nil {
		return err
	}
	if a.pool != nil {
		pingCtx, cancel := context.WithTimeout(ctx, 15*time.Second)
		defer cancel()
		if err := a.pool.Ping(pingCtx); err != nil {
			a.Logger.Warn("relay does not answer", "err", err)
			return herald.Errorf(herald.ECONFLICT, "The mail relay does not answer (%s). Check the SMTP settings or try again in a few minutes.",
				relayAnswer(err))
		}
	}
	return nil
}

// dkimCovers refuses a From address whose domain the DKIM key does not
// sign for, when signing is on: receivers would reject or spam-folder it.
func (a *App) dkimCovers(from string) error {
	if a.Sender.DKIM == nil {
		return nil
	}
	at := strings.LastIndex(from, "@")
	domain, signs := strings.ToLower(from[at+1:]), strings.ToLower(a.Config.DKIMDomain)
	if domain == signs || strings.HasSuffix(domain, "."+signs) {
		return nil
	}
	return herald.Errorf(herald.EINVALID, "The From address %s is not on %s, the domain the DKIM key signs for. Use an address on %s or set up a key for %s.",
		from, signs, signs, domain)
}

// relayAnswer is the relay error in a few words an editor can pass on.
func relayAnswer(err error) string {
	msg := err.Error()
	if len(msg) > 160 {
		msg = msg[:160] + "…"
	}
	return msg
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
