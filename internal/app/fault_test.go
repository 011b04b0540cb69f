package app_test

import (
	"context"
	"hash/fnv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
	"github.com/herald-news/herald"
	"github.com/herald-news/herald/internal/mail/smtptest"
)

// bounces reports whether a relay should hard-bounce an address: 2% of
// them, the same ones every time.
func bounces(to string) bool {
	h := fnv.New32a()
	h.Write([]byte(to))
	return h.Sum32()%50 == 0
}

// A relay that answers 451 to 20% of messages, 550 5.1.1 to 2% of readers
// and drops 2% of connections after the data: the send still ends with
// every reader accepted once, suppressed (the bounces) or unknown (the
// drops), and no one accepted twice.
func TestFaultyRelay(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	var drops atomic.Int32
	relay := &smtptest.Relay{
		Reply: func(n int, _ string, to []string) *smtp.SMTPError {
			if bounces(to[0]) {
				return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "no such mailbox"}
			}
			if n%5 == 2 {
				return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "try again later"}
			}
			return nil
		},
		Drop: func(n int) bool {
			if n%50 == 31 {
				drops.Add(1)
				return true
			}
			return false
		},
	}
	h := sendingHarness(t, relay)
	h.mustReaders(h.am, 1000, func(int) string { return "active" })
	ed := h.mustEdition(h.am)
	if _, err := h.app.SendNow(ctx, ed.ID); err != nil {
		t.Fatal(err)
	}
	h.waitSent(ed.ID, 90*time.Second)

	accepted := map[string]int{}
	for _, m := range relay.Messages() {
		accepted[m.To[0]]++
	}
	rows := ledger(t, h, ed.ID)
	var nBounced, nUnknown int
	for email, status := range rows {
		switch {
		case accepted[email] > 1:
			t.Errorf("%s accepted %d times", email, accepted[email])
		case bounces(email) && status != herald.SendUnknown: // a drop comes before the reply
			nBounced++
			if status != herald.SendSuppressed || accepted[email] != 0 {
				t.Errorf("bounced %s is %s (accepted %d)", email, status, accepted[email])
			}
			if ok, _ := h.app.Subscribers.IsSuppressed(ctx, email); !ok {
				t.Errorf("bounced %s not on the suppression list", email)
			}
		case status == herald.SendUnknown:
			nUnknown++
			if accepted[email] != 0 {
				t.Errorf("%s is unknown but the relay accepted it", email)
			}
		case status != herald.SendAccepted || accepted[email] != 1:
			t.Errorf("%s is %s, accepted %d times", email, status, accepted[email])
		}
	}
	if nBounced == 0 || nUnknown == 0 || nUnknown != int(drops.Load()) {
		t.Errorf("%d bounced, %d unknown, %d drops: the faults did not all happen", nBounced, nUnknown, drops.Load())
	}
	t.Logf("1000 readers: %d accepted, %d bounced, %d unknown", len(relay.Messages()), nBounced, nUnknown)
}

// ledger returns each recipient's ledger status.
func ledger(t *testing.T, h *harness, editionID int64) map[string]herald.SendStatus {
	t.Helper()
	rows := map[string]herald.SendStatus{}
	r, err := h.app.DB.SQL().Query(`SELECT b.email, s.status FROM sends s JOIN subscribers b ON b.id = s.subscriber_id WHERE s.edition_id = $1`, editionID)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	for r.Next() {
		var email, status string
		if err := r.Scan(&email, &status); err != nil {
			t.Fatal(err)
		}
		rows[email] = herald.SendStatus(status)
	}
	return rows
}

// An unsubscribe committed mid-send stops every message to that reader
// that has not started.
func TestUnsubscribeMidSendStopsTheRest(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	relay := &smtptest.Relay{Delay: 20 * time.Millisecond}
	h := sendingHarness(t, relay, "-smtp-connections", "1")
	h.mustReaders(h.am, 40, func(int) string { return "active" })
	ed := h.mustEdition(h.am)
	if _, err := h.app.SendNow(ctx, ed.ID); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for relay.Count() < 3 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	late := mustSubscriber(t, h, "reader0039@example.com")
	if err := h.app.Subscribers.Unsubscribe(ctx, late.ID, h.am.ID, herald.Consent{}); err != nil {
		t.Fatal(err)
	}
	h.waitSent(ed.ID, 30*time.Second)
	for _, m := range relay.Messages() {
		if strings.EqualFold(m.To[0], "reader0039@example.com") {
			t.Fatal("the reader who unsubscribed mid-send still got the edition")
		}
	}
	if got := ledger(t, h, ed.ID)["reader0039@example.com"]; got != herald.SendSuppressed {
		t.Errorf("their ledger row is %s", got)
	}
	if len(relay.Messages()) != 39 {
		t.Errorf("%d messages, want 39", len(relay.Messages()))
	}
}
