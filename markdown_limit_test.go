package herald

import (
	"strings"
	"testing"
	"time"
)

// worstMarkdown holds the slowest bodies known for goldmark, each as large
// as the limits of CheckMarkdown allow: lines of MaxMarkdownLineChars up to
// MaxStoryBodyChars, or nesting MaxMarkdownDepth deep on every line.
func worstMarkdown() map[string]string {
	fill := func(unit string) string {
		line := strings.Repeat(unit, MaxMarkdownLineChars/len(unit))
		return strings.Repeat(line+"\n", MaxStoryBodyChars/(len(line)+1))
	}
	nested := func(marker string) string {
		line := strings.Repeat(marker, MaxMarkdownDepth/strings.Count(marker, " ")) + "x\n"
		return strings.Repeat(line, MaxStoryBodyChars/len(line))
	}
	var indented strings.Builder
	for i := 0; indented.Len() < MaxStoryBodyChars-MaxMarkdownLineChars; i++ {
		indented.WriteString(strings.Repeat("  ", i) + "- a\n")
	}
	return map[string]string{
		"lists nested by indent": indented.String(),
		"unclosed links":         fill("[a]("),
		"unclosed links, spaced": fill("[a]( "),
		"unclosed angle links":   fill("[a](<"),
		"unclosed images":        fill("![a]("),
		"unclosed nested links":  fill("[a](b("),
		"emphasised links":       fill("*[a](*"),
		"open brackets":          fill("["),
		"quotes":                 nested("> "),
		"lists":                  nested("- "),
		"numbered lists":         nested("1. "),
		"quoted lists":           nested("> - "),
	}
}

func TestWorstMarkdownIsWithinLimits(t *testing.T) {
	for name, md := range worstMarkdown() {
		if err := checkMarkdownShape("body", md, MaxStoryBodyChars); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// BenchmarkMarkdownWorstCase measures goldmark on the slowest bodies the
// limits allow (go test -bench MarkdownWorstCase -benchtime 1x): each
// parses in under 0.2 s on a loaded 2-core machine. BenchmarkMarkdownUnbounded
// shows what the limits prevent.
func BenchmarkMarkdownWorstCase(b *testing.B) {
	for name, md := range worstMarkdown() {
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				parseBody(md)
			}
		})
	}
}

// BenchmarkMarkdownUnbounded measures what the limits prevent: goldmark on
// "[a](" repeated to 100 KB on a single line takes over 3 s (400 KB: 42 s,
// with goldmark v1.8.7, the newest release).
func BenchmarkMarkdownUnbounded(b *testing.B) {
	for _, size := range []int{100_000} {
		md := strings.Repeat("[a](", size/4)
		b.Run(FormatCount(size), func(b *testing.B) {
			for b.Loop() {
				parseBody(md)
			}
		})
	}
}

func TestCheckMarkdownSaysTheLimit(t *testing.T) {
	tests := []struct {
		name, markdown string
		max            int
		want           string
	}{
		{"too long", strings.Repeat("[a](", 103_000), MaxStoryBodyChars, "The body is 412,000 characters; the limit is 100,000."},
		{"long line", strings.Repeat("word ", 1_300), MaxStoryBodyChars, "The body has a line of 6,500 characters; the limit is 5,000. Break it into paragraphs."},
		{"deep quotes", strings.Repeat("> ", 40) + "x", MaxStoryBodyChars, "The body nests quotes or lists 40 deep; the limit is 12."},
		{"deep lists", "- a\n" + strings.Repeat("  - ", 13) + "b", MaxStoryBodyChars, "The body nests quotes or lists 13 deep; the limit is 12."},
		{"long blurb", strings.Repeat("é", MaxBlurbChars+1), MaxBlurbChars, "The body is 6,001 characters; the limit is 6,000."},
	}
	for _, tt := range tests {
		err := CheckMarkdown("body", tt.markdown, tt.max)
		if ErrorCode(err) != EINVALID || ErrorMessage(err) != tt.want {
			t.Errorf("%s: CheckMarkdown = %v, want EINVALID %q", tt.name, err, tt.want)
		}
	}
	ok := "**Why it matters:** " + strings.Repeat("A line of a story. ", 200) + "\n\n> quoted\n> - and listed\n\n1. one\n2. two\n"
	if err := CheckMarkdown("body", ok, MaxStoryBodyChars); err != nil {
		t.Errorf("CheckMarkdown(an ordinary body) = %v", err)
	}
}

