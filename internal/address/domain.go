package address

import (
	"strings"

	"golang.org/x/net/idna"
)

// parseDomain checks a domain and returns its lower-case Unicode and ASCII
// (punycode) forms. It accepts only names of at least two labels whose
// top-level label is not all digits, so IPv4 addresses, single-label
// intranet names and localhost are refused.
func parseDomain(d string) (uni, ascii string, err error) {
	switch {
	case d == "":
		return "", "", invalid("empty domain")
	case strings.HasSuffix(d, "."):
		// A trailing dot is legal (fully qualified) but would give
		// every domain two spellings.
		return "", "", invalid("domain ends with a dot")
	}
	// Lookup maps (lower-cases, folds full-width forms, maps "。" to
	// ".") and validates per UTS 46, converting Unicode labels to
	// punycode and checking existing xn-- labels decode properly. It does
	// not check lengths or empty labels: checkASCIIDomain does.
	ascii, err = idna.Lookup.ToASCII(d)
	if err != nil {
		return "", "", invalid("not a valid domain name")
	}
	ascii = strings.ToLower(ascii)
	if reason := checkASCIIDomain(ascii); reason != "" {
		return "", "", invalid(reason)
	}
	uni, err = idna.Lookup.ToUnicode(ascii)
	if err != nil {
		return "", "", invalid("not a valid domain name")
	}
	// The Unicode form must map back to the same ASCII form, or Parse
	// would not be idempotent and one mailbox could be stored under two
	// spellings.
	if back, err := idna.Lookup.ToASCII(uni); err != nil || back != ascii {
		return "", "", invalid("domain does not round-trip through IDNA")
	}
	return uni, ascii, nil
}

// checkASCIIDomain checks a lower-case ASCII domain: host name syntax (RFC
// 952, RFC 1123 section 2.1), lengths (RFC 1035), at least two labels and a
// non-numeric top-level label. It returns "" when the domain is good.
func checkASCIIDomain(d string) string {
	if len(d) > maxDomain {
		return "domain too long"
	}
	labels := strings.Split(d, ".")
	if len(labels) < 2 {
		return "domain has no dot"
	}
	for _, l := range labels {
		switch {
		case l == "":
			return "empty domain label"
		case len(l) > maxLabel:
			return "domain label too long"
		case l[0] == '-' || l[len(l)-1] == '-':
			return "domain label starts or ends with a hyphen"
		}
		for i := 0; i < len(l); i++ {
			if c := l[i]; !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-') {
				return "character not allowed in domain"
			}
		}
	}
	if strings.Trim(labels[len(labels)-1], "0123456789") == "" {
		return "top-level domain is numeric"
	}
	return ""
}
