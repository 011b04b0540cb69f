package herald_test

import (
	"testing"
	"time"

	"github.com/herald-news/herald"
)

func TestRelativeTime(t *testing.T) {
	now := time.Date(2026, 11, 27, 15, 0, 0, 0, time.UTC)
	ny, _ := time.LoadLocation("America/New_York")
	tests := []struct {
		ago  time.Duration
		want string
	}{
		{0, "just now"},
		{59 * time.Second, "just now"},
		{60 * time.Second, "1 min ago"},
		{119 * time.Second, "1 min ago"},
		{2 * time.Minute, "2 mins ago"},
		{51 * time.Minute, "51 mins ago"},
		{59*time.Minute + 59*time.Second, "59 mins ago"},
		{60 * time.Minute, "1 hour ago"},
		{4*time.Hour + 30*time.Minute, "4 hours ago"},
		{23*time.Hour + 59*time.Minute, "23 hours ago"},
		{24 * time.Hour, "Nov 26, 2026"},
		{40 * time.Hour, "Nov 25, 2026"},
		{-30 * time.Second, "just now"},
		{-2 * time.Hour, "Nov 27, 2026"},
	}
	for _, tt := range tests {
		if got := herald.RelativeTime(now.Add(-tt.ago), now, time.UTC); got != tt.want {
			t.Errorf("RelativeTime(now-%v) = %q, want %q", tt.ago, got, tt.want)
		}
	}
	// The date is the reader's date in the site's zone, not UTC's.
	if got := herald.RelativeTime(time.Date(2026, 11, 26, 2, 0, 0, 0, time.UTC), now, ny); got != "Nov 25, 2026" {
		t.Errorf("date in New York = %q, want Nov 25, 2026", got)
	}
}
