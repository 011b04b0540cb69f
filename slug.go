package herald

import (
	"strings"
	"unicode"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// maxSlugLen keeps URLs readable; slugs are cut at a word boundary.
const maxSlugLen = 80

// Slugify turns a headline or name into a URL slug: lower-case ASCII letters
// and digits joined by single hyphens.
func Slugify(s string) string {
	// Decompose and drop combining marks so "Café" becomes "cafe".
	folded, _, err := transform.String(transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC), s)
	if err != nil {
		folded = s
	}
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(folded) {
		switch {
		case r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(r)
			dash = false
		case r == '\'' || r == '’':
			// "Don't" -> "dont"
		default:
			dash = true
		}
	}
	slug := b.String()
	if len(slug) > maxSlugLen {
		slug = slug[:maxSlugLen]
		if i := strings.LastIndexByte(slug, '-'); i > maxSlugLen/2 {
			slug = slug[:i]
		}
	}
	return slug
}

// ValidSlug reports whether s is already a slug.
func ValidSlug(s string) bool {
	return s != "" && Slugify(s) == s
}
