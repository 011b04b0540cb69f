package compose

import (
	"crypto/rand"
	"strings"
)

// Slots of the personal links in a rendered body.
const (
	slotUnsubscribe = iota
	slotPreferences
	numSlots
)

// placeholders are stand-ins for the personal links while rendering. They
// are random per Render, so no editor's text can contain them, and made of
// letters and digits, so HTML escaping, URL normalisation and CSS inlining
// leave them alone.
type placeholders [numSlots]string

// newPlaceholders returns fresh placeholders.
func newPlaceholders() placeholders {
	tag := "x" + strings.ToLower(rand.Text())
	return placeholders{slotUnsubscribe: tag + "unsubscribe", slotPreferences: tag + "preferences"}
}

// splitBody is a rendered body cut at its placeholders: parts[0], the URL of
// slots[0], parts[1], … parts[len(slots)].
type splitBody struct {
	parts []string
	slots []int
	fixed int // the total length of parts
}

// split cuts s at every occurrence of a placeholder.
func split(s string, ph placeholders) splitBody {
	var b splitBody
	for {
		at, slot := -1, 0
		for i, p := range ph {
			if j := strings.Index(s, p); j >= 0 && (at < 0 || j < at) {
				at, slot = j, i
			}
		}
		if at < 0 {
			break
		}
		b.parts = append(b.parts, s[:at])
		b.slots = append(b.slots, slot)
		b.fixed += at
		s = s[at+len(ph[slot]):]
	}
	b.parts = append(b.parts, s)
	b.fixed += len(s)
	return b
}

// count reports how many times slot occurs.
func (b *splitBody) count(slot int) int {
	n := 0
	for _, s := range b.slots {
		if s == slot {
			n++
		}
	}
	return n
}

// join puts urls into the slots, in one allocation.
func (b *splitBody) join(urls *[numSlots]string) string {
	n := b.fixed
	for _, s := range b.slots {
		n += len(urls[s])
	}
	var sb strings.Builder
	sb.Grow(n)
	for i, s := range b.slots {
		sb.WriteString(b.parts[i])
		sb.WriteString(urls[s])
	}
	sb.WriteString(b.parts[len(b.parts)-1])
	return sb.String()
}
