package app_test

import (
	"bytes"
	"context"
	"fmt"
	"net/mail"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-msgauth/dkim"
	"github.com/herald-news/herald"
	heralddkim "github.com/herald-news/herald/internal/mail/dkim"
	"github.com/herald-news/herald/internal/mail/smtptest"
	"github.com/herald-news/herald/internal/sqldb"
	"github.com/herald-news/herald/internal/subscriberio"
)

// sendingHarness is a harness whose mail goes to an in-process relay.
func sendingHarness(t testing.TB, relay *smtptest.Relay, args ...string) *harness {
	t.Helper()
	port := smtptest.MustStart(t, relay, nil)
	return mustHarness(t, append([]string{"-smtp-url", fmt.Sprintf("smtp://127.0.0.1:%d", port), "-check-domains", "off",
		"-retry-base", "50ms", "-lease", "2s"}, args...)...)
}

// mustEdition stores a draft of nl for today with an opening and two items.
func (h *harness) mustEdition(nl *herald.Newsletter) *herald.Edition {
	h.t.Helper()
	ed := &herald.Edition{NewsletterID: nl.ID, Newsletter: nl, Date: time.Now().UTC().Truncate(24 * time.Hour),
		Subject: "The Fed holds, for now", Preheader: "And two more things to know.",
		Opening: herald.EditionItem{Headline: "The Fed holds rates", Body: "Rates stay put.\n\n**Why it matters:** Loans stay dear.",
			URL: h.srv.URL + "/2026/11/27/fed"},
		Items: []herald.EditionItem{
			{Headline: "Streetcars stay free", Body: "**What's next:** A hearing in January."},
			{Headline: "A record harvest", Body: "- Corn is up.\n- Prices are down."},
		}}
	if err := h.app.Editions.CreateEdition(context.Background(), ed); err != nil {
		h.t.Fatal(err)
	}
	return ed
}

// waitSent waits (bounded) until an edition is sent.
func (h *harness) waitSent(id int64, within time.Duration) *herald.Edition {
	h.t.Helper()
	deadline := time.Now().Add(within)
	for time.Now().Before(deadline) {
		ed, err := h.app.Editions.FindEdition(context.Background(), id)
		if err != nil {
			h.t.Fatal(err)
		}
		if ed.Status == herald.EditionSent {
			return ed
		}
		time.Sleep(50 * time.Millisecond)
	}
	counts, _ := h.app.Editions.Counts(context.Background(), id)
	h.t.Fatalf("edition %d not sent within %v: %v", id, within, counts)
	return nil
}

// mustReaders imports n readers into nl: active, pending or left by i.
func (h *harness) mustReaders(nl *herald.Newsletter, n int, state func(i int) string) {
	h.t.Helper()
	var active, pending []subscriberio.Row
	for i := range n {
		row := subscriberio.Row{Line: i + 2, Email: fmt.Sprintf("reader%04d@example.com", i)}
		switch state(i) {
		case "active":
			active = append(active, row)
		case "pending":
			pending = append(pending, row)
		case "left":
			row.Unsubscribed = true
			active = append(active, row)
		}
	}
	ctx := context.Background()
	if _, err := h.app.Subscribers.ImportSink(nl.ID, true, "test").ImportRows(ctx, active); err != nil {
		h.t.Fatal(err)
	}
	if _, err := h.app.Subscribers.ImportSink(nl.ID, false, "test").ImportRows(ctx, pending); err != nil {
		h.t.Fatal(err)
	}
}

