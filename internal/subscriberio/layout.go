package subscriberio

import (
	"fmt"
	"strings"
	"time"

	"github.com/herald-news/herald"
)

// Layout names, as in Report.Layout.
const (
	LayoutMailchimp = "mailchimp"
	LayoutSubstack  = "substack"
	LayoutGhost     = "ghost"
	LayoutListmonk  = "listmonk"
	LayoutPlain     = "plain"
)

// unsubRule marks a row unsubscribed when the value in col passes when.
type unsubRule struct {
	col  int
	when func(v string) bool
}

// layout is a detected layout with the columns Import reads (-1: absent).
type layout struct {
	name               string
	email              int
	name1, first, last int // a full-name column, or first and last names
	times              []int
	unsub              []unsubRule
	need               int // fields a row needs: email and status columns
}

// DetectLayout names the layout of a header row: "mailchimp", "substack",
// "ghost", "listmonk" or "plain". Names match case-insensitively, trimmed,
// in any order, and other columns are ignored. A header with no email
// column is an EINVALID error naming the columns found and those looked for.
func DetectLayout(header []string) (string, error) {
	l, err := detect(header)
	return l.name, err
}

func detect(header []string) (layout, error) {
	cols := make(map[string]int, len(header))
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		if _, ok := cols[h]; !ok {
			cols[h] = i
		}
	}
	col := func(names ...string) int {
		for _, n := range names {
			if i, ok := cols[n]; ok {
				return i
			}
		}
		return -1
	}
	has := func(n string) bool { return col(n) >= 0 }
	l := layout{email: col("email"), name1: col("name"), first: col("first_name", "first name"), last: col("last_name", "last name"), times: []int{col("created_at")}}
	switch {
	case has("email address"):
		l.name, l.email = LayoutMailchimp, col("email address")
		l.name1, l.first, l.last = -1, col("first name"), col("last name")
		l.times = []int{col("optin_time"), col("confirm_time")}
		for _, c := range []int{col("unsubscribe time", "unsub_time"), col("clean_time")} {
			l.unsub = append(l.unsub, unsubRule{c, isSet})
		}
	case has("email") && has("subscribed_to_emails"):
		l.name = LayoutGhost
		l.unsub = []unsubRule{{col("subscribed_to_emails"), isFalse}}
	case has("email") && (has("uuid") || has("status") && has("attributes")):
		l.name = LayoutListmonk
		l.unsub = []unsubRule{{col("status"), isBlocklisted}}
	case has("email") && (has("active_subscription") || has("email_disabled")):
		l.name = LayoutSubstack
		l.unsub = []unsubRule{{col("email_disabled"), isTrue}}
	case has("email") || has("e-mail") || has("email_address"):
		l.name, l.email = LayoutPlain, col("email", "e-mail", "email_address")
		l.times = nil
	default:
		return layout{}, unknownHeader(header)
	}
	l.need = l.email + 1
	rules := l.unsub[:0]
	for _, u := range l.unsub {
		if u.col >= 0 {
			rules = append(rules, u)
			l.need = max(l.need, u.col+1)
		}
	}
	l.unsub = rules
	return l, nil
}

// unknownHeader is the error for a header with no column Import knows.
func unknownHeader(header []string) error {
	var found []string
	for i, h := range header {
		if i == 20 {
			found = append(found, fmt.Sprintf("and %d more", len(header)-i))
			break
		}
		h = strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))
		if len(h) > 40 {
			h = h[:40] + "…"
		}
		found = append(found, fmt.Sprintf("%q", h))
	}
	if len(found) == 0 {
		found = []string{"none"}
	}
	return herald.Errorf(herald.EINVALID,
		"The file's first row has the columns %s, but no email column. Herald reads "+
			`exports from Mailchimp ("Email Address"), Substack, Ghost and listmonk ("email"), `+
			`and any CSV file whose header has a column named "email", "e-mail" or "email_address".`,
		strings.Join(found, ", "))
}

// row fills r from a record that has at least l.need fields.
func (l *layout) row(rec []string, r *Row) {
	get := func(i int) string {
		if i < 0 || i >= len(rec) {
			return ""
		}
		return strings.TrimSpace(rec[i])
	}
	r.Name = get(l.name1)
	if r.Name == "" {
		r.Name = strings.TrimSpace(get(l.first) + " " + get(l.last))
	}
	r.Unsubscribed = false
	for _, u := range l.unsub {
		if u.when(get(u.col)) {
			r.Unsubscribed = true
		}
	}
	r.SubscribedAt = time.Time{}
	for _, c := range l.times {
		if t := parseTime(get(c)); !t.IsZero() {
			r.SubscribedAt = t
			break
		}
	}
}

func isSet(v string) bool { return v != "" }

func isTrue(v string) bool {
	return strings.EqualFold(v, "true") || v == "1" || strings.EqualFold(v, "yes")
}

func isFalse(v string) bool {
	return strings.EqualFold(v, "false") || v == "0" || strings.EqualFold(v, "no")
}

func isBlocklisted(v string) bool {
	return strings.EqualFold(v, "blocklisted") || strings.EqualFold(v, "blacklisted")
}

// timeLayouts are the time formats seen in exports; those without a zone
// are read as UTC (Mailchimp and Substack export UTC).
var timeLayouts = []string{
	time.RFC3339Nano,                      // Ghost, Substack: 2024-01-31T10:00:00.000Z
	"2006-01-02 15:04:05",                 // Mailchimp, Substack
	"2006-01-02 15:04:05.999999999Z07:00", // listmonk (PostgreSQL text)
	"2006-01-02 15:04:05.999999999Z07",
	"2006-01-02T15:04:05",
	"2006-01-02",
}

// parseTime reads a time in any of timeLayouts, or returns the zero time:
// a time Herald cannot read is not a reason to turn a reader away.
func parseTime(v string) time.Time {
	if v == "" {
		return time.Time{}
	}
	for _, f := range timeLayouts {
		if t, err := time.Parse(f, v); err == nil {
			return t.UTC()
		}
	}
	return time.Time{}
}
