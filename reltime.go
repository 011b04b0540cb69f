package herald

import (
	"strconv"
	"time"
)

// RelativeTime says how long ago t was, as a stream card shows it: "just
// now", "1 min ago", "51 mins ago", "1 hour ago", "4 hours ago", then the
// date ("Nov 25, 2026") from 24 hours on, in loc. A time in the future (a
// skewed clock) reads "just now" within a minute and as a date beyond.
func RelativeTime(t, now time.Time, loc *time.Location) string {
	d := now.Sub(t)
	switch {
	case d < -time.Minute, d >= 24*time.Hour:
		return t.In(loc).Format("Jan 2, 2006")
	case d < time.Minute:
		return "just now"
	case d < time.Hour:
		return plural(int(d/time.Minute), "min") + " ago"
	default:
		return plural(int(d/time.Hour), "hour") + " ago"
	}
}

func plural(n int, unit string) string {
	if n == 1 {
		return "1 " + unit
	}
	return strconv.Itoa(n) + " " + unit + "s"
}
