package admin_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/internal/mail/devinbox"
	"github.com/herald-news/herald/internal/sqldb"
)

// tuesday0550 is 05:50 in New York on a Tuesday, ten minutes before
// Herald AM's 06:00 slot.
var tuesday0550 = time.Date(2026, 12, 8, 10, 50, 0, 0, time.UTC)

// slotNewsroom is the demo newsroom on a fake clock with the desk
// working the newsletters' cadence.
func slotNewsroom(t *testing.T) *newsroom {
	return mustNewsroom(t, newsroomOptions{clock: herald.NewFakeClock(tuesday0550),
		args: []string{"-auto-editions=true", "-tick", "1h"}})
}

// tickThrough ticks the desk every minute from now to at.
func (n *newsroom) tickThrough(at time.Time) {
	n.t.Helper()
	for {
		if err := n.app.Desk.Tick(context.Background()); err != nil {
			n.t.Fatal(err)
		}
		if !n.clock.Now().Before(at) {
			return
		}
		n.clock.Advance(time.Minute)
	}
}

// waitMail waits (bounded) for a message to to whose subject starts with
// prefix, and returns every message in the inbox.
func (n *newsroom) waitMail(to, prefix string) []*devinbox.StoredMessage {
	n.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		msgs, err := sqldb.NewInboxStore(n.app.DB).InboxMessages(context.Background(), 0)
		if err != nil {
			n.t.Fatal(err)
		}
		for _, m := range msgs {
			if strings.Contains(m.To, to) && strings.HasPrefix(m.Subject, prefix) {
				return msgs
			}
		}
		if time.Now().After(deadline) {
			n.t.Fatalf("no mail to %s starting %q in %d messages", to, prefix, len(msgs))
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func (n *newsroom) setMode(slug string, mode herald.SendMode, from string) {
	n.t.Helper()
	ctx := context.Background()
	nl, err := n.app.Newsroom.FindNewsletter(ctx, slug)
	if err != nil {
		n.t.Fatal(err)
	}
	nl.SendMode, nl.FromEmail = mode, from
	if err := n.app.Newsroom.SaveNewsletter(ctx, nl); err != nil {
		n.t.Fatal(err)
	}
}

func (n *newsroom) ledger(id int64) int {
	n.t.Helper()
	c, err := n.app.Editions.Counts(context.Background(), id)
	if err != nil {
		n.t.Fatal(err)
	}
	return c.Total()
}

func noReaderMail(t *testing.T, msgs []*devinbox.StoredMessage) {
	t.Helper()
	for _, m := range msgs {
		if strings.HasPrefix(m.To, "reader") || strings.Contains(m.To, "<reader") {
			t.Errorf("a reader got %q", m.Subject)
		}
	}
}

// An approve newsletter's untouched draft reaches its slot: no reader
// gets it, the composer and dashboard say it was missed, the editors get
// mail. An automatic newsletter's draft shows when it goes out and a
// Hold button; once held, it does not go out.
func TestSlotWaitsForApproval(t *testing.T) {
	n := slotNewsroom(t)
	editorEmail := n.mustStaff(herald.RoleEditor)
	editor := n.signIn(herald.RoleEditor)
	n.mustReaders("am", 3)
	am := editor.mustDraft("am")
	n.setMode("pm", herald.SendAutomatic, "pm@herald.example")
	pm := editor.mustDraft("pm")
	page := body(editor.get("/admin/editions/" + itoa(pm.ID)))
	if !strings.Contains(page, "Goes out automatically at 17:00 EST") || !strings.Contains(page, `id="hold-`+itoa(pm.ID)+`"`) {
		t.Errorf("the automatic draft's composer does not say when it goes out, with Hold:\n%s", gateText(page))
	}
	if res := editor.post("/admin/editions/"+itoa(pm.ID)+"/hold", url.Values{}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("hold: %d", res.StatusCode)
	}
	if !n.edition(pm.ID).Held {
		t.Fatal("Hold did not hold the edition")
	}

	n.tickThrough(tuesday0550.Add(15 * time.Minute)) // past 06:00 New York
	msgs := n.waitMail(editorEmail, "Waiting for approval: Herald AM")
	noReaderMail(t, msgs)
	if ed := n.edition(am.ID); ed.Status != herald.EditionDraft || ed.MissedAt.IsZero() || n.ledger(am.ID) != 0 {
		t.Errorf("Herald AM after its slot: %s, missed %v, %d ledger rows", ed.Status, ed.MissedAt, n.ledger(am.ID))
	}
	if page := body(editor.get("/admin/editions/" + itoa(am.ID))); !strings.Contains(page, "Missed: it was due at") {
		t.Errorf("the composer does not say the edition was missed:\n%s", gateText(page))
	}
	if page := body(editor.get("/admin/")); !strings.Contains(page, `id="edition-attention"`) || !strings.Contains(page, "Missed:") {
		t.Error("the dashboard does not show the missed edition")
	}
	if page := body(editor.get("/admin/editions?newsletter=am")); !strings.Contains(page, "Missed:") {
		t.Error("the Editions list does not show the missed edition")
	}

	n.mustReaders("pm", 2)
	n.clock.Set(time.Date(2026, 12, 8, 21, 58, 0, 0, time.UTC)) // 16:58 New York
	n.tickThrough(time.Date(2026, 12, 8, 22, 2, 0, 0, time.UTC))
	if ed := n.edition(pm.ID); ed.Status != herald.EditionDraft || n.ledger(pm.ID) != 0 {
		t.Errorf("a held automatic edition went out at its slot: %s", ed.Status)
	}
}

// An automatic newsletter's edition nobody held goes out at its slot.
func TestAutomaticEditionGoesOutAtItsSlot(t *testing.T) {
	n := slotNewsroom(t)
	editor := n.signIn(herald.RoleEditor)
	n.setMode("am", herald.SendAutomatic, "am@herald.example")
	n.mustReaders("am", 3)
	am := editor.mustDraft("am")
	// An edit holds it unless the editor keeps it automatic.
	form := composerForm(am)
	form.Set("op", "save")
	if res := editor.post("/admin/editions/"+itoa(am.ID), form); res.StatusCode != http.StatusSeeOther || !n.edition(am.ID).Held {
		t.Fatalf("an edit without 'keep automatic': %d, held %v", res.StatusCode, n.edition(am.ID).Held)
	}
	if res := editor.post("/admin/editions/"+itoa(am.ID)+"/release", url.Values{}); res.StatusCode != http.StatusSeeOther || n.edition(am.ID).Held {
		t.Fatalf("release: %d", res.StatusCode)
	}
	form.Set("keep_automatic", "on")
	if res := editor.post("/admin/editions/"+itoa(am.ID), form); res.StatusCode != http.StatusSeeOther || n.edition(am.ID).Held {
		t.Fatalf("an edit with 'keep automatic' held the edition: %d", res.StatusCode)
	}
	n.tickThrough(tuesday0550.Add(11 * time.Minute))
	if ed := n.edition(am.ID); ed.Status == herald.EditionDraft || n.ledger(am.ID) != 3 {
		t.Errorf("the automatic edition did not go out at 06:00: %s, %d ledger rows", ed.Status, n.ledger(am.ID))
	}
}

// Clearing the postal address is refused while newsletters have readers.
// A send blocked at its slot anyway (a newsletter without a From address)
// shows Blocked on the edition and the dashboard, mails the editors, is
// counted in /metrics (read with an admin's session), and does not go out once the problem is fixed.
func TestBlockedSendIsShownAndNeverLate(t *testing.T) {
	ctx := context.Background()
	n := slotNewsroom(t)
	editorEmail := n.mustStaff(herald.RoleEditor)
	admin := n.signIn(herald.RoleAdmin)
	n.setMode("am", herald.SendAutomatic, "")
	n.mustReaders("am", 3)
	before, err := n.app.Site.Site(ctx)
	if err != nil {
		t.Fatal(err)
	}
	res := admin.post("/admin/settings", url.Values{"name": {before.Name}, "tagline": {before.Tagline}, "postal_address": {""},
		"language": {"en-US"}})
	if page := body(res); res.StatusCode/100 != 4 || !strings.Contains(page, "The postal address cannot be empty") || !strings.Contains(page, "Herald AM") {
		t.Errorf("clearing the postal address: %d", res.StatusCode)
	}
	if after, _ := n.app.Site.Site(ctx); after.PostalAddress != before.PostalAddress {
		t.Fatal("a refused form cleared the postal address")
	}
	editor := n.signIn(herald.RoleEditor)
	am := editor.mustDraft("am")
	n.tickThrough(tuesday0550.Add(11 * time.Minute))
	ed := n.edition(am.ID)
	if ed.Status != herald.EditionDraft || !strings.Contains(ed.Blocked, "no From address") || n.ledger(am.ID) != 0 {
		t.Fatalf("blocked edition: %s %q, %d ledger rows", ed.Status, ed.Blocked, n.ledger(am.ID))
	}
	noReaderMail(t, n.waitMail(editorEmail, "Blocked: Herald AM"))
	if page := body(editor.get("/admin/editions/" + itoa(am.ID))); !strings.Contains(page, "Blocked: "+html.EscapeString(ed.Blocked)) {
		t.Errorf("the composer does not show Blocked:\n%s", gateText(page))
	}
	if page := body(editor.get("/admin/")); !strings.Contains(page, "Blocked: ") {
		t.Error("the dashboard does not show the blocked edition")
	}
	if metrics := body(admin.get("/metrics")); !strings.Contains(metrics, "herald_editions_blocked_total 1") {
		t.Error("/metrics does not count the blocked edition")
	}
	n.setMode("am", herald.SendAutomatic, "am@herald.example")
	n.tickThrough(tuesday0550.Add(30 * time.Minute))
	if ed := n.edition(am.ID); ed.Status != herald.EditionDraft || n.ledger(am.ID) != 0 {
		t.Errorf("a blocked edition went out by itself once fixed: %s", ed.Status)
	}
}

func itoa(id int64) string { return strconv.FormatInt(id, 10) }

// gateText is the gate part of a page, for failure messages.
func gateText(page string) string {
	if i := strings.Index(page, `class="gate`); i >= 0 {
		return page[i:min(len(page), i+600)]
	}
	return "(no gate shown)"
}
