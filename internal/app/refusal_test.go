package app_test

import (
	"context"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
	"github.com/herald-news/herald"
	"github.com/herald-news/herald/internal/bounce"
	"github.com/herald-news/herald/internal/delivery"
	"github.com/herald-news/herald/internal/mail/smtptest"
)

// A reader the relay refuses for good during the send (550 5.1.1) is a
// hard bounce everywhere editors look: not delivered in the edition's
// counts, a bounce of the edition, one on the reader's page, and
// suppressed.
func TestRefusalDuringTheSendIsAHardBounce(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	relay := &smtptest.Relay{Reply: func(_ int, _ string, to []string) *smtp.SMTPError {
		if to[0] == "reader0001@example.com" {
			return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "no such user here"}
		}
		return nil
	}}
	h := sendingHarness(t, relay)
	h.mustReaders(h.am, 3, func(int) string { return "active" })
	ed := h.mustEdition(h.am)
	if _, err := h.app.SendNow(ctx, ed.ID); err != nil {
		t.Fatal(err)
	}
	h.waitSent(ed.ID, 60*time.Second)

	p, err := delivery.Report(ctx, h.app.Editions, ed.ID, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if p.NotAccepted != 1 || p.Bounces != 1 || len(p.Recent) != 1 || p.Recent[0].Email != "reader0001@example.com" {
		t.Errorf("progress: %d not accepted, %d bounces, problems %+v", p.NotAccepted, p.Bounces, p.Recent)
	}
	sub := mustSubscriber(t, h, "reader0001@example.com")
	events, err := h.app.Bounces.SubscriberBounces(ctx, sub.ID, 10)
	if err != nil || len(events) != 1 || events[0].Kind != bounce.Hard || events[0].Status != "5.1.1" {
		t.Errorf("the reader's bounces: %+v %v", events, err)
	}
	if suppressed, _ := h.app.Subscribers.IsSuppressed(ctx, "reader0001@example.com"); !suppressed {
		t.Error("the refused reader is not suppressed")
	}
	if got := h.status("reader0002@example.com", h.am); got != herald.SubActive {
		t.Errorf("an accepted reader is %s", got)
	}
}
