package sqldb_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/internal/bounce"
	"github.com/herald-news/herald/internal/sqldb"
)

func TestActiveAndSignupsByDay(t *testing.T) {
	ctx := context.Background()
	s := mustSubscribers(t)
	at := func(day int, hour int) { // day of November 2026
		s.clock.Set(time.Date(2026, 11, day, hour, 0, 0, 0, time.UTC))
	}
	confirm := func(email string, nl *herald.Newsletter) {
		t.Helper()
		out := s.signup(t, email, nl)
		if err := s.subs.Confirm(ctx, out.Subscriber.ID, nl.ID, herald.Consent{Action: "confirm"}); err != nil {
			t.Fatal(err)
		}
	}
	unsubscribe := func(email string, nl *herald.Newsletter) {
		t.Helper()
		sub, err := s.subs.FindSubscriberByEmail(ctx, email)
		if err == nil {
			err = s.subs.Unsubscribe(ctx, sub.ID, nl.ID, herald.Consent{})
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	at(10, 9) // before the window
	confirm("a@example.org", s.am)
	at(21, 9)
	confirm("e@example.org", s.am)
	at(22, 9)
	confirm("b@example.org", s.am)
	s.signup(t, "c@example.org", s.am) // pending: never counts
	at(23, 9)                          // e's address bounces for good: no longer reachable
	if _, err := sqldb.NewBounceService(s.db).RecordBounce(ctx, bounce.Event{Provider: bounce.ProviderMail, ID: "dsn-e",
		Kind: bounce.Hard, Status: "5.1.1", Email: "e@example.org"}, bounce.DefaultSoftRule); err != nil {
		t.Fatal(err)
	}
	at(24, 9)
	unsubscribe("a@example.org", s.am)
	at(25, 9)
	confirm("d@example.org", s.pm)
	at(25, 18)
	unsubscribe("d@example.org", s.pm) // on and off within the day
	at(27, 12)

	from := time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)
	active, err := s.subs.ActiveByDay(ctx, from, 8) // Nov 20 … 27
	if err != nil {
		t.Fatal(err)
	}
	if got, want := fmt.Sprint(active[s.am.ID]), "[1 2 3 2 1 1 1 1]"; got != want {
		t.Errorf("AM active by day: %s, want %s", got, want)
	}
	if n, err := sqldb.NewEditionService(s.db).Audience(ctx, s.am.ID); err != nil || n != 1 {
		t.Errorf("AM audience: %d %v, want only b (e bounced, a left)", n, err)
	}
	if got := active[s.pm.ID]; got != nil && fmt.Sprint(got) != "[0 0 0 0 0 0 0 0]" {
		t.Errorf("PM active by day: %v, want zeros", got)
	}
	signups, err := s.subs.SignupsByDay(ctx, from, 8)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := fmt.Sprint(signups), "[0 1 2 0 0 1 0 0]"; got != want {
		t.Errorf("signups by day: %s, want %s", got, want)
	}
}
