package app_test

import (
	"bytes"
	"context"
	"errors"
	"net/mail"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
	"github.com/herald-news/herald"
	"github.com/herald-news/herald/internal/address"
	"github.com/herald-news/herald/internal/mail/smtptest"
	"github.com/herald-news/herald/internal/subscriberio"
)

const bounceDomain = "bounces.herald.example"

// bounceHarness is a sending harness whose return paths are signed VERP
// addresses and whose bounce receiver listens on loopback.
func bounceHarness(t *testing.T, args ...string) (*harness, *smtptest.Relay) {
	t.Helper()
	relay := &smtptest.Relay{}
	h := sendingHarness(t, relay, append([]string{"-bounce-domain", bounceDomain, "-bounce-addr", "127.0.0.1:0"}, args...)...)
	if h.app.BounceAddr() == "" {
		t.Fatal("the bounce receiver is not listening")
	}
	return h, relay
}

// sent is one message the relay accepted.
type sent struct{ returnPath, to, messageID string }

// mustSendOn sends an edition of nl dated daysAgo to its readers and
// returns what the relay received for it, by reader.
func (h *harness) mustSendOn(relay *smtptest.Relay, nl *herald.Newsletter, daysAgo int) (*herald.Edition, map[string]sent) {
	h.t.Helper()
	ed := &herald.Edition{NewsletterID: nl.ID, Newsletter: nl, Subject: "The Fed holds, for now",
		Date:    time.Now().UTC().Truncate(24*time.Hour).AddDate(0, 0, -daysAgo),
		Opening: herald.EditionItem{Headline: "The Fed holds rates", Body: "Rates stay put."}}
	ctx := context.Background()
	if err := h.app.Editions.CreateEdition(ctx, ed); err != nil {
		h.t.Fatal(err)
	}
	if _, err := h.app.SendNow(ctx, ed.ID); err != nil {
		h.t.Fatal(err)
	}
	h.waitSent(ed.ID, 30*time.Second)
	got := map[string]sent{}
	for _, m := range relay.Messages() {
		msg, err := mail.ReadMessage(bytes.NewReader(m.Data))
		if err != nil {
			h.t.Fatal(err)
		}
		id := strings.Trim(msg.Header.Get("Message-Id"), "<>")
		if strings.HasPrefix(id, "edition-"+strconv.FormatInt(ed.ID, 10)+"-") {
			got[m.To[0]] = sent{returnPath: m.From, to: m.To[0], messageID: id}
		}
	}
	return ed, got
}

// report is a real-format sample from internal/bounce/testdata,
// readdressed to a real send: its VERP address, reader and Message-ID.
func report(t *testing.T, file string, s sent) []byte {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("..", "bounce", "testdata", file))
	if err != nil {
		t.Fatal(err)
	}
	return []byte(strings.NewReplacer("bounces+42.aaaaaaaaaaaaaaaa@bounces.herald.example", s.returnPath,
		"reader0001@example.com", s.to, "edition-7-12@herald.example", s.messageID).Replace(string(raw)))
}

// mailBounce hands raw to the bounce receiver over SMTP, as a remote
// server returning a bounce does: null sender, to the VERP address.
func (h *harness) mailBounce(to string, raw []byte) error {
	h.t.Helper()
	c, err := smtp.Dial(h.app.BounceAddr())
	if err != nil {
		h.t.Fatal(err)
	}
	defer c.Close()
	if err := c.Hello("mx.example.net"); err != nil {
		return err
	}
	if err := c.Mail("", nil); err != nil {
		return err
	}
	if err := c.Rcpt(to, nil); err != nil {
		return err
	}
	w, err := c.Data()
	if err != nil {
		return err
	}
	if _, err := w.Write(raw); err != nil {
		return err
	}
	if err := w.Close(); err != nil {
		return err
	}
	return c.Quit()
}

