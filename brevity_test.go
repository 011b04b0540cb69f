package herald

import (
	"reflect"
	"strings"
	"sync"
	"testing"
)

const storyBody = `The Federal Reserve held interest rates steady on Wednesday, but signaled it's ready to cut as soon as September.

**Why it matters:** Lower rates would ease borrowing costs for millions of U.S. households.

**The big picture**: Inflation has cooled to 2.9%, its lowest level since 2021.

- **By the numbers:** 1,012 economists were surveyed.
- **Yes, but:** Officials don't agree on the pace.
- A plain, state-run item.

> "We're not there yet," Fed Chair Jerome Powell said.

## What's next

Markets expect a quarter-point cut.
`

func TestParseBodyStory(t *testing.T) {
	body := ParseBody(storyBody)

	var kinds []BlockKind
	for _, b := range body.Blocks {
		kinds = append(kinds, b.Kind)
	}
	wantKinds := []BlockKind{BlockLede, BlockAxiom, BlockAxiom, BlockList, BlockQuote, BlockHeading, BlockParagraph}
	if !reflect.DeepEqual(kinds, wantKinds) {
		t.Fatalf("kinds = %v, want %v", kinds, wantKinds)
	}

	wantLede := "The Federal Reserve held interest rates steady on Wednesday, but signaled it's ready to cut as soon as September."
	if got := body.Lede(); got != wantLede {
		t.Errorf("Lede() = %q, want %q", got, wantLede)
	}

	first, ok := body.FirstAxiom()
	if !ok || first.Axiom != "Why it matters" {
		t.Fatalf("FirstAxiom() = %q, %v; want Why it matters", first.Axiom, ok)
	}
	if want := "Why it matters: Lower rates would ease borrowing costs for millions of U.S. households."; first.Text != want {
		t.Errorf("FirstAxiom().Text = %q, want %q", first.Text, want)
	}
	if want := "<p><strong>Why it matters:</strong> Lower rates"; !strings.HasPrefix(string(first.HTML), want) {
		t.Errorf("FirstAxiom().HTML = %q, want prefix %q", first.HTML, want)
	}
	if first.Words != 14 {
		t.Errorf("FirstAxiom().Words = %d, want 14", first.Words)
	}

	// The colon after the bold is moved inside it.
	bigPicture := body.Blocks[2]
	if bigPicture.Axiom != "The big picture" {
		t.Errorf("Blocks[2].Axiom = %q, want The big picture", bigPicture.Axiom)
	}
	if want := "<p><strong>The big picture:</strong> Inflation"; !strings.HasPrefix(string(bigPicture.HTML), want) {
		t.Errorf("Blocks[2].HTML = %q, want prefix %q", bigPicture.HTML, want)
	}
	if want := "The big picture: Inflation has cooled to 2.9%, its lowest level since 2021."; bigPicture.Text != want {
		t.Errorf("Blocks[2].Text = %q, want %q", bigPicture.Text, want)
	}

	wantItems := []ListItem{
		{Axiom: "By the numbers", Text: "By the numbers: 1,012 economists were surveyed."},
		{Axiom: "Yes, but", Text: "Yes, but: Officials don't agree on the pace."},
		{Text: "A plain, state-run item."},
	}
	list := body.Blocks[3]
	if !reflect.DeepEqual(list.Items, wantItems) {
		t.Errorf("list items = %#v, want %#v", list.Items, wantItems)
	}
	if list.Axiom != "" {
		t.Errorf("list block Axiom = %q, want empty", list.Axiom)
	}
	if list.Words != 19 {
		t.Errorf("list Words = %d, want 19", list.Words)
	}

	wantAxioms := []string{"Why it matters", "The big picture", "By the numbers", "Yes, but"}
	if got := body.Axioms(); !reflect.DeepEqual(got, wantAxioms) {
		t.Errorf("Axioms() = %q, want %q", got, wantAxioms)
	}

	if got, want := body.Blocks[4].Text, `"We're not there yet," Fed Chair Jerome Powell said.`; got != want {
		t.Errorf("quote Text = %q, want %q", got, want)
	}
	if got := body.Blocks[5].Text; got != "What's next" {
		t.Errorf("heading Text = %q", got)
	}

	html := string(body.HTML())
	for _, want := range []string{
		"<strong>Why it matters:</strong>",
		"<strong>The big picture:</strong>",
		"<li><strong>By the numbers:</strong> 1,012 economists were surveyed.</li>",
		"<blockquote>",
		"<h2>What&#39;s next</h2>",
	} {
		if !strings.Contains(html, want) {
			t.Errorf("HTML() lacks %q:\n%s", want, html)
		}
	}

	// 19 + 14 + 13 + 19 + 9 + 2 + 5
	if body.Words != 81 {
		t.Errorf("Words = %d, want 81", body.Words)
	}
	sum := 0
	for _, b := range body.Blocks {
		sum += b.Words
	}
	if sum != body.Words {
		t.Errorf("block words sum to %d, body says %d", sum, body.Words)
	}
}

