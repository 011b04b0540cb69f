package app

import (
	"context"
	"fmt"
	"net"

	"github.com/herald-news/herald/internal/bounce"
	"github.com/herald-news/herald/internal/sqldb"
	"github.com/herald-news/herald/internal/token"
	"github.com/herald-news/herald/internal/web/webhooks"
	"github.com/prometheus/client_golang/prometheus"
)

// buildBounces wires bounce handling: the processor every route records
// through, signed VERP return paths when a bounce domain is set, and the
// providers' webhooks. The sender must be built already.
func (a *App) buildBounces(keys []token.Key) error {
	cfg := a.Config
	a.Bounces = sqldb.NewBounceService(a.DB)
	a.BounceMetrics = bounce.NewMetrics()
	idDomain := a.ComposeOptions.MessageIDDomain
	if idDomain == "" {
		idDomain = a.ComposeOptions.ListIDDomain
	}
	a.Bounce = &bounce.Processor{Store: a.Bounces, Rule: bounce.SoftRule{Limit: cfg.SoftBounceLimit, Window: cfg.SoftBounceWindow},
		MessageIDDomain: idDomain, Clock: a.Clock, Logger: a.Logger, Metrics: a.BounceMetrics}
	if cfg.BounceDomain != "" {
		verp, err := bounce.NewVERP(cfg.BounceDomain, keys...)
		if err != nil {
			return err
		}
		a.Bounce.VERP = verp
		a.Sender.ReturnPath = verp.Address
	}
	a.Webhooks = &webhooks.Handler{Events: a.Bounce, Tokens: a.Bounces, Confirmer: bounce.HTTPConfirmer{},
		PostmarkUser: cfg.PostmarkUser, PostmarkPassword: cfg.PostmarkPassword, MailgunKey: cfg.MailgunSigningKey,
		Clock: a.Clock, Logger: a.Logger, Metrics: a.BounceMetrics}
	if topics := cfg.SESTopicList(); len(topics) > 0 {
		sns := &bounce.SNSVerifier{Topics: topics, Clock: a.Clock}
		if cfg.SESCert != "" {
			certs, err := bounce.LoadCerts(cfg.SESCert)
			if err != nil {
				return fmt.Errorf("ses-cert: %w", err)
			}
			sns.Certs = certs
		}
		a.Webhooks.SNS = sns
	}
	return nil
}

// bounceCollectors are the bounce metrics for a registry: the event
// counters and, read at each scrape, recent editions' rates.
func (a *App) bounceCollectors() []prometheus.Collector {
	rates := &bounce.RateCollector{Source: a.Bounces, Window: a.Config.SoftBounceWindow, Clock: a.Clock, Logger: a.Logger}
	return append(a.BounceMetrics.Collectors(), rates)
}

// startBounceReceiver listens for bounces by SMTP when bounce-addr is set.
func (a *App) startBounceReceiver() error {
	if a.Config.BounceAddr == "" || a.receiver != nil {
		return nil
	}
	r, err := bounce.NewReceiver(a.Bounce, a.Logger)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", a.Config.BounceAddr)
	if err != nil {
		return fmt.Errorf("bounce receiver: listen on %s: %w", a.Config.BounceAddr, err)
	}
	a.receiver, a.receiverAddr = r, ln.Addr().String()
	a.Logger.Info("receiving bounces by SMTP", "addr", a.receiverAddr, "domain", a.Bounce.VERP.Domain())
	go func() {
		if err := r.Serve(ln); err != nil {
			a.Logger.Error("bounce receiver stopped", "err", err)
		}
	}()
	return nil
}

// stopBounceReceiver stops the receiver, letting open sessions finish
// until ctx ends.
func (a *App) stopBounceReceiver(ctx context.Context) {
	if a.receiver == nil {
		return
	}
	if err := a.receiver.Shutdown(ctx); err != nil {
		a.Logger.Error("bounce receiver shutdown", "err", err)
	}
	a.receiver = nil
}

// BounceAddr is where the bounce receiver listens once StartJobs has
// started it; "" when there is none.
func (a *App) BounceAddr() string { return a.receiverAddr }