func (h *harness) mustMailBounce(to string, raw []byte) {
	h.t.Helper()
	if err := h.mailBounce(to, raw); err != nil {
		h.t.Fatalf("bounce to %s: %v", to, err)
	}
}

func (h *harness) suppressed(email string) bool {
	h.t.Helper()
	ok, err := h.app.Subscribers.IsSuppressed(context.Background(), email)
	if err != nil {
		h.t.Fatal(err)
	}
	return ok
}

// count runs a COUNT(*) query.
func (h *harness) count(query string, args ...any) int {
	h.t.Helper()
	var n int
	if err := h.app.DB.SQL().QueryRow(query, args...).Scan(&n); err != nil {
		h.t.Fatal(err)
	}
	return n
}

func active(int) string { return "active" }

func TestHardBounceBySMTPSuppressesThatReaderAndNoImportRevivesIt(t *testing.T) {
	t.Parallel()
	h, relay := bounceHarness(t)
	h.mustReaders(h.am, 3, active)
	_, got := h.mustSendOn(relay, h.am, 1)
	s := got["reader0001@example.com"]
	if !strings.HasPrefix(s.returnPath, "bounces+") || !strings.HasSuffix(s.returnPath, "@"+bounceDomain) {
		t.Fatalf("return path %q is not a VERP address", s.returnPath)
	}
	dsn := report(t, "dsn-5.1.1.eml", s)
	h.mustMailBounce(s.returnPath, dsn)
	h.mustMailBounce(s.returnPath, dsn) // the remote server retried
	if !h.suppressed("reader0001@example.com") || h.suppressed("reader0000@example.com") || h.suppressed("reader0002@example.com") {
		t.Fatal("the 5.1.1 bounce did not suppress exactly its reader")
	}
	if n := h.count(`SELECT COUNT(*) FROM bounce_events WHERE kind = 'hard' AND action = 'suppressed'`); n != 1 {
		t.Errorf("%d hard bounce events, want 1", n)
	}
	// Re-importing the address, even as confirmed, does not revive it.
	rep, err := subscriberio.Import(context.Background(), strings.NewReader("email,name\nreader0001@example.com,Reader One\n"), 0,
		h.app.Subscribers.ImportSink(h.am.ID, true, "reimport"), subscriberio.Options{Validate: func(raw string) (string, bool, error) {
			a, err := address.Parse(raw)
			if err != nil {
				return "", false, err
			}
			return a.Email, a.UTF8Local, nil
		}})
	if err != nil || rep.Changed != 0 {
		t.Fatalf("re-import: %+v %v", rep, err)
	}
	ed2, got2 := h.mustSendOn(relay, h.am, 0)
	if _, ok := got2["reader0001@example.com"]; ok || len(got2) != 2 {
		t.Errorf("the next edition went to %v", got2)
	}
	var status, reply string
	h.app.DB.SQL().QueryRow(`SELECT s.status, s.reply FROM sends s JOIN subscribers b ON b.id = s.subscriber_id
		WHERE s.edition_id = $1 AND b.email = 'reader0001@example.com'`, ed2.ID).Scan(&status, &reply)
	if status != string(herald.SendSuppressed) {
		t.Errorf("ledger row of the suppressed reader: %q %q", status, reply)
	}
}