func TestParseBodyNotAxioms(t *testing.T) {
	tests := []struct {
		name, markdown string
		kind           BlockKind
	}{
		{"bold without colon", "Lede.\n\n**Bold** not an axiom", BlockParagraph},
		{"bold in the middle", "Lede.\n\nThe Fed said **Why it matters:** in a speech.", BlockParagraph},
		{"colon after a space", "Lede.\n\n**Bold** : not an axiom", BlockParagraph},
		{"emphasis not strong", "Lede.\n\n*Why it matters:* text", BlockParagraph},
		{"empty label", "Lede.\n\n**:** text", BlockParagraph},
		{"colon inside bold", "Lede.\n\n**Why it matters:** text", BlockAxiom},
		{"underscores", "Lede.\n\n__Go deeper:__ [more](https://example.com)", BlockAxiom},
		{"label alone", "Lede.\n\n**Zoom in:**", BlockAxiom},
		{"image", "Lede.\n\n![Powell at the podium](https://example.com/p.jpg)", BlockImage},
		{"code block", "Lede.\n\n```\nx := 1\n```", BlockParagraph},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := ParseBody(tt.markdown)
			if len(body.Blocks) != 2 {
				t.Fatalf("got %d blocks, want 2: %+v", len(body.Blocks), body.Blocks)
			}
			if got := body.Blocks[1].Kind; got != tt.kind {
				t.Errorf("kind = %q, want %q", got, tt.kind)
			}
			if _, ok := body.FirstAxiom(); ok != (tt.kind == BlockAxiom) {
				t.Errorf("FirstAxiom ok = %v", ok)
			}
		})
	}
}

func TestParseBodyLede(t *testing.T) {
	tests := []struct {
		name, markdown, lede string
		first                BlockKind
	}{
		{"empty", "", "", ""},
		{"plain paragraph", "Soft\nwrapped  *lede*.", "Soft wrapped lede.", BlockLede},
		{"axiom first", "**Driving the news:** A thing happened.", "", BlockAxiom},
		{"heading first", "# Title\n\nText.", "", BlockHeading},
		{"image before lede", "![alt](https://example.com/a.png)\n\nThe lede.", "The lede.", BlockImage},
		{"entities and escapes", "AT&amp;T \\*rose\\* 5%.", "AT&T *rose* 5%.", BlockLede},
		{"raw html dropped", "<div>hidden</div>\n\nThe lede.", "The lede.", BlockLede},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := ParseBody(tt.markdown)
			if got := body.Lede(); got != tt.lede {
				t.Errorf("Lede() = %q, want %q", got, tt.lede)
			}
			var first BlockKind
			if len(body.Blocks) > 0 {
				first = body.Blocks[0].Kind
			}
			if first != tt.first {
				t.Errorf("Blocks[0].Kind = %q, want %q", first, tt.first)
			}
		})
	}
}

