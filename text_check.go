package herald

import (
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"
)

// CheckOneLine refuses a line break or other control character in text
// that ends up in a mail header or a title (names, subjects): a line
// break there would end the header and break the message.
func CheckOneLine(what, text string) error {
	if i := strings.IndexFunc(text, unicode.IsControl); i >= 0 {
		if text[i] == '\n' || text[i] == '\r' {
			return Errorf(EINVALID, "The %s must be one line: remove the line break.", what)
		}
		return Errorf(EINVALID, "The %s holds a control character (%U); remove it.", what, rune(text[i]))
	}
	return nil
}

// CheckLines is CheckOneLine over pairs of what and text, in order.
func CheckLines(pairs ...string) error {
	for i := 0; i+1 < len(pairs); i += 2 {
		if err := CheckOneLine(pairs[i], pairs[i+1]); err != nil {
			return err
		}
	}
	return nil
}

// Limit is the most characters a field may hold.
type Limit struct {
	What, Text string
	Most       int
}

// CheckLimits refuses the first text longer than its limit, saying how
// long it is: nothing is ever cut to fit.
func CheckLimits(limits ...Limit) error {
	for _, l := range limits {
		if n := utf8.RuneCountInString(l.Text); n > l.Most {
			return Errorf(EINVALID, "Keep the %s under %d characters (it has %d).", l.What, l.Most, n)
		}
	}
	return nil
}

// CheckLinkURL refuses a link that is not an absolute http or https URL
// (javascript:, data: and the like would run or hide content in a
// reader's mail). Empty is allowed: the item has no link.
func CheckLinkURL(what, link string) error {
	if link == "" {
		return nil
	}
	u, err := url.Parse(link)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || strings.ContainsAny(link, " \t\r\n") {
		return Errorf(EINVALID, "The %s must be a web address starting with https:// (or http://).", what)
	}
	return nil
}
