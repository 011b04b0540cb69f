package address

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// parseLocal checks a local part: a dot-atom (RFC 5322 section 3.2.3) of
// atext, extended by RFC 6531 to non-ASCII letters, numbers and marks. It is
// returned unchanged: case and Unicode form are the receiving server's
// business.
func parseLocal(local string) (string, error) {
	switch {
	case local == "":
		return "", invalid("empty local part")
	case len(local) > maxLocal:
		return "", invalid("local part too long")
	case local[0] == '.':
		return "", invalid("local part starts with a dot")
	case local[len(local)-1] == '.':
		return "", invalid("local part ends with a dot")
	case strings.Contains(local, ".."):
		return "", invalid("two dots in a row in local part")
	}
	for _, r := range local {
		if r != '.' && !isAtext(r) {
			return "", invalid("character not allowed in local part")
		}
	}
	return local, nil
}

// isAtext reports whether r may appear in a dot-atom's atoms: RFC 5322
// atext, or (RFC 6531) a non-ASCII letter, number or mark.
func isAtext(r rune) bool {
	if r >= utf8.RuneSelf {
		return unicode.In(r, unicode.L, unicode.N, unicode.M)
	}
	switch {
	case 'a' <= r && r <= 'z', 'A' <= r && r <= 'Z', '0' <= r && r <= '9':
		return true
	}
	return strings.ContainsRune("!#$%&'*+/=?^_`{|}~-", r)
}
