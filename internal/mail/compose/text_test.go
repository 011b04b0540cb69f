package compose

import (
	"strings"
	"testing"
)

func TestWrap(t *testing.T) {
	for _, tt := range []struct {
		name, in, first, indent string
		width                   int
		want                    string
	}{
		{"fits", "a short line", "", "", 20, "a short line"},
		{"breaks at spaces", "one two three four", "", "", 9, "one two\nthree\nfour"},
		{"collapses whitespace", "  one \n two  ", "", "", 20, "one two"},
		{"hanging indent", "alpha beta gamma delta", "- ", "  ", 12, "- alpha beta\n  gamma\n  delta"},
		{"long word on its own line", "see https://example.com/a/very/long/path now", "", "", 12,
			"see\nhttps://example.com/a/very/long/path\nnow"},
		{"counts runes", "ééééé ééééé", "", "", 11, "ééééé ééééé"},
		{"empty", "", "> ", "> ", 10, "> "},
	} {
		if got := wrap(tt.in, tt.width, tt.first, tt.indent); got != tt.want {
			t.Errorf("%s: wrap(%q) = %q, want %q", tt.name, tt.in, got, tt.want)
		}
	}
}

func TestMarkdownText(t *testing.T) {
	for _, tt := range []struct{ name, md, want string }{
		{"paragraphs", "First *one*.\n\nSecond [link](/x).", "First one.\n\nSecond link."},
		{"axiom", "**Why it matters**: it does.", "Why it matters: it does."},
		{"bullets", "- one\n- **Yes, but:** two", "- one\n- Yes, but: two"},
		{"numbered", "1. one\n2. two", "1. one\n2. two"},
		{"quote", "> Quoted words.", "> Quoted words."},
		{"image", "![A chart of rates](/media/c.png)", "[Image: A chart of rates]"},
		{"raw html dropped", "<script>x</script>\n\nText.", "Text."},
		{"long list item", "- " + strings.Repeat("word ", 20), "- word word word word word word word word word word word word word word\n  word word word word word word"},
	} {
		if got := markdownText(tt.md); got != tt.want {
			t.Errorf("%s: markdownText(%q) =\n%q\nwant\n%q", tt.name, tt.md, got, tt.want)
		}
	}
}

func TestSplitJoin(t *testing.T) {
	ph := newPlaceholders()
	if ph[slotUnsubscribe] == newPlaceholders()[slotUnsubscribe] {
		t.Error("placeholders repeat between renders")
	}
	b := split("a"+ph[slotUnsubscribe]+"b"+ph[slotPreferences]+ph[slotUnsubscribe]+"c", ph)
	if b.count(slotUnsubscribe) != 2 || b.count(slotPreferences) != 1 {
		t.Errorf("slots = %v", b.slots)
	}
	urls := [numSlots]string{slotUnsubscribe: "U", slotPreferences: "P"}
	if got := b.join(&urls); got != "aUbPUc" {
		t.Errorf("join = %q, want aUbPUc", got)
	}
	if got := split("plain", ph); got.join(&urls) != "plain" || len(got.slots) != 0 {
		t.Errorf("split without placeholders = %+v", got)
	}
}

func TestLastSegment(t *testing.T) {
	for in, want := range map[string]string{
		"https://x.example/unsubscribe/abc-_.DEF": "abc-_.DEF",
		"https://x.example/unsubscribe?t=abc":     "",
		"https://x.example/unsubscribe/a%2Fb":     "",
		"https://x.example/unsubscribe/":          "",
	} {
		if got := lastSegment(in); got != want {
			t.Errorf("lastSegment(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestListID(t *testing.T) {
	for name, want := range map[string]string{
		"Morning Brief":   "Morning Brief <l.example>",
		"AM: Denver":      `"AM: Denver" <l.example>`,
		`Say "hi"`:        `"Say \"hi\"" <l.example>`,
		"Café Matin":      "=?utf-8?b?Q2Fmw6kgTWF0aW4=?= <l.example>",
		"":                "<l.example>",
		"Rock & Roll Now": "Rock & Roll Now <l.example>",
	} {
		if got := listID(name, "l.example"); got != want {
			t.Errorf("listID(%q) = %q, want %q", name, got, want)
		}
	}
}
