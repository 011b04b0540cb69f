package storyfile

import (
	"fmt"
	"strings"
	"time"
)

// parseTime reads a time of a story file: RFC 3339, or a signed Go
// duration from now ("-51m", "+2h"), which demo content and scripts use.
func parseTime(s string, now time.Time) (time.Time, error) {
	if strings.HasPrefix(s, "-") || strings.HasPrefix(s, "+") {
		d, err := time.ParseDuration(s)
		if err != nil {
			return time.Time{}, fmt.Errorf("%q is not a duration; write it like -51m, -5h or +2h30m", s)
		}
		return now.Add(d), nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("%q is not a time; write it like 2026-11-26T14:05:00Z, or as a signed duration from now like -51m or +2h", s)
	}
	return t.UTC(), nil
}