func TestRenderInert(t *testing.T) {
	const evil = "Lede <script>alert(1)</script> here.\n\n" +
		"<script>alert(1)</script>\n\n" +
		"[x](javascript:alert(1)) and [y](JaVaScRiPt:alert(1)) and [z](data:text/html;base64,PHNjcmlwdD4=)\n\n" +
		"<img src=x onerror=alert(1)>\n\n" +
		"Inline <img src=x onerror=alert(1)> image.\n\n" +
		"<a href=\"JaVaScRiPt:alert(1)\">click</a>\n\n" +
		"Text <a href=\"JaVaScRiPt:alert(1)\">click</a> and <p style=\"color:red\" onclick=\"x()\">p</p>\n\n" +
		"![i](javascript:alert(1)) ![j](JAVASCRIPT:alert(1))\n\n" +
		"- **Why it matters:** <script>alert(1)</script>\n\n" +
		"> <iframe src=\"https://evil.example\"></iframe>\n"
	outputs := map[string]string{
		"RenderMarkdown": string(RenderMarkdown(evil)),
		"Body.HTML":      string(ParseBody(evil).HTML()),
	}
	for name, out := range outputs {
		lower := strings.ToLower(out)
		for _, bad := range []string{"<script", "javascript:", "onerror", "onclick", "style=", "data:", "<iframe"} {
			if strings.Contains(lower, bad) {
				t.Errorf("%s output contains %q:\n%s", name, bad, out)
			}
		}
	}
}

func TestRenderAutolinkInert(t *testing.T) {
	// A javascript: autolink may survive as visible text, never as a link.
	for _, md := range []string{"<javascript:alert(1)>", "<JaVaScRiPt:alert(1)>", "<vbscript:msgbox(1)>"} {
		out := strings.ToLower(string(RenderMarkdown(md)))
		if strings.Contains(out, "<a") || strings.Contains(out, "href") {
			t.Errorf("RenderMarkdown(%q) = %q, want no link", md, out)
		}
	}
}

func TestRenderMarkdown(t *testing.T) {
	tests := []struct{ markdown, want string }{
		{"", ""},
		{"A *bio* with **bold**.", "<p>A <em>bio</em> with <strong>bold</strong>.</p>"},
		{"[Herald](/about)", `<p><a href="/about">Herald</a></p>`},
		{"[Ex](https://example.com)", `<p><a href="https://example.com" rel="nofollow">Ex</a></p>`},
		{"~~old~~ new", "<p><del>old</del> new</p>"},
		{"**Why it matters**: x", "<p><strong>Why it matters:</strong> x</p>"},
		{"AT&T <b>x</b>", "<p>AT&amp;T x</p>"},
	}
	for _, tt := range tests {
		if got := string(RenderMarkdown(tt.markdown)); got != tt.want {
			t.Errorf("RenderMarkdown(%q) = %q, want %q", tt.markdown, got, tt.want)
		}
	}
}

func TestCountWords(t *testing.T) {
	tests := []struct {
		text string
		want int
	}{
		{"", 0},
		{"   \n\t", 0},
		{"— & — !", 0},
		{"one", 1},
		{"don't", 1},
		{"don’t stop", 2},
		{"U.S.", 1},
		{"the U.S. economy", 3},
		{"1,012 words", 2},
		{"state-run media", 2},
		{"Why it matters: text", 4},
		{"rates rose 2.9%, then fell", 5},
		{"red, white, and blue", 4},
		{"end. Next", 2},
		{"well -- maybe", 2},
		{"'quoted' words", 2},
		{"naïve café Zürich", 3},
		{"東京 2024", 2},
	}
	for _, tt := range tests {
		if got := CountWords(tt.text); got != tt.want {
			t.Errorf("CountWords(%q) = %d, want %d", tt.text, got, tt.want)
		}
	}
}

func TestParseBodyConcurrent(t *testing.T) {
	want := ParseBody(storyBody)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 20 {
				if got := ParseBody(storyBody); !reflect.DeepEqual(got, want) {
					t.Error("concurrent ParseBody differs")
					return
				}
			}
		})
	}
	wg.Wait()
}
