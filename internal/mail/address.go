package mail

import (
	"errors"
	"net/mail"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/idna"

	"github.com/herald-news/herald"
)

// maxAddress is the longest address an SMTP path can carry (RFC 5321 4.5.3.1.3
// less the angle brackets).
const maxAddress = 254

var errAddress = errors.New("not an email address")

// Envelope returns the address as it goes into MAIL FROM, RCPT TO and the
// headers: the local part unchanged (UTF-8 allowed) and the domain in its
// ASCII (punycode) form.
func (a Address) Envelope() (string, error) {
	local, domain, err := a.split()
	if err != nil {
		return "", err
	}
	return local + "@" + domain, nil
}

// String returns the address as a person reads it: "Name <email>" or the
// bare email, unencoded.
func (a Address) String() string {
	if a.Name == "" {
		return a.Email
	}
	return a.Name + " <" + a.Email + ">"
}

// validate checks a as the sender, recipient or reply-to address.
func (a Address) validate(role string) error {
	if err := checkLine("The "+role+" name", a.Name); err != nil {
		return err
	}
	if strings.ContainsAny(a.Email, "\r\n\x00") {
		return herald.Errorf(herald.EINVALID, "The %s address can't contain line breaks.", role)
	}
	if _, _, err := a.split(); err != nil {
		return herald.Errorf(herald.EINVALID, "The %s address %q is not a valid email.", role, a.Email)
	}
	return nil
}

// header formats a for a From, To or Reply-To field: the display name quoted
// or RFC 2047 encoded as needed, the domain in punycode.
func (a Address) header() (string, error) {
	addr, err := a.Envelope()
	if err != nil {
		return "", err
	}
	if a.Name == "" {
		return "<" + addr + ">", nil
	}
	if isASCII(a.Name) {
		// net/mail quotes names with specials such as "Doe, Jane".
		return (&mail.Address{Name: a.Name, Address: addr}).String(), nil
	}
	return encodeText(a.Name) + " <" + addr + ">", nil
}

// utf8Local reports whether the local part has non-ASCII characters.
func (a Address) utf8Local() bool {
	at := strings.LastIndexByte(a.Email, '@')
	return at > 0 && !isASCII(a.Email[:at])
}

// split checks the address and returns its local part and ASCII domain.
// Syntax is deliberately narrow: a dot-atom local part (UTF-8 allowed, as
// in RFC 6532) and a host name; no quoted local parts or address literals,
// so the result can go into a header or an SMTP command without escaping.
func (a Address) split() (local, domain string, err error) {
	at := strings.LastIndexByte(a.Email, '@')
	if at <= 0 || at == len(a.Email)-1 || len(a.Email) > maxAddress*4 {
		return "", "", errAddress
	}
	local, domain = a.Email[:at], a.Email[at+1:]
	if !validLocal(local) {
		return "", "", errAddress
	}
	if !isASCII(domain) {
		if domain, err = idna.Lookup.ToASCII(domain); err != nil {
			return "", "", errAddress
		}
	}
	if !validHost(domain) || len(local)+1+len(domain) > maxAddress {
		return "", "", errAddress
	}
	return local, domain, nil
}

// validLocal accepts dot-atom text: atext, non-ASCII UTF-8, single dots
// between atoms.
func validLocal(s string) bool {
	if s == "" || len(s) > 64 || !utf8.ValidString(s) || s[0] == '.' || s[len(s)-1] == '.' || strings.Contains(s, "..") {
		return false
	}
	for _, r := range s {
		if r >= utf8.RuneSelf {
			if r < 0xA0 { // C1 controls
				return false
			}
			continue
		}
		if !isAtext(byte(r)) && r != '.' {
			return false
		}
	}
	return true
}

// isAtext reports whether c is RFC 5322 atext.
func isAtext(c byte) bool {
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		return true
	}
	return strings.IndexByte("!#$%&'*+-/=?^_`{|}~", c) >= 0
}

// validHost accepts an ASCII host name of dot-separated letter-digit-hyphen
// labels.
func validHost(s string) bool {
	if s == "" || len(s) > 253 {
		return false
	}
	for _, label := range strings.Split(s, ".") {
		if label == "" || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return false
		}
		for i := 0; i < len(label); i++ {
			c := label[i]
			if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-') {
				return false
			}
		}
	}
	return true
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}