func TestPathologicalBodyIsShownPlainAtOnce(t *testing.T) {
	md := strings.Repeat("[a](", 100_000) // 400 KB: minutes of goldmark
	// No hook and no budget can help here: the text never reaches goldmark.
	body := ParseBody(md)
	if len(body.Blocks) != 1 || body.Blocks[0].Kind != BlockLede || !strings.HasPrefix(string(body.Blocks[0].HTML), "<p>[a](") {
		t.Fatalf("ParseBody(400 KB of [a]() = %d blocks, want one plain paragraph", len(body.Blocks))
	}
	if got := RenderMarkdown(md); !strings.HasPrefix(string(got), "<p>[a](") {
		t.Errorf("RenderMarkdown(400 KB of [a]() = %.40q…, want a plain paragraph", got)
	}
	if err := CheckMarkdown("body", md, MaxStoryBodyChars); ErrorCode(err) != EINVALID {
		t.Errorf("CheckMarkdown(400 KB of [a]() = %v, want EINVALID", err)
	}
}

// slowMarkdown makes every budgeted render wait until the test ends, as a
// render slower than any budget would, with the budget shortened.
func slowMarkdown(t *testing.T) {
	release := make(chan struct{})
	markdownHook, markdownBudget = func() { <-release }, 10*time.Millisecond
	t.Cleanup(func() {
		markdownHook, markdownBudget = nil, MarkdownRenderBudget
		close(release)
	})
}

func TestRenderPastBudgetShowsPlainText(t *testing.T) {
	slowMarkdown(t)
	md := "**Why it matters:** <b>a</b> [link](https://example.com)\n\nSecond paragraph."
	body := ParseBody(md)
	if len(body.Blocks) != 2 || body.Blocks[0].HTML != "<p>**Why it matters:** &lt;b&gt;a&lt;/b&gt; [link](https://example.com)</p>" {
		t.Fatalf("ParseBody past budget = %+v, want two escaped plain paragraphs", body.Blocks)
	}
	if got := RenderMarkdown("*hi*"); got != "<p>*hi*</p>" {
		t.Errorf("RenderMarkdown past budget = %q, want the plain text", got)
	}
}

func TestCheckPastBudgetIsRefused(t *testing.T) {
	slowMarkdown(t)
	err := CheckMarkdown("body", "A short body.", MaxStoryBodyChars)
	want := "The body is too complex to show in time (over 10ms); simplify its links, quotes or lists."
	if ErrorCode(err) != EINVALID || ErrorMessage(err) != want {
		t.Errorf("CheckMarkdown past budget = %v, want %q", err, want)
	}
}

func TestEditionBlurbsAreChecked(t *testing.T) {
	ed := &Edition{Opening: EditionItem{Body: "**Why it matters:** short."},
		Items: []EditionItem{{Body: "fine"}, {Body: strings.Repeat("x ", 3_500)}}}
	want := "The blurb of item 2 is 7,000 characters; the limit is 6,000."
	if err := ed.CheckMarkdown(); ErrorMessage(err) != want {
		t.Errorf("Edition.CheckMarkdown = %v, want %q", err, want)
	}
	ed.Items = ed.Items[:1]
	ed.Opening.Body = strings.Repeat("> ", 13) + "deep"
	want = "The blurb of the opening nests quotes or lists 13 deep; the limit is 12."
	if err := ed.CheckMarkdown(); ErrorMessage(err) != want {
		t.Errorf("Edition.CheckMarkdown = %v, want %q", err, want)
	}
}
