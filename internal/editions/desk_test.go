package editions_test

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/internal/editions"
	"github.com/herald-news/herald/internal/sqldb"
	"github.com/herald-news/herald/internal/sqldb/sqldbtest"
)

type desk struct {
	*editions.Desk
	clock   *herald.FakeClock
	eds     *sqldb.EditionService
	room    *sqldb.NewsroomService
	notices []editions.Notice
	nl      *herald.Newsletter
	st      *sqldb.StoryService
	sec     *herald.Section
	by      *herald.Author
	city    *herald.City
}

func mustDesk(t *testing.T) *desk {
	t.Helper()
	ctx := context.Background()
	db := sqldbtest.MustOpen(t)
	clock := herald.NewFakeClock(time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC))
	db.Clock = clock
	room, stories := sqldb.NewNewsroomService(db), sqldb.NewStoryService(db)
	d := &desk{clock: clock, eds: sqldb.NewEditionService(db), st: stories, room: room,
		sec:  &herald.Section{Slug: "local", Name: "Local"},
		by:   &herald.Author{Slug: "a", Name: "A", Kind: herald.AuthorStaff},
		city: &herald.City{Slug: "denver", Name: "Denver", TimeZone: "America/Denver"}}
	d.nl = &herald.Newsletter{Slug: "denver", Name: "Herald Denver", City: d.city, Days: []string{"mon", "tue", "wed", "thu", "fri"},
		SendTime: "06:00", TimeZone: "America/Denver", FromEmail: "denver@herald.example"}
	for _, err := range []error{room.SaveSection(ctx, d.sec), room.SaveAuthor(ctx, d.by), room.SaveCity(ctx, d.city), room.SaveNewsletter(ctx, d.nl)} {
		if err != nil {
			t.Fatal(err)
		}
	}
	d.Desk = &editions.Desk{Editions: d.eds, Stories: stories, Newsroom: room, Clock: clock,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), BaseURL: "https://news.example"}
	d.Notify = func(_ context.Context, n editions.Notice) { d.notices = append(d.notices, n) }
	return d
}

// story publishes a Denver story an hour before now.
func (d *desk) story(t *testing.T, headline string) {
	t.Helper()
	st := &herald.Story{Headline: headline, Kind: herald.KindNews, Status: herald.StatusPublished, Section: d.sec, City: d.city,
		Authors: []*herald.Author{d.by}, Body: "Lede.\n\n**Why it matters:** It does.", PublishedAt: d.clock.Now().Add(-time.Hour)}
	if err := d.st.CreateStory(context.Background(), st); err != nil {
		t.Fatal(err)
	}
}

// mode sets the newsletter's send mode.
func (d *desk) mode(t *testing.T, m herald.SendMode) {
	t.Helper()
	d.nl.SendMode = m
	if err := d.room.SaveNewsletter(context.Background(), d.nl); err != nil {
		t.Fatal(err)
	}
}

// tickAt ticks the desk at a time.
func (d *desk) tickAt(t *testing.T, at time.Time) {
	t.Helper()
	d.clock.Set(at)
	if err := d.Tick(context.Background()); err != nil {
		t.Fatal(err)
	}
}

// started returns the newsletter's editions that have started.
func (d *desk) started(t *testing.T) []*herald.Edition {
	t.Helper()
	eds, err := d.eds.Editions(context.Background(), d.nl.ID, false, 100)
	if err != nil {
		t.Fatal(err)
	}
	var out []*herald.Edition
	for _, e := range eds {
		if e.Status == herald.EditionSending || e.Status == herald.EditionSent {
			out = append(out, e)
		}
	}
	return out
}

