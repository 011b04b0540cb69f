package bench

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/internal/app"
	"github.com/herald-news/herald/internal/config"
	"github.com/herald-news/herald/internal/mail/compose"
	"github.com/herald-news/herald/internal/mail/smtptest"
	"github.com/herald-news/herald/internal/subscriberio"
)

// PhaseArgs are the hidden flags of `herald bench --phase`: one phase of
// the bench, run in a child process so that its resident set and CPU time
// are its own.
type PhaseArgs struct {
	Phase      string // setup, send or bare
	Recipients int    // setup: readers to import; bare: messages to send
	EditionID  int64  // send: the edition setup made
	Sample     string // setup writes one rendered reader's copy here; bare sends it
	CPUProfile string // a file for a CPU profile of the measured work
}

// The bench newsroom's newsletter and the bare client's envelope.
const (
	benchNewsletter = "am"
	benchFrom       = "am@herald.example"
	benchTo         = "reader@example.com"
)

// RunPhase runs one phase with the configuration given (its database,
// relay and connection count) and returns its result.

// benchLinkKey stands for a reader's link key: real ones are as long.
const benchLinkKey = "0f1e2d3c4b"

func RunPhase(ctx context.Context, cfg *config.Config, p PhaseArgs, logs io.Writer) (Result, error) {
	switch p.Phase {
	case "bare":
		return bare(cfg, p)
	case "setup", "send":
	default:
		return Result{}, fmt.Errorf("unknown phase %q", p.Phase)
	}
	a, err := app.Open(ctx, cfg, app.Options{Logs: logs})
	if err != nil {
		return Result{}, err
	}
	defer a.Close()
	if p.Phase == "setup" {
		var id int64
		var size int
		res, err := Measure("setup", "", func() error {
			var err error
			id, size, err = setup(ctx, a, p)
			return err
		})
		res.EditionID, res.MessageBytes = id, size
		return res, err
	}
	return send(ctx, a, p)
}

// setup stores a site, the newsletter, p.Recipients active readers
// (imported through the importer's sink in batches, as `herald subscribers
// import` does) and an edition of ~10 KB, and writes one reader's copy
// to p.Sample.
func setup(ctx context.Context, a *app.App, p PhaseArgs) (int64, int, error) {
	nl := &herald.Newsletter{Slug: benchNewsletter, Name: "Herald AM", Promise: "The morning news in five minutes.",
		SignupTitle: "Sign up for our daily briefing", SendTime: "06:00", TimeZone: "America/New_York",
		FromName: "Herald AM", FromEmail: benchFrom}
	if err := errors.Join(
		a.Site.SaveSite(ctx, &herald.Site{Name: "The Bench Herald", PostalAddress: "1 Main St, Springfield", Language: "en-US"}),
		a.Newsroom.SaveNewsletter(ctx, nl),
	); err != nil {
		return 0, 0, err
	}
	sink := a.Subscribers.ImportSink(nl.ID, true, "bench")
	rows := make([]subscriberio.Row, 0, 1000)
	for i := range p.Recipients {
		rows = append(rows, subscriberio.Row{Line: i + 2, Email: fmt.Sprintf("reader%07d@example.com", i)})
		if len(rows) == cap(rows) || i == p.Recipients-1 {
			if _, err := sink.ImportRows(ctx, rows); err != nil {
				return 0, 0, err
			}
			rows = rows[:0]
		}
	}
	ed := benchEdition(nl, a.Config.BaseURL, 10<<10)
	if err := a.Editions.CreateEdition(ctx, ed); err != nil {
		return 0, 0, err
	}
	if p.Sample == "" {
		return ed.ID, 0, nil
	}
	data, err := sampleMessage(ctx, a, ed.ID)
	if err != nil {
		return 0, 0, err
	}
	return ed.ID, len(data), os.WriteFile(p.Sample, data, 0o600)
}

