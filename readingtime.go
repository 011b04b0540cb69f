package herald

import (
	"strconv"
)

// readingWordsPerMinute is the reading speed behind ReadingTimeFor.
const readingWordsPerMinute = 250

// ReadingTime is a reading time in half minutes.
type ReadingTime struct{ HalfMinutes int }

// ReadingTimeFor applies the rule minutes = floor(words / 250 * 2) / 2.
func ReadingTimeFor(words int) ReadingTime {
	if words <= 0 {
		return ReadingTime{}
	}
	return ReadingTime{HalfMinutes: words * 2 / readingWordsPerMinute}
}

// Minutes returns the reading time in minutes.
func (r ReadingTime) Minutes() float64 {
	return float64(r.HalfMinutes) / 2
}

// String formats the reading time: "< 1 min", "½ min", "1 min", "1½ mins", "3 mins".
func (r ReadingTime) String() string {
	switch {
	case r.HalfMinutes <= 0:
		return "< 1 min"
	case r.HalfMinutes == 1:
		return "½ min"
	case r.HalfMinutes == 2:
		return "1 min"
	}
	s := strconv.Itoa(r.HalfMinutes / 2)
	if r.HalfMinutes%2 == 1 {
		s += "½"
	}
	return s + " mins"
}

// FormatCount formats n with comma thousands separators: 1012 -> "1,012".
func FormatCount(n int) string {
	s := strconv.Itoa(n)
	sign := ""
	if n < 0 {
		sign, s = "-", s[1:]
	}
	if len(s) <= 3 {
		return sign + s
	}
	b := make([]byte, 0, len(s)+len(s)/3)
	head := len(s) % 3
	if head == 0 {
		head = 3
	}
	b = append(b, s[:head]...)
	for i := head; i < len(s); i += 3 {
		b = append(b, ',')
		b = append(b, s[i:i+3]...)
	}
	return sign + string(b)
}
