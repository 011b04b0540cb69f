package herald_test

import (
	"testing"
	"time"

	"github.com/herald-news/herald"
)

// A 06:00 America/Denver weekday newsletter goes out at 06:00 local on
// both sides of the March and November clock changes.
func TestSlotsFollowDaylightSaving(t *testing.T) {
	n := &herald.Newsletter{Days: []string{"mon", "tue", "wed", "thu", "fri"}, SendTime: "06:00", TimeZone: "America/Denver"}
	tests := []struct {
		after time.Time
		want  time.Time
	}{
		// Friday before spring forward (Mar 8, 2026): MST, UTC-7.
		{time.Date(2026, 3, 5, 14, 0, 0, 0, time.UTC), time.Date(2026, 3, 6, 13, 0, 0, 0, time.UTC)},
		// Weekend skipped; Monday after: MDT, UTC-6.
		{time.Date(2026, 3, 6, 14, 0, 0, 0, time.UTC), time.Date(2026, 3, 9, 12, 0, 0, 0, time.UTC)},
		// Friday before fall back (Nov 1, 2026): MDT.
		{time.Date(2026, 10, 29, 13, 0, 0, 0, time.UTC), time.Date(2026, 10, 30, 12, 0, 0, 0, time.UTC)},
		// Monday after: MST again.
		{time.Date(2026, 10, 30, 13, 0, 0, 0, time.UTC), time.Date(2026, 11, 2, 13, 0, 0, 0, time.UTC)},
	}
	for _, tt := range tests {
		got, ok := n.NextSlot(tt.after)
		if !ok || !got.Equal(tt.want) {
			t.Errorf("NextSlot(%v) = %v, want %v", tt.after, got, tt.want)
		}
		if local := got.In(n.Location()); local.Hour() != 6 || local.Minute() != 0 {
			t.Errorf("slot %v is %v local, want 06:00", got, local)
		}
	}
}

func TestDueSlot(t *testing.T) {
	n := &herald.Newsletter{Days: []string{"mon", "tue", "wed", "thu", "fri"}, SendTime: "06:00", TimeZone: "America/Denver"}
	monday6 := time.Date(2026, 3, 9, 12, 0, 0, 0, time.UTC) // 06:00 MDT
	tests := []struct {
		now  time.Time
		ok   bool
		date string
	}{
		{monday6.Add(-time.Second), false, ""},
		{monday6, true, "2026-03-09"},
		{monday6.Add(5 * time.Hour), true, "2026-03-09"},
		{monday6.Add(7 * time.Hour), false, ""},                    // past the grace
		{time.Date(2026, 3, 8, 13, 0, 0, 0, time.UTC), false, ""},  // Sunday
		{time.Date(2026, 3, 10, 5, 59, 0, 0, time.UTC), false, ""}, // Monday 23:59 local, long past
	}
	for _, tt := range tests {
		_, date, ok := n.DueSlot(tt.now, 6*time.Hour)
		if ok != tt.ok || (ok && date.Format("2006-01-02") != tt.date) {
			t.Errorf("DueSlot(%v) = %v %v, want %v %s", tt.now, date, ok, tt.ok, tt.date)
		}
	}
}
