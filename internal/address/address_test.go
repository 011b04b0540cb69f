package address

import (
	"errors"
	"strings"
	"testing"

	"github.com/herald-news/herald"
)

const safeMessage = "Please enter a valid email."

func assertInvalid(t *testing.T, err error) {
	t.Helper()
	if !errors.Is(err, ErrInvalid) {
		t.Fatalf("err = %v, want ErrInvalid", err)
	}
	if got := herald.ErrorMessage(err); got != safeMessage {
		t.Errorf("ErrorMessage = %q, want %q", got, safeMessage)
	}
	if got := herald.ErrorCode(err); got != herald.EINVALID {
		t.Errorf("ErrorCode = %q, want %q", got, herald.EINVALID)
	}
}

func TestParseInvalid(t *testing.T) {
	tests := []struct {
		name, in string
	}{
		{"empty", ""},
		{"blank", "   "},
		{"tabs only", "\t \t"},
		{"no at", "plainaddress"},
		{"no dot in domain", "a@b"},
		{"no local part", "@example.com"},
		{"no domain", "ann@"},
		{"double at", "ann@@example.com"},
		{"two ats", "ann@b@example.com"},
		{"space in domain", "ann@exa mple.com"},
		{"space in local part", "ann smith@example.com"},
		{"display name", "Ann <ann@example.com>"},
		{"angle brackets", "<ann@example.com>"},
		{"header injection", "ann@example.com\r\nBcc: x@y.com"},
		{"trailing newline", "ann@example.com\n"},
		{"NUL", "ann\x00@example.com"},
		{"DEL", "ann\x7f@example.com"},
		{"C1 control", "ann\u0085@example.com"},
		{"hyphens around label", "user@-bad-.com"},
		{"trailing hyphen", "user@bad-.com"},
		{"leading dot in domain", "user@.example.com"},
		{"double dot in domain", "user@example..com"},
		{"leading dot", ".ann@example.com"},
		{"trailing dot", "ann.@example.com"},
		{"double dot", "an..n@example.com"},
		{"300 characters", strings.Repeat("a", 60) + "@" + strings.Repeat("b", 60) + "." + strings.Repeat("c", 60) + "." + strings.Repeat("d", 60) + "." + strings.Repeat("e", 50) + ".com"},
		{"65-octet local part", strings.Repeat("a", 65) + "@example.com"},
		{"66-octet Unicode local part", strings.Repeat("é", 33) + "@example.com"},
		{"64-character label", "ann@" + strings.Repeat("a", 64) + ".com"},
		{"255-octet address with a 253-octet domain", "a@" + strings.Repeat(strings.Repeat("a", 62)+".", 4) + "com"},
		{"address literal", "ann@[127.0.0.1]"},
		{"IPv4 address", "ann@1.2.3.4"},
		{"numeric TLD", "ann@example.123"},
		{"localhost", "ann@localhost"},
		{"quoted local part", "\"quoted\"@example.com"},
		{"quoted at", "\"a@b\"@example.com"},
		{"comment", "ann(comment)@example.com"},
		{"trailing dot in domain", "ann@example.com."},
		{"underscore in domain", "ann@exam_ple.com"},
		{"1 MB", strings.Repeat("a", 1<<20) + "@example.com"},
		{"bad punycode", "ann@xn--.com"},
		{"bad punycode 2", "ann@xn--a.com"},
		{"tab inside", "ann@ex\tample.com"},
		{"non-breaking space", "ann\u00a0@example.com"},
		{"zero-width space", "ann\u200b@example.com"},
		{"bidi override", "ann@exa\u202emple.com"},
		{"invalid UTF-8", "ann\xff@example.com"},
		{"comma", "ann,bob@example.com"},
		{"semicolon", "ann@example.com;bob@example.com"},
		{"backslash", "ann\\@example.com"},
		{"symbol in local part", "ann€@example.com"},
		{"colon in domain", "ann@example.com:25"},
		{"slash in domain", "ann@example.com/x"},
		{"ideographic trailing dot", "ann@example.com。"},
		{"hyphens in positions 3-4", "ann@ab--cd.com"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := Parse(tt.in)
			if err == nil {
				t.Fatalf("Parse(%q) = %+v, want error", tt.in, a)
			}
			t.Log(err)
			assertInvalid(t, err)
			if a != (Address{}) {
				t.Errorf("Parse returned %+v with an error", a)
			}
		})
	}
}

