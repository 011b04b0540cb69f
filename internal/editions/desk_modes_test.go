package editions_test

import (
	"context"
	"testing"
	"time"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/internal/editions"
)

// monday6 is Monday 2026-03-09 06:00 in Denver.
var monday6 = time.Date(2026, 3, 9, 12, 0, 0, 0, time.UTC)

func day(t time.Time) time.Time { return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC) }

func (d *desk) edition(t *testing.T, date time.Time) *herald.Edition {
	t.Helper()
	ed, err := d.eds.FindEditionByDate(context.Background(), d.nl.ID, date)
	if err != nil {
		t.Fatal(err)
	}
	return ed
}

// An approve newsletter's untouched draft reaches its slot: nothing
// starts, the edition is marked missed, the editors are told once, and it
// never goes out late on its own.
func TestApproveSlotMarksUntouchedDraftMissed(t *testing.T) {
	ctx := context.Background()
	d := mustDesk(t)
	d.tickAt(t, monday6.Add(-3*time.Hour)) // the desk's first look
	d.story(t, "TK TK headline still to come")
	if _, err := d.Draft(ctx, d.nl, day(monday6)); err != nil {
		t.Fatal(err)
	}
	d.tickAt(t, monday6.Add(-time.Minute))
	for i := range 3 {
		d.tickAt(t, monday6.Add(time.Duration(i)*time.Minute))
	}
	d.tickAt(t, monday6.Add(3*time.Hour))
	if got := d.started(t); len(got) != 0 {
		t.Fatalf("an unapproved edition started: %+v", got[0])
	}
	ed := d.edition(t, day(monday6))
	if ed.Status != herald.EditionDraft || !ed.MissedAt.Equal(monday6) {
		t.Errorf("edition status %s, missed at %v; want a draft missed at %v", ed.Status, ed.MissedAt, monday6)
	}
	if len(d.notices) != 1 || d.notices[0].Kind != editions.NoticeMissed || d.notices[0].Edition.ID != ed.ID {
		t.Errorf("notices = %+v, want one missed notice", d.notices)
	}
}

// At an approve newsletter's slot with no draft, the desk drafts one and
// tells the editors; nothing goes out.
func TestApproveSlotDraftsAndTellsEditors(t *testing.T) {
	d := mustDesk(t)
	d.tickAt(t, monday6.Add(-2*time.Hour))
	d.story(t, "Monday story")
	d.tickAt(t, monday6.Add(-time.Minute))
	d.tickAt(t, monday6)
	ed := d.edition(t, day(monday6))
	if ed.Opening.Headline != "Monday story" || ed.Status != herald.EditionDraft || ed.MissedAt.IsZero() {
		t.Errorf("edition = %s %q missed %v", ed.Status, ed.Opening.Headline, ed.MissedAt)
	}
	if len(d.notices) != 1 || len(d.started(t)) != 0 {
		t.Errorf("%d notices, %d started", len(d.notices), len(d.started(t)))
	}
}

// An automatic newsletter goes out at its slot; one an editor held does
// not, and is marked missed instead.
func TestAutomaticSlotSendsUnlessHeld(t *testing.T) {
	ctx := context.Background()
	d := mustDesk(t)
	d.mode(t, herald.SendAutomatic)
	d.tickAt(t, monday6.Add(-2*time.Hour))
	d.story(t, "Monday story")
	d.tickAt(t, monday6.Add(-time.Minute))
	d.tickAt(t, monday6)
	if got := d.started(t); len(got) != 1 || got[0].DateString() != "2026-03-09" {
		t.Fatalf("the automatic edition did not start at its slot: %d started", len(got))
	}
	tuesday6 := monday6.Add(24 * time.Hour)
	d.tickAt(t, tuesday6.Add(-2*time.Hour))
	d.story(t, "Tuesday story")
	ed, err := d.Draft(ctx, d.nl, day(tuesday6))
	if err != nil {
		t.Fatal(err)
	}
	if err := d.eds.HoldEdition(ctx, ed.ID, true); err != nil {
		t.Fatal(err)
	}
	d.tickAt(t, tuesday6.Add(-time.Minute))
	d.tickAt(t, tuesday6)
	if got := d.started(t); len(got) != 1 {
		t.Fatalf("a held edition started at its slot")
	}
	if ed = d.edition(t, day(tuesday6)); ed.MissedAt.IsZero() || !ed.Held || len(d.notices) != 1 {
		t.Errorf("held edition: missed %v, held %v, %d notices", ed.MissedAt, ed.Held, len(d.notices))
	}
}

