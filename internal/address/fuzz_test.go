package address

import (
	"strings"
	"testing"
	"unicode"
)

func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"", "ann@example.com", "  Ann.Smith@Example.COM  ", "ann+news@example.com",
		"anna@bücher.de", "anna@xn--bcher-kva.de", "用户@例子.广告", "josé@example.com",
		"o'brien@example.ie", "a@b.co", "user@-bad-.com", "ann@xn--.com",
		"ann@example.com\r\nBcc: x@y.com", "\"quoted\"@example.com", "Ann <ann@example.com>",
		"ann@[127.0.0.1]", "ann@1.2.3.4", "ann@example.com.", "ann@ex\tample.com",
		"ann@ＥＸＡＭＰＬＥ．ｃｏｍ", "ann@example。com", "ann@faß.de", "ann@ㅤ.com",
		"ann@ar.مثال.إختبار", "ann@\u200d.com", "ann@x\u0301.com",
		strings.Repeat("a", 64) + "@" + strings.Repeat("b", 63) + ".com",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		a, err := Parse(raw)
		if err != nil {
			if a != (Address{}) {
				t.Fatalf("Parse(%q) = %+v with error %v", raw, a, err)
			}
			return
		}
		if len(a.Email) > maxAddress {
			t.Fatalf("Parse(%q).Email is %d octets", raw, len(a.Email))
		}
		for _, r := range a.Email {
			if unicode.IsControl(r) {
				t.Fatalf("Parse(%q).Email = %q has a control character", raw, a.Email)
			}
		}
		if a.Email != a.Local+"@"+a.Domain {
			t.Fatalf("Parse(%q) = %+v: Email is not Local@Domain", raw, a)
		}
		again, err := Parse(a.Email)
		if err != nil {
			t.Fatalf("Parse(%q) accepted as %q, but Parse(%q): %v", raw, a.Email, a.Email, err)
		}
		if again != a {
			t.Fatalf("Parse(%q) = %+v, but Parse(%q) = %+v", raw, a, a.Email, again)
		}
	})
}