func TestParseValid(t *testing.T) {
	tests := []struct {
		in   string
		want Address
	}{
		{"ann+news@example.com", Address{Email: "ann+news@example.com", Local: "ann+news", Domain: "example.com", ASCIIDomain: "example.com"}},
		{"  Ann.Smith@Example.COM  ", Address{Email: "Ann.Smith@example.com", Local: "Ann.Smith", Domain: "example.com", ASCIIDomain: "example.com"}},
		{"\tann@example.com \t", Address{Email: "ann@example.com", Local: "ann", Domain: "example.com", ASCIIDomain: "example.com"}},
		{"anna@bücher.de", Address{Email: "anna@bücher.de", Local: "anna", Domain: "bücher.de", ASCIIDomain: "xn--bcher-kva.de"}},
		{"anna@BÜCHER.DE", Address{Email: "anna@bücher.de", Local: "anna", Domain: "bücher.de", ASCIIDomain: "xn--bcher-kva.de"}},
		{"anna@xn--bcher-kva.de", Address{Email: "anna@bücher.de", Local: "anna", Domain: "bücher.de", ASCIIDomain: "xn--bcher-kva.de"}},
		{"用户@例子.广告", Address{Email: "用户@例子.广告", Local: "用户", Domain: "例子.广告", ASCIIDomain: "xn--fsqu00a.xn--4rr70v", UTF8Local: true}},
		{"josé@example.com", Address{Email: "josé@example.com", Local: "josé", Domain: "example.com", ASCIIDomain: "example.com", UTF8Local: true}},
		{"ann@ＥＸＡＭＰＬＥ．ｃｏｍ", Address{Email: "ann@example.com", Local: "ann", Domain: "example.com", ASCIIDomain: "example.com"}},
		{"ann@example。com", Address{Email: "ann@example.com", Local: "ann", Domain: "example.com", ASCIIDomain: "example.com"}},
		{"o'brien@example.ie", Address{Email: "o'brien@example.ie", Local: "o'brien", Domain: "example.ie", ASCIIDomain: "example.ie"}},
		{"a@b.co", Address{Email: "a@b.co", Local: "a", Domain: "b.co", ASCIIDomain: "b.co"}},
		{"x@sub.domain.example.museum", Address{Email: "x@sub.domain.example.museum", Local: "x", Domain: "sub.domain.example.museum", ASCIIDomain: "sub.domain.example.museum"}},
		{"user_name-1@my-site.org", Address{Email: "user_name-1@my-site.org", Local: "user_name-1", Domain: "my-site.org", ASCIIDomain: "my-site.org"}},
		{"!#$%&'*+/=?^_`{|}~-@example.com", Address{Email: "!#$%&'*+/=?^_`{|}~-@example.com", Local: "!#$%&'*+/=?^_`{|}~-", Domain: "example.com", ASCIIDomain: "example.com"}},
		{"ann@1.example.com", Address{Email: "ann@1.example.com", Local: "ann", Domain: "1.example.com", ASCIIDomain: "1.example.com"}},
		{"ann@example.xn--p1ai", Address{Email: "ann@example.рф", Local: "ann", Domain: "example.рф", ASCIIDomain: "example.xn--p1ai"}},
		{strings.Repeat("é", 32) + "@example.com", Address{Email: strings.Repeat("é", 32) + "@example.com", Local: strings.Repeat("é", 32), Domain: "example.com", ASCIIDomain: "example.com", UTF8Local: true}},
		{strings.Repeat("a", 64) + "@" + strings.Repeat("b", 63) + ".com", Address{Email: strings.Repeat("a", 64) + "@" + strings.Repeat("b", 63) + ".com", Local: strings.Repeat("a", 64), Domain: strings.Repeat("b", 63) + ".com", ASCIIDomain: strings.Repeat("b", 63) + ".com"}},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := Parse(tt.in)
			if err != nil {
				t.Fatalf("Parse(%q): %v", tt.in, err)
			}
			if got != tt.want {
				t.Errorf("Parse(%q) =\n %+v, want\n %+v", tt.in, got, tt.want)
			}
			again, err := Parse(got.Email)
			if err != nil || again != got {
				t.Errorf("Parse(%q) = %+v, %v; not idempotent", got.Email, again, err)
			}
		})
	}
}

// TestLengthLimits pins the exact boundaries.
func TestLengthLimits(t *testing.T) {
	// A 253-octet domain is a good domain, but cannot fit in an address
	// (1 + 1 + 253 > 254), so check it directly.
	domain := strings.Repeat(strings.Repeat("a", 63)+".", 3) + strings.Repeat("b", 57) + ".com"
	if len(domain) != maxDomain {
		t.Fatalf("test domain is %d octets", len(domain))
	}
	if reason := checkASCIIDomain(domain); reason != "" {
		t.Errorf("253-octet domain: %s", reason)
	}
	if reason := checkASCIIDomain("c" + domain); reason == "" {
		t.Error("254-octet domain accepted")
	}
	// A 254-octet address is fine, 255 is not.
	addr := strings.Repeat("x", 64) + "@" + strings.Repeat(strings.Repeat("a", 60)+".", 3) + strings.Repeat("b", 0) + "com"
	addr = strings.Replace(addr, "@", "@"+strings.Repeat("c", 254-len(addr)-1)+".", 1)
	if len(addr) != maxAddress {
		t.Fatalf("test address is %d octets", len(addr))
	}
	if _, err := Parse(addr); err != nil {
		t.Errorf("254-octet address: %v", err)
	}
	if _, err := Parse(addr[:len(addr)-3] + "comm"); err == nil {
		t.Error("255-octet address accepted")
	}
}

func TestErrorReasonInLog(t *testing.T) {
	_, err := Parse("ann@example.com\r\nBcc: x@y.com")
	if err == nil || !strings.Contains(err.Error(), "control character") {
		t.Errorf("err = %v, want the reason in Error()", err)
	}
	if strings.Contains(err.Error(), "ann") {
		t.Errorf("err = %v quotes the input", err)
	}
}
