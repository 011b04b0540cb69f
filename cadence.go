package herald

import (
	"strings"
	"time"
)

// Location is the newsletter's time zone, UTC when unknown.
func (n *Newsletter) Location() *time.Location {
	if loc, err := time.LoadLocation(n.TimeZone); err == nil {
		return loc
	}
	return time.UTC
}

// SendsOn reports whether the cadence includes the weekday.
func (n *Newsletter) SendsOn(day time.Weekday) bool {
	key := strings.ToLower(day.String()[:3])
	for _, d := range n.Days {
		if strings.ToLower(d) == key {
			return true
		}
	}
	return false
}

// SlotOn is the instant of the send time on a calendar date in the
// newsletter's zone: 06:00 in Denver is 13:00 UTC in winter and 12:00 in
// summer. On a spring-forward day a time that does not exist moves forward
// by the gap, as Go's time.Date does.
func (n *Newsletter) SlotOn(year int, month time.Month, day int) (time.Time, bool) {
	at, err := time.Parse("15:04", n.SendTime)
	if err != nil {
		return time.Time{}, false
	}
	return time.Date(year, month, day, at.Hour(), at.Minute(), 0, 0, n.Location()), true
}

// DueSlot returns the latest send slot at or before now, if it is on the
// cadence and no older than grace: the edition that should be going out.
// Its date is the local calendar date, at 00:00 UTC.
func (n *Newsletter) DueSlot(now time.Time, grace time.Duration) (slot, date time.Time, ok bool) {
	local := now.In(n.Location())
	for back := 0; back <= 1; back++ {
		d := local.AddDate(0, 0, -back)
		s, valid := n.SlotOn(d.Year(), d.Month(), d.Day())
		if !valid || !n.SendsOn(d.Weekday()) || s.After(now) || now.Sub(s) > grace {
			continue
		}
		return s, time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, time.UTC), true
	}
	return time.Time{}, time.Time{}, false
}

// NextSlot returns the first send slot after t on the cadence.
func (n *Newsletter) NextSlot(t time.Time) (time.Time, bool) {
	local := t.In(n.Location())
	for i := 0; i <= 8; i++ {
		d := local.AddDate(0, 0, i)
		s, valid := n.SlotOn(d.Year(), d.Month(), d.Day())
		if valid && n.SendsOn(d.Weekday()) && s.After(t) {
			return s, true
		}
	}
	return time.Time{}, false
}

// ParseSendTime reads a send time as RFC 3339, or as 2026-11-28T06:00 in
// the newsletter's zone (what a datetime-local input sends).
func (n *Newsletter) ParseSendTime(at string) (time.Time, error) {
	if when, err := time.Parse(time.RFC3339, at); err == nil {
		return when, nil
	}
	when, err := time.ParseInLocation("2006-01-02T15:04", at, n.Location())
	if err != nil {
		return time.Time{}, Errorf(EINVALID, "The send time %q must look like 2026-11-28T06:00 (in %s) or be RFC 3339.",
			at, n.TimeZone)
	}
	return when, nil
}