// A slot that passed before the desk's first look, or while Herald was
// down, is never sent, even for an automatic newsletter.
func TestNoCatchUpOfPassedSlots(t *testing.T) {
	ctx := context.Background()
	d := mustDesk(t)
	d.mode(t, herald.SendAutomatic)
	d.clock.Set(monday6.Add(-time.Hour))
	d.story(t, "Monday story")
	if _, err := d.Draft(ctx, d.nl, day(monday6)); err != nil {
		t.Fatal(err)
	}
	d.tickAt(t, monday6.Add(time.Minute)) // first start, just after the slot
	d.tickAt(t, monday6.Add(2*time.Minute))
	if len(d.started(t)) != 0 || len(d.notices) != 0 {
		t.Fatalf("a slot before the first start was acted on")
	}
	// Down from 05:00 to 06:30 on Tuesday.
	tuesday6 := monday6.Add(24 * time.Hour)
	d.tickAt(t, tuesday6.Add(-time.Hour))
	d.story(t, "Tuesday story")
	if _, err := d.Draft(ctx, d.nl, day(tuesday6)); err != nil {
		t.Fatal(err)
	}
	d.tickAt(t, tuesday6.Add(30*time.Minute))
	if len(d.started(t)) != 0 {
		t.Fatalf("a slot missed during downtime went out late")
	}
	if ed := d.edition(t, day(tuesday6)); ed.MissedAt.IsZero() || len(d.notices) != 1 {
		t.Errorf("downtime slot: missed %v, %d notices", ed.MissedAt, len(d.notices))
	}
}

// The restart case: yesterday's edition is still sending when today's
// slot comes. Today's edition holds none of yesterday's stories.
func TestNextSlotWhileSendingRepeatsNoStory(t *testing.T) {
	ctx := context.Background()
	d := mustDesk(t)
	d.mode(t, herald.SendAutomatic)
	d.tickAt(t, monday6.Add(-2*time.Hour))
	d.story(t, "Old one")
	d.story(t, "Old two")
	d.tickAt(t, monday6.Add(-time.Minute))
	d.tickAt(t, monday6)
	first := d.started(t)
	if len(first) != 1 || first[0].Status != herald.EditionSending {
		t.Fatalf("Monday's edition: %+v", first)
	}
	// Monday's stories were published an hour before 04:00; Tuesday's
	// 06:00 comes while Monday's is still sending.
	tuesday6 := monday6.Add(24 * time.Hour)
	d.tickAt(t, tuesday6.Add(-time.Minute))
	d.tickAt(t, tuesday6)
	if _, err := d.eds.FindEditionByDate(ctx, d.nl.ID, day(tuesday6)); herald.ErrorCode(err) != herald.ENOTFOUND {
		t.Fatalf("Tuesday was drafted from Monday's stories (%v)", err)
	}
	d.clock.Set(tuesday6.Add(time.Hour))
	d.story(t, "New one")
	ed, err := d.Draft(ctx, d.nl, day(tuesday6.Add(24*time.Hour)))
	if err != nil {
		t.Fatal(err)
	}
	seen := map[int64]bool{first[0].Opening.StoryID: true}
	for _, it := range first[0].Items {
		seen[it.StoryID] = true
	}
	for _, it := range append([]herald.EditionItem{ed.Opening}, ed.Items...) {
		if seen[it.StoryID] {
			t.Errorf("story %d %q is in both editions", it.StoryID, it.Headline)
		}
	}
}

// An edition that cannot go out at its slot is blocked with the reason,
// the editors are told, and it does not go out by itself once the problem
// is fixed.
func TestBlockedAtSlotStaysBlocked(t *testing.T) {
	ctx := context.Background()
	d := mustDesk(t)
	d.mode(t, herald.SendAutomatic)
	d.Preflight = func(context.Context, *herald.Edition) error {
		return herald.Errorf(herald.EINVALID, "The site has no postal address.")
	}
	d.tickAt(t, monday6.Add(-2*time.Hour))
	d.story(t, "Monday story")
	ed, err := d.Draft(ctx, d.nl, day(monday6))
	if err != nil {
		t.Fatal(err)
	}
	if err := d.eds.SetEditionStatus(ctx, ed.ID, herald.EditionScheduled, monday6.Add(-time.Hour)); err != nil {
		t.Fatal(err)
	}
	d.tickAt(t, monday6.Add(-time.Hour))
	ed = d.edition(t, day(monday6))
	if ed.Status != herald.EditionDraft || ed.Blocked != "The site has no postal address." {
		t.Fatalf("blocked edition: %s %q", ed.Status, ed.Blocked)
	}
	if len(d.notices) != 1 || d.notices[0].Kind != editions.NoticeBlocked || d.notices[0].Reason != ed.Blocked {
		t.Errorf("notices = %+v", d.notices)
	}
	d.Preflight = nil
	for i := range 3 {
		d.tickAt(t, monday6.Add(time.Duration(i)*time.Minute))
	}
	if len(d.started(t)) != 0 {
		t.Errorf("a blocked edition went out by itself once the problem was fixed")
	}
}