// A 06:00 America/Denver weekday newsletter fires at 06:00 local across
// the March and November clock changes, once per day however often the
// desk ticks.
func TestDeskFiresAtLocalSendTimeAcrossDaylightSaving(t *testing.T) {
	ctx := context.Background()
	d := mustDesk(t)
	d.mode(t, herald.SendAutomatic)
	days := []struct {
		date     string
		sixLocal time.Time
	}{
		{"2026-03-06", time.Date(2026, 3, 6, 13, 0, 0, 0, time.UTC)},   // Friday, MST
		{"2026-03-09", time.Date(2026, 3, 9, 12, 0, 0, 0, time.UTC)},   // Monday, MDT
		{"2026-10-30", time.Date(2026, 10, 30, 12, 0, 0, 0, time.UTC)}, // Friday, MDT
		{"2026-11-02", time.Date(2026, 11, 2, 13, 0, 0, 0, time.UTC)},  // Monday, MST
	}
	for i, day := range days {
		d.clock.Set(day.sixLocal.Add(-2 * time.Hour))
		d.story(t, "Story for "+day.date)
		d.clock.Set(day.sixLocal.Add(-time.Second))
		if err := d.Tick(ctx); err != nil {
			t.Fatal(err)
		}
		if n := len(d.started(t)); n != i {
			t.Fatalf("%s: an edition started before 06:00 local (%d started)", day.date, n)
		}
		d.clock.Set(day.sixLocal)
		for range 3 {
			if err := d.Tick(ctx); err != nil {
				t.Fatal(err)
			}
		}
		got := d.started(t)
		if len(got) != i+1 || got[0].DateString() != day.date || got[0].Opening.Headline != "Story for "+day.date {
			t.Fatalf("%s at 06:00 local: %d editions started, newest %s", day.date, len(got), got[0].DateString())
		}
		if !got[0].StartedAt.Equal(day.sixLocal) {
			t.Errorf("%s started at %v, want %v", day.date, got[0].StartedAt, day.sixLocal)
		}
	}
	// A weekend slot never fires.
	d.clock.Set(time.Date(2026, 3, 7, 13, 0, 0, 0, time.UTC))
	d.story(t, "Saturday story")
	if err := d.Tick(ctx); err != nil || len(d.started(t)) != len(days) {
		t.Errorf("a Saturday edition started (%v)", err)
	}
}

// A manual desk starts what an editor scheduled and nothing on the
// newsletter's own cadence.
func TestManualDeskStartsOnlyScheduledEditions(t *testing.T) {
	ctx := context.Background()
	d := mustDesk(t)
	d.Manual = true
	sixLocal := time.Date(2026, 3, 9, 12, 0, 0, 0, time.UTC) // Monday 06:00 in Denver
	d.clock.Set(sixLocal.Add(-2 * time.Hour))
	d.story(t, "Monday story")
	d.clock.Set(sixLocal)
	if err := d.Tick(ctx); err != nil || len(d.started(t)) != 0 {
		t.Fatalf("a manual desk started the cadence's edition (%v)", err)
	}
	ed, err := d.Draft(ctx, d.nl, time.Date(2026, 3, 10, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	if err := d.eds.SetEditionStatus(ctx, ed.ID, herald.EditionScheduled, sixLocal.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	d.clock.Set(sixLocal.Add(time.Hour))
	if err := d.Tick(ctx); err != nil {
		t.Fatal(err)
	}
	if got := d.started(t); len(got) != 1 || got[0].ID != ed.ID {
		t.Errorf("the scheduled edition did not start: %d started", len(got))
	}
}

func TestDraftPicksNewMatchingStories(t *testing.T) {
	ctx := context.Background()
	d := mustDesk(t)
	d.clock.Set(time.Date(2026, 3, 9, 10, 0, 0, 0, time.UTC))
	d.story(t, "First")
	d.story(t, "Second")
	ed, err := d.Draft(ctx, d.nl, time.Date(2026, 3, 9, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	if ed.Subject == "" || len(ed.Items) != 1 || ed.Opening.URL == "" || ed.Status != herald.EditionDraft {
		t.Errorf("draft = %+v", ed)
	}
	if want := "**Why it matters:** It does."; !strings.Contains(ed.Opening.Body, want) {
		t.Errorf("opening body %q lacks the first axiom", ed.Opening.Body)
	}
	if _, err := d.Draft(ctx, d.nl, time.Date(2026, 3, 9, 0, 0, 0, 0, time.UTC)); herald.ErrorCode(err) != herald.ECONFLICT {
		t.Errorf("second draft for the same date: %v", err)
	}
}