func TestSoftBouncesOnThreeEditionsSuppress(t *testing.T) {
	t.Parallel()
	h, relay := bounceHarness(t)
	h.mustReaders(h.am, 2, active)
	reader := "reader0001@example.com"
	_, ed1 := h.mustSendOn(relay, h.am, 3)
	h.mustMailBounce(ed1[reader].returnPath, report(t, "dsn-4.2.2.eml", ed1[reader]))
	h.mustMailBounce(ed1[reader].returnPath, report(t, "dsn-5.2.2.eml", ed1[reader])) // same edition: still one
	h.mustMailBounce(ed1[reader].returnPath, report(t, "dsn-delayed.eml", ed1[reader]))
	_, ed2 := h.mustSendOn(relay, h.am, 2)
	h.mustMailBounce(ed2[reader].returnPath, report(t, "dsn-5.2.2.eml", ed2[reader]))
	if h.suppressed(reader) {
		t.Fatal("suppressed after soft bounces on two editions")
	}
	if n := h.count(`SELECT COUNT(*) FROM bounce_events WHERE kind = 'soft' AND action = 'counted'`); n != 3 {
		t.Errorf("%d soft bounces counted, want 3 (a delay warning is not one)", n)
	}
	_, ed3 := h.mustSendOn(relay, h.am, 1)
	h.mustMailBounce(ed3[reader].returnPath, report(t, "dsn-4.2.2.eml", ed3[reader]))
	if !h.suppressed(reader) || h.suppressed("reader0000@example.com") {
		t.Fatal("soft bounces on three editions did not suppress exactly their reader")
	}
	list, err := h.app.Bounces.Suppressions(context.Background())
	if err != nil || len(list) != 1 || list[0].Reason != "soft bounces on 3 editions within 30 days" || list[0].Email != reader {
		t.Errorf("suppression list: %+v %v", list, err)
	}
}

func TestPolicyBounceSuppressesNoOneAndRaisesTheAlert(t *testing.T) {
	t.Parallel()
	h, relay := bounceHarness(t)
	h.mustReaders(h.am, 2, active)
	_, got := h.mustSendOn(relay, h.am, 0)
	s := got["reader0001@example.com"]
	h.mustMailBounce(s.returnPath, report(t, "dsn-5.7.26.eml", s))
	if h.suppressed(s.to) || h.status(s.to, h.am) != herald.SubActive {
		t.Error("our own authentication failure blamed the reader")
	}
	alerts, err := h.app.Bounces.Alerts(context.Background(), 10)
	if err != nil || len(alerts) != 1 || !strings.Contains(alerts[0].Message, "5.7.26") || strings.Contains(alerts[0].Message, s.to) {
		t.Fatalf("alerts: %+v %v", alerts, err)
	}
	metrics := h.metrics()
	for _, want := range []string{`herald_bounce_events_total{kind="policy",newsletter="am"} 1`, "herald_bounce_alerts_open 1"} {
		if !strings.Contains(metrics, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
}

func TestBounceWithABadVERPSignatureChangesNothing(t *testing.T) {
	t.Parallel()
	h, relay := bounceHarness(t)
	h.mustReaders(h.am, 3, active)
	_, got := h.mustSendOn(relay, h.am, 0)
	s, other := got["reader0001@example.com"], got["reader0002@example.com"]
	at := strings.IndexByte(s.returnPath, '@')
	flipped := s.returnPath[:at-1] + map[bool]string{true: "b", false: "a"}[s.returnPath[at-1] == 'a'] + s.returnPath[at:]
	mac := s.returnPath[strings.IndexByte(s.returnPath, '.')+1 : at]
	otherID := other.returnPath[len("bounces+"):strings.IndexByte(other.returnPath, '.')]
	for _, to := range []string{
		flipped, // one character of the signature changed
		"bounces+" + otherID + "." + mac + "@" + bounceDomain, // another row with this row's signature
		"postmaster@" + bounceDomain,
		"reader0002@example.com", // not our domain: we relay nothing
	} {
		err := h.mailBounce(to, report(t, "dsn-5.1.1.eml", s))
		var se *smtp.SMTPError
		if !errors.As(err, &se) || se.Code != 550 {
			t.Errorf("RCPT %s: %v, want 550", to, err)
		}
	}
	if n := h.count(`SELECT COUNT(*) FROM bounce_events`); n != 0 || h.suppressed(s.to) || h.suppressed(other.to) {
		t.Errorf("a forged bounce changed something: %d events", n)
	}
	if !strings.Contains(h.metrics(), `herald_bounce_rejected_total{reason="bad signature",source="smtp"} 2`) {
		t.Error("refused bounces are not counted")
	}
}
