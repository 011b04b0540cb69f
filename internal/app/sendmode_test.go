package app_test

import (
	"context"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/internal/app"
	"github.com/herald-news/herald/internal/app/apptest"
	"github.com/herald-news/herald/internal/demo"
	heralddkim "github.com/herald-news/herald/internal/mail/dkim"
)

// A fresh `serve --demo` sends nothing, whatever the hour it starts at:
// just after a send slot (the old catch-up), just before one, and at
// 11:00. Two minutes of fake time pass with the desk ticking; no edition
// starts, no ledger row is written, and no reader gets mail.
func TestFreshDemoSendsNothing(t *testing.T) {
	t.Parallel()
	for _, start := range []time.Time{
		time.Date(2026, 12, 8, 11, 1, 0, 0, time.UTC),  // Tue 06:01 New York
		time.Date(2026, 12, 8, 11, 29, 0, 0, time.UTC), // Tue 06:29 New York
		time.Date(2026, 12, 8, 16, 0, 0, 0, time.UTC),  // Tue 11:00 New York
	} {
		t.Run(start.Format("15:04Z"), func(t *testing.T) {
			ctx := context.Background()
			clock := herald.NewFakeClock(start)
			var a *app.App
			h := &harness{t: t}
			h.srv = apptest.Start(t, apptest.Options{Clock: clock, Args: []string{"-auto-editions=true"}, Seed: func(x *app.App) error {
				a, h.app = x, x
				_, err := demo.Seed(ctx, demo.Deps{Newsroom: x.Newsroom, Site: x.Site, Importer: x.Importer()})
				return err
			}})
			letters, err := a.Newsroom.Newsletters(ctx)
			if err != nil || len(letters) == 0 {
				t.Fatalf("demo newsletters: %d, %v", len(letters), err)
			}
			for _, n := range letters {
				if n.SendMode != herald.SendApprove {
					t.Errorf("demo newsletter %s is %q, want approve", n.Slug, n.SendMode)
				}
				h.mustReaders(n, 2, func(int) string { return "active" })
			}
			for range 13 {
				if err := a.Desk.Tick(ctx); err != nil {
					t.Fatal(err)
				}
				clock.Advance(10 * time.Second)
			}
			eds, err := a.Editions.Editions(ctx, 0, false, 1000)
			if err != nil {
				t.Fatal(err)
			}
			for _, ed := range eds {
				counts, err := a.Editions.Counts(ctx, ed.ID)
				if err != nil {
					t.Fatal(err)
				}
				if ed.Status != herald.EditionDraft || counts.Total() != 0 {
					t.Errorf("edition %s %s is %s with %d ledger rows", ed.Newsletter.Slug, ed.DateString(), ed.Status, counts.Total())
				}
			}
			for _, m := range h.inbox() {
				if strings.HasPrefix(m.To, "reader") {
					t.Errorf("a reader got mail: %q to %s", m.Subject, m.To)
				}
			}
		})
	}
}

// Sending or scheduling is refused, with the reason in words, for an
// empty edition, a From domain the DKIM key does not sign for, and a relay
// that does not answer; nothing is started.
func TestPreflightRefusesWithTheReason(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	key, _, err := heralddkim.GenerateKey("ed25519")
	if err != nil {
		t.Fatal(err)
	}
	keyFile := filepath.Join(t.TempDir(), "dkim.pem")
	if err := os.WriteFile(keyFile, key, 0o600); err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := ln.Addr().String()
	ln.Close() // nothing answers there
	h := mustHarness(t, "-smtp-url", "smtp://"+closed, "-check-domains", "off",
		"-dkim-key", keyFile, "-dkim-domain", "other.example", "-dkim-selector", "s1")
	ed := h.mustEdition(h.am)
	if _, err := h.app.SendNow(ctx, ed.ID); !strings.Contains(herald.ErrorMessage(err), "is not on other.example") {
		t.Errorf("a From domain the DKIM key does not cover: %v", err)
	}
	h.am.FromEmail = "am@news.other.example"
	if err := h.app.Newsroom.SaveNewsletter(ctx, h.am); err != nil {
		t.Fatal(err)
	}
	if _, err := h.app.ScheduleEdition(ctx, ed.ID, time.Now().Add(time.Hour)); !strings.Contains(herald.ErrorMessage(err), "mail relay does not answer") {
		t.Errorf("a relay that does not answer: %v", err)
	}
	ed.Opening, ed.Items = herald.EditionItem{}, nil
	if err := h.app.Editions.UpdateEdition(ctx, ed); err != nil {
		t.Fatal(err)
	}
	if _, err := h.app.SendNow(ctx, ed.ID); !strings.Contains(herald.ErrorMessage(err), "The edition is empty") {
		t.Errorf("an empty edition: %v", err)
	}
	if got, _ := h.app.Editions.FindEdition(ctx, ed.ID); got.Status != herald.EditionDraft {
		t.Errorf("a refused edition is %s", got.Status)
	}
}