func TestEditionReachesEveryConfirmedSubscriberOnce(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	key, record, err := heralddkim.GenerateKey("ed25519")
	if err != nil {
		t.Fatal(err)
	}
	keyFile := filepath.Join(t.TempDir(), "dkim.pem")
	if err := os.WriteFile(keyFile, key, 0o600); err != nil {
		t.Fatal(err)
	}
	relay := &smtptest.Relay{}
	h := sendingHarness(t, relay, "-dkim-key", keyFile, "-dkim-domain", "herald.example", "-dkim-selector", "s1",
		"-unsubscribe-mailto", "unsubscribe@herald.example")
	pm := &herald.Newsletter{Slug: "pm", Name: "Herald PM", TimeZone: "America/New_York", SendTime: "16:00", FromEmail: "pm@herald.example"}
	if err := h.app.Newsroom.SaveNewsletter(ctx, pm); err != nil {
		t.Fatal(err)
	}
	// 1,000 readers of AM in every state, some also on PM and Denver.
	h.mustReaders(h.am, 1000, func(i int) string {
		switch {
		case i%10 == 3:
			return "pending"
		case i%10 == 7:
			return "left"
		}
		return "active"
	})
	h.mustReaders(pm, 300, func(int) string { return "active" })
	h.mustReaders(h.den, 200, func(int) string { return "active" })
	// Two active AM readers are on the suppression list.
	for _, i := range []int{11, 12} {
		if _, err := h.app.DB.SQL().Exec(`INSERT INTO suppressions (email_hash, reason, created_at) VALUES ($1, 'test', $2)`,
			sqldb.EmailHash(fmt.Sprintf("reader%04d@example.com", i)), time.Now().UTC()); err != nil {
			t.Fatal(err)
		}
	}
	want := map[string]bool{}
	for i := range 1000 {
		if i%10 != 3 && i%10 != 7 && i != 11 && i != 12 {
			want[fmt.Sprintf("reader%04d@example.com", i)] = true
		}
	}
	ed := h.mustEdition(h.am)
	if _, err := h.app.SendNow(ctx, ed.ID); err != nil {
		t.Fatal(err)
	}
	h.waitSent(ed.ID, 60*time.Second)

	got := map[string]int{}
	ids := map[string]bool{}
	var sample *mail.Message
	for _, m := range relay.Messages() {
		if len(m.To) != 1 {
			t.Fatalf("a message to %v", m.To)
		}
		got[m.To[0]]++
		msg, err := mail.ReadMessage(bytes.NewReader(m.Data))
		if err != nil {
			t.Fatalf("message to %s: %v", m.To[0], err)
		}
		checkEditionHeaders(t, msg, m.To[0], ids)
		verifyDKIM(t, m.Data, record)
		sample = msg
	}
	for email := range want {
		if got[email] != 1 {
			t.Errorf("%s got the edition %d times", email, got[email])
		}
	}
	for email, n := range got {
		if !want[email] {
			t.Errorf("%s was not eligible but got %d copies", email, n)
		}
	}
	counts, _ := h.app.Editions.Counts(ctx, ed.ID)
	if counts[herald.SendAccepted] != len(want) || counts[herald.SendSuppressed] != 2 {
		t.Errorf("ledger: %v", counts)
	}
	// The one-click URL from a real message unsubscribes its reader.
	unsub := oneClickURL(t, sample)
	addr, _ := mail.ParseAddress(sample.Header.Get("To"))
	reader := addr.Address
	a := h.post(strings.TrimPrefix(unsub, h.srv.URL), url.Values{"List-Unsubscribe": {"One-Click"}})
	if a.status != 200 || h.status(reader, h.am) != herald.SubUnsubscribed {
		t.Errorf("one-click from the message: %d, %s is %s", a.status, reader, h.status(reader, h.am))
	}
	// A finished send re-run transmits nothing.
	if _, err := h.app.SendNow(ctx, ed.ID); herald.ErrorCode(err) != herald.ECONFLICT {
		t.Errorf("second send: %v", err)
	}
	// The sent edition has its public page.
	if page := h.get(ed.ArchivePath()); page.status != 200 || !strings.Contains(page.body, "Streetcars stay free") || strings.Contains(page.body, "/unsubscribe/") {
		t.Errorf("archive page %s: %d", ed.ArchivePath(), page.status)
	}
}

// checkEditionHeaders checks one received message's headers.
func checkEditionHeaders(t *testing.T, msg *mail.Message, to string, ids map[string]bool) {
	t.Helper()
	hd := msg.Header
	if hd.Get("From") != `"Herald AM" <am@herald.example>` && hd.Get("From") != "Herald AM <am@herald.example>" {
		t.Errorf("From = %q", hd.Get("From"))
	}
	if addr, err := mail.ParseAddress(hd.Get("To")); err != nil || addr.Address != to || hd.Get("Subject") != "The Fed holds, for now" {
		t.Errorf("To %q Subject %q", hd.Get("To"), hd.Get("Subject"))
	}
	if _, err := hd.Date(); err != nil {
		t.Errorf("Date: %v", err)
	}
	id := hd.Get("Message-Id")
	if id == "" || ids[id] {
		t.Errorf("Message-ID %q missing or repeated", id)
	}
	ids[id] = true
	lu := hd.Get("List-Unsubscribe")
	if !strings.Contains(lu, "<http") || !strings.Contains(lu, "/unsubscribe/") || !strings.Contains(lu, "<mailto:unsubscribe@herald.example") {
		t.Errorf("List-Unsubscribe = %q", lu)
	}
	if hd.Get("List-Unsubscribe-Post") != "List-Unsubscribe=One-Click" {
		t.Errorf("List-Unsubscribe-Post = %q", hd.Get("List-Unsubscribe-Post"))
	}
	if !strings.Contains(hd.Get("List-Id"), "<am.") {
		t.Errorf("List-Id = %q", hd.Get("List-Id"))
	}
}

func verifyDKIM(t *testing.T, raw []byte, record string) {
	t.Helper()
	verifications, err := dkim.VerifyWithOptions(bytes.NewReader(raw), &dkim.VerifyOptions{
		LookupTXT: func(domain string) ([]string, error) {
			if domain != "s1._domainkey.herald.example" {
				return nil, fmt.Errorf("unexpected lookup %s", domain)
			}
			return []string{record}, nil
		}})
	if err != nil || len(verifications) != 1 || verifications[0].Err != nil || verifications[0].Domain != "herald.example" {
		t.Fatalf("DKIM: %v %+v", err, verifications)
	}
}

// oneClickURL is the https URL of a message's List-Unsubscribe header.
func oneClickURL(t *testing.T, msg *mail.Message) string {
	t.Helper()
	for _, part := range strings.Split(msg.Header.Get("List-Unsubscribe"), ",") {
		part = strings.Trim(strings.TrimSpace(part), "<>")
		if strings.HasPrefix(part, "http") {
			return part
		}
	}
	t.Fatal("no one-click URL")
	return ""
}