// benchEdition is an edition whose rendered message is about size bytes:
// the one internal/app's BenchmarkSendEdition sends.
func benchEdition(nl *herald.Newsletter, baseURL string, size int) *herald.Edition {
	para := "The council voted on Tuesday to widen the bike network, and the mayor said work starts in spring. "
	ed := &herald.Edition{NewsletterID: nl.ID, Newsletter: nl, Date: time.Now().UTC().Truncate(24 * time.Hour),
		Subject: "Bench edition", Preheader: "Five things to know.",
		Opening: herald.EditionItem{Headline: "1 big thing", Body: "**Why it matters:** " + strings.Repeat(para, 3)}}
	for i := range 6 {
		ed.Items = append(ed.Items, herald.EditionItem{Headline: fmt.Sprintf("Item %d", i+1),
			Body: "**The big picture:** " + strings.Repeat(para, 1+size/6000), URL: baseURL + "/story"})
	}
	return ed
}

// sampleMessage renders one reader's copy, as the sender would.
func sampleMessage(ctx context.Context, a *app.App, editionID int64) ([]byte, error) {
	site, err := a.Site.Site(ctx)
	if err != nil {
		return nil, err
	}
	ed, err := a.Editions.FindEdition(ctx, editionID)
	if err != nil {
		return nil, err
	}
	m, err := compose.Render(site, ed, a.ComposeOptions)
	if err != nil {
		return nil, err
	}
	return m.AppendMessage(nil, compose.Recipient{SubscriberID: 1, Email: benchTo,
		UnsubscribeURL: a.Subscribe.UnsubscribeURL(1, benchLinkKey, ed.NewsletterID),
		PreferencesURL: a.Subscribe.PreferencesURL(1, benchLinkKey, ed.NewsletterID)}, time.Now())
}

// send starts the edition (writing its ledger: timed alone) and runs
// the sender until the edition is sent. The measured window runs from
// the sender's start to the edition's finish time.
func send(ctx context.Context, a *app.App, p PhaseArgs) (Result, error) {
	t := time.Now()
	rows, err := a.SendNow(ctx, p.EditionID)
	if err != nil {
		return Result{}, err
	}
	ledger := time.Since(t)
	sendCtx, stopSender := context.WithCancel(ctx)
	done := make(chan struct{})
	var ed *herald.Edition
	var start time.Time
	res, err := Measure("send", p.CPUProfile, func() error {
		start = time.Now()
		go func() { defer close(done); a.Sender.Run(sendCtx) }()
		for {
			var err error
			if ed, err = a.Editions.FindEdition(ctx, p.EditionID); err != nil {
				return err
			}
			if ed.Status == herald.EditionSent {
				return nil
			}
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(50 * time.Millisecond):
			}
		}
	})
	stopSender()
	<-done
	stop, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	_ = a.StopJobs(stop) // closes the relay connections; the queue never started
	if err != nil {
		return res, err
	}
	// The poll sees the finish up to 50 ms late; the edition's own finish
	// time does not.
	if d := ed.FinishedAt.Sub(start); d > 0 && d.Seconds() < res.Seconds {
		res.Seconds = d.Seconds()
	}
	counts, err := a.Editions.Counts(ctx, p.EditionID)
	if err != nil {
		return res, err
	}
	res.Messages, res.LedgerSecs, res.LedgerRows = counts[herald.SendAccepted], ledger.Seconds(), rows
	if res.Messages != rows {
		return res, fmt.Errorf("send: %d of %d readers accepted: %v", res.Messages, rows, counts)
	}
	return res, nil
}

// bare pushes p.Sample p.Recipients times through go-smtp's client on as
// many connections as the sender uses: the baseline.
func bare(cfg *config.Config, p PhaseArgs) (Result, error) {
	data, err := os.ReadFile(p.Sample)
	if err != nil {
		return Result{}, err
	}
	u, err := url.Parse(cfg.SMTPURL)
	if err != nil {
		return Result{}, fmt.Errorf("smtp-url: %w", err)
	}
	var elapsed time.Duration
	res, err := Measure("bare", p.CPUProfile, func() error {
		var err error
		elapsed, err = smtptest.BareSend(u.Host, cfg.SMTPConnections, p.Recipients, benchFrom, benchTo, data)
		return err
	})
	res.Seconds, res.Messages, res.MessageBytes = elapsed.Seconds(), p.Recipients, len(data)
	return res, err
}
