package sqldb_test

import (
	"context"
	"testing"
	"time"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/internal/sqldb"
	"github.com/herald-news/herald/internal/subscriberio"
)

// subscribers is the fixture newsroom with two newsletters.
type subscribers struct {
	*fixture
	subs   *sqldb.SubscriberService
	am, pm *herald.Newsletter
}

func mustSubscribers(t testing.TB) *subscribers {
	t.Helper()
	f := mustFixture(t)
	s := &subscribers{fixture: f, subs: sqldb.NewSubscriberService(f.db),
		am: &herald.Newsletter{Slug: "am", Name: "AM", TimeZone: "America/New_York", SendTime: "06:00"},
		pm: &herald.Newsletter{Slug: "pm", Name: "PM", TimeZone: "America/New_York", SendTime: "16:00"}}
	for _, n := range []*herald.Newsletter{s.am, s.pm} {
		if err := f.newsroom.SaveNewsletter(context.Background(), n); err != nil {
			t.Fatal(err)
		}
	}
	return s
}

func (s *subscribers) signup(t *testing.T, email string, nl *herald.Newsletter) herald.SignupOutcome {
	t.Helper()
	out, err := s.subs.Signup(context.Background(), herald.Signup{Email: email, NewsletterID: nl.ID, IP: "192.0.2.1", UserAgent: "test", Form: "/"})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func (s *subscribers) status(t *testing.T, email string, nl *herald.Newsletter) herald.SubscriptionStatus {
	t.Helper()
	sub, err := s.subs.FindSubscriberByEmail(context.Background(), email)
	if herald.ErrorCode(err) == herald.ENOTFOUND {
		return ""
	} else if err != nil {
		t.Fatal(err)
	}
	for _, sn := range sub.Subscriptions {
		if sn.NewsletterID == nl.ID {
			return sn.Status
		}
	}
	return ""
}

func TestSignupConfirmOncePerDay(t *testing.T) {
	ctx := context.Background()
	s := mustSubscribers(t)
	first := s.signup(t, "Ann@Example.com", s.am)
	if !first.SendConfirm || s.status(t, "ann@example.com", s.am) != herald.SubPending {
		t.Fatalf("first signup: %+v", first)
	}
	if again := s.signup(t, "ann@example.COM", s.am); again.SendConfirm || again.Subscriber.ID != first.Subscriber.ID {
		t.Errorf("second signup within a day: %+v", again)
	}
	if other := s.signup(t, "ann@example.com", s.pm); other.SendConfirm {
		t.Error("a second confirmation email to the same address within a day")
	}
	s.clock.Advance(24 * time.Hour)
	if later := s.signup(t, "ann@example.com", s.am); !later.SendConfirm {
		t.Error("no confirmation a day later")
	}
	// Confirming proves the address: every pending newsletter goes active.
	if err := s.subs.Confirm(ctx, first.Subscriber.ID, s.am.ID, herald.Consent{IP: "192.0.2.9"}); err != nil {
		t.Fatal(err)
	}
	if s.status(t, "ann@example.com", s.am) != herald.SubActive || s.status(t, "ann@example.com", s.pm) != herald.SubActive {
		t.Error("confirm did not activate the pending subscriptions")
	}
	if again := s.signup(t, "ann@example.com", s.am); again.SendConfirm || s.status(t, "ann@example.com", s.am) != herald.SubActive {
		t.Error("signing up again while active changed something")
	}
}

func TestUnsubscribeResubscribeAndPreferences(t *testing.T) {
	ctx := context.Background()
	s := mustSubscribers(t)
	id := s.signup(t, "bo@example.com", s.am).Subscriber.ID
	if err := s.subs.Confirm(ctx, id, s.am.ID, herald.Consent{}); err != nil {
		t.Fatal(err)
	}
	for range 2 { // idempotent
		if err := s.subs.Unsubscribe(ctx, id, s.am.ID, herald.Consent{}); err != nil {
			t.Fatal(err)
		}
	}
	if s.status(t, "bo@example.com", s.am) != herald.SubUnsubscribed {
		t.Error("not unsubscribed")
	}
	s.clock.Advance(25 * time.Hour)
	if out := s.signup(t, "bo@example.com", s.am); !out.SendConfirm || s.status(t, "bo@example.com", s.am) != herald.SubPending {
		t.Error("a reader who left and signs up again must confirm again")
	}
	// A reader with a confirmed address adds a newsletter from preferences
	// without a new confirmation.
	if err := s.subs.SetSubscriptions(ctx, id, map[int64]bool{s.pm.ID: true, s.am.ID: false}, herald.Consent{}); err != nil {
		t.Fatal(err)
	}
	if s.status(t, "bo@example.com", s.pm) != herald.SubActive || s.status(t, "bo@example.com", s.am) != herald.SubUnsubscribed {
		t.Errorf("preferences: pm %s am %s", s.status(t, "bo@example.com", s.pm), s.status(t, "bo@example.com", s.am))
	}
	if err := s.subs.UnsubscribeAll(ctx, id, herald.Consent{}); err != nil {
		t.Fatal(err)
	}
	if s.status(t, "bo@example.com", s.pm) != herald.SubUnsubscribed {
		t.Error("unsubscribe all left pm on")
	}
	if err := s.subs.Unsubscribe(ctx, 9999, s.am.ID, herald.Consent{}); herald.ErrorCode(err) != herald.ENOTFOUND {
		t.Errorf("unknown subscriber: %v", err)
	}
}

func TestDeleteErasesAndSuppresses(t *testing.T) {
	ctx := context.Background()
	s := mustSubscribers(t)
	s.signup(t, "cy@example.com", s.am)
	if err := s.subs.Delete(ctx, "CY@example.com"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.subs.FindSubscriberByEmail(ctx, "cy@example.com"); herald.ErrorCode(err) != herald.ENOTFOUND {
		t.Errorf("subscriber still there: %v", err)
	}
	if ok, err := s.subs.IsSuppressed(ctx, "cy@EXAMPLE.com"); err != nil || !ok {
		t.Errorf("suppressed = %v, %v", ok, err)
	}
	if out := s.signup(t, "cy@example.com", s.am); out.SendConfirm || out.Subscriber != nil {
		t.Error("an erased address signed up again")
	}
	sink := s.subs.ImportSink(s.am.ID, true, "test")
	if n, err := sink.ImportRows(ctx, []subscriberio.Row{{Line: 2, Email: "cy@example.com"}}); err != nil || n != 0 {
		t.Errorf("import of an erased address: %d, %v", n, err)
	}
	if err := s.subs.Delete(ctx, "nobody@example.com"); herald.ErrorCode(err) != herald.ENOTFOUND {
		t.Errorf("delete unknown: %v", err)
	}
}

func TestImportIsIdempotentAndNeverResubscribes(t *testing.T) {
	ctx := context.Background()
	s := mustSubscribers(t)
	left := s.signup(t, "left@example.com", s.am).Subscriber.ID
	if err := s.subs.Unsubscribe(ctx, left, s.am.ID, herald.Consent{}); err != nil {
		t.Fatal(err)
	}
	rows := []subscriberio.Row{
		{Line: 2, Email: "new@example.com", Name: "New"},
		{Line: 3, Email: "left@example.com"},
		{Line: 4, Email: "gone@example.com", Unsubscribed: true},
	}
	pending := s.subs.ImportSink(s.am.ID, false, "test")
	if n, err := pending.ImportRows(ctx, rows); err != nil || n != 2 {
		t.Fatalf("first import changed %d (%v), want 2", n, err)
	}
	if n, _ := pending.ImportRows(ctx, rows); n != 0 {
		t.Errorf("second import changed %d", n)
	}
	if s.status(t, "new@example.com", s.am) != herald.SubPending || s.status(t, "left@example.com", s.am) != herald.SubUnsubscribed {
		t.Error("import statuses wrong")
	}
	confirmed := s.subs.ImportSink(s.am.ID, true, "test")
	if n, _ := confirmed.ImportRows(ctx, rows); n != 1 || s.status(t, "new@example.com", s.am) != herald.SubActive {
		t.Errorf("confirmed import changed %d; new is %s", n, s.status(t, "new@example.com", s.am))
	}
	if s.status(t, "left@example.com", s.am) != herald.SubUnsubscribed {
		t.Error("an import re-subscribed a reader who left")
	}
}
