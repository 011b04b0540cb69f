// Package address validates and normalises the email addresses readers type
// into a signup box or that arrive in an imported CSV.
//
// Parse checks syntax only. A Validator adds a DNS check that the domain can
// receive mail, and errs on the side of keeping a reader when DNS is
// unreachable.
//
// The accepted syntax is deliberately narrower than RFC 5322: no display
// names, comments, quoted local parts, address literals or trailing dots.
// Everything accepted is plain enough to put into a header or an SMTP
// command without escaping.
package address

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/herald-news/herald"
)

// Size limits in octets (bytes of UTF-8).
const (
	maxAddress = 254 // RFC 5321 path (256) less the angle brackets
	maxLocal   = 64  // RFC 5321 section 4.5.3.1.1
	maxDomain  = 253 // RFC 1035, without the root label's dot
	maxLabel   = 63  // RFC 1035
)

// Address is a valid, normalised email address.
type Address struct {
	Email       string // local part as given + "@" + domain in lower case (Unicode form for IDNs, e.g. "anna@bücher.de")
	Local       string
	Domain      string // lower-case Unicode form
	ASCIIDomain string // punycode form for DNS and SMTP ("xn--bcher-kva.de")
	UTF8Local   bool   // the local part has non-ASCII characters: only an SMTPUTF8 relay can take it
}

// ErrInvalid is the error for every rejected address; its Message is safe to
// show to the reader. Errors from this package wrap it with the reason, so
// test with errors.Is(err, ErrInvalid) and show herald.ErrorMessage(err).
var ErrInvalid = &herald.Error{Code: herald.EINVALID, Message: "Please enter a valid email."}

// invalid returns ErrInvalid wrapped with a reason for the logs. Reasons
// never quote the input: an address is personal data.
func invalid(reason string) error {
	return fmt.Errorf("address: %s: %w", reason, ErrInvalid)
}

// Parse checks the syntax of raw (no DNS) and normalises it: surrounding
// spaces and tabs are trimmed and the domain is lower-cased, in Unicode form
// for Email and Domain and in ASCII (punycode) form for ASCIIDomain. The
// local part keeps its case: only the receiving server may interpret it.
// Every rejection satisfies errors.Is(err, ErrInvalid).
func Parse(raw string) (Address, error) {
	s := strings.Trim(raw, " \t")
	switch {
	case s == "":
		return Address{}, invalid("empty")
	case len(s) > maxAddress:
		// Checked before anything else so that a huge input costs nothing.
		return Address{}, invalid("too long")
	case !utf8.ValidString(s):
		return Address{}, invalid("not valid UTF-8")
	}
	if reason := checkChars(s); reason != "" {
		return Address{}, invalid(reason)
	}

	at := strings.IndexByte(s, '@')
	switch {
	case at < 0:
		return Address{}, invalid("no @")
	case strings.IndexByte(s[at+1:], '@') >= 0:
		// Only a quoted local part could legally hold a second @, and
		// those are refused (see checkChars).
		return Address{}, invalid("more than one @")
	}

	local, err := parseLocal(s[:at])
	if err != nil {
		return Address{}, err
	}
	uni, ascii, err := parseDomain(s[at+1:])
	if err != nil {
		return Address{}, err
	}
	a := Address{
		Email:       local + "@" + uni,
		Local:       local,
		Domain:      uni,
		ASCIIDomain: ascii,
		UTF8Local:   !isASCII(local),
	}
	// The domain's Unicode form can be longer than what was typed (an
	// xn-- label decoded, or a character that IDNA maps to several), and
	// both forms must fit an SMTP path.
	if len(a.Email) > maxAddress || len(local)+1+len(ascii) > maxAddress {
		return Address{}, invalid("too long")
	}
	return a, nil
}

// checkChars rejects, over the whole trimmed input, the characters that
// never belong in an address we accept, naming the likely mistake. It
// returns "" when there is none.
func checkChars(s string) string {
	for _, r := range s {
		switch {
		case unicode.IsControl(r):
			// CR and LF would let an address inject SMTP commands or
			// mail headers ("a@b.com\r\nBcc: ..."); NUL truncates
			// strings in C code further down the line.
			return "control character"
		case unicode.Is(unicode.Cf, r) && r != '\u200c' && r != '\u200d':
			// Invisible formatting (bidi overrides, zero-width space,
			// BOM) makes an address look like another. ZWNJ and ZWJ
			// are needed in some scripts' domain names and IDNA
			// checks their context; they are never allowed in the
			// local part.
			return "invisible formatting character"
		case unicode.IsSpace(r):
			return "space inside"
		case r == '"' || r == '\\':
			// Quoted local parts ("john smith"@example.com) are legal
			// but no reader types one, and they can carry @, spaces,
			// angle brackets and escapes that later code might not
			// quote correctly: an injection vector for no gain.
			return "quoted local part"
		case r == '<' || r == '>':
			return "display name or angle brackets"
		case r == '(' || r == ')':
			return "comment"
		case r == '[' || r == ']':
			return "address literal"
		}
	}
	return ""
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}
