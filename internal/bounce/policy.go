package bounce

import (
	"regexp"
	"strconv"
	"strings"
	"time"
)

// DefaultSoftRule suppresses after soft bounces on 3 different editions
// within 30 days.
var DefaultSoftRule = SoftRule{Limit: 3, Window: 30 * 24 * time.Hour}

// Code is an RFC 3463 enhanced status code: class.subject.detail.
type Code struct{ Class, Subject, Detail int }

// String formats the code as "5.1.1"; the zero Code is "".
func (c Code) String() string {
	if c.Class == 0 {
		return ""
	}
	return strconv.Itoa(c.Class) + "." + strconv.Itoa(c.Subject) + "." + strconv.Itoa(c.Detail)
}

// ParseCode reads an enhanced status code at the start of s ("5.1.1",
// "5.1.1 (bad destination mailbox)"); ok is false when there is none.
func ParseCode(s string) (Code, bool) {
	s = strings.TrimSpace(s)
	if i := strings.IndexAny(s, " \t(;"); i >= 0 {
		s = s[:i]
	}
	parts := strings.Split(s, ".")
	if len(parts) != 3 {
		return Code{}, false
	}
	var n [3]int
	for i, p := range parts {
		v, err := strconv.Atoi(p)
		if err != nil || v < 0 || v > 999 || len(p) > 3 || p[0] == '+' {
			return Code{}, false
		}
		n[i] = v
	}
	if n[0] != 2 && n[0] != 4 && n[0] != 5 {
		return Code{}, false
	}
	return Code{n[0], n[1], n[2]}, true
}

// replyCode finds "550 5.1.1" or "550-5.1.1" in free text: an SMTP reply
// code followed by an enhanced code of the same class. Requiring both
// keeps version numbers and addresses from passing for status codes.
var replyCode = regexp.MustCompile(`\b([245])[0-9]{2}[ -]([245]\.[0-9]{1,3}\.[0-9]{1,3})\b`)

// CodeInText finds the first enhanced status code that follows an SMTP
// reply code of the same class in text, such as a Diagnostic-Code.
func CodeInText(text string) (Code, bool) {
	for _, m := range replyCode.FindAllStringSubmatch(text, 8) {
		if c, ok := ParseCode(m[2]); ok && strconv.Itoa(c.Class) == m[1] {
			return c, true
		}
	}
	return Code{}, false
}

// Classify says what a failed delivery's status means for the reader:
//
//   - 5.1.x: the address is bad (hard), except 5.1.7 and 5.1.8, which are
//     about our sender address (policy)
//   - 5.7.x and 4.7.x: our authentication, reputation or policy was
//     refused (policy): never the reader's fault
//   - 5.3.4, 5.2.3 and 5.6.x: our message was too big or unreadable
//     (policy)
//   - 5.2.2 (mailbox full), any other 4.x.x, and any other 5.x.x: soft,
//     counted against the reader
//   - 2.x.x or no code: unknown
func Classify(c Code) Kind {
	switch {
	case c.Class == 2 || c.Class == 0:
		return Unknown
	case c.Subject == 7:
		return Policy
	case c.Class == 5 && c.Subject == 1 && (c.Detail == 7 || c.Detail == 8):
		return Policy
	case c.Class == 5 && c.Subject == 1:
		return Hard
	case c.Class == 5 && (c == Code{5, 3, 4} || c == Code{5, 2, 3} || c.Subject == 6):
		return Policy
	}
	return Soft
}

// statusOf picks the most telling code of a Status field and the
// Diagnostic-Code beside it: a generic X.0.0 status gives way to a more
// specific code of the same class in the diagnostic.
func statusOf(status, diagnostic string) Code {
	c, ok := ParseCode(status)
	if d, dok := CodeInText(diagnostic); dok && (!ok || c.Subject == 0 && c.Detail == 0 && d.Class == c.Class) {
		return d
	}
	return c
}
