package herald

import (
	"html/template"
	"strings"
	"unicode"

	"github.com/yuin/goldmark/ast"
)

// BlockKind says what a block of a story body is.
type BlockKind string

// The kinds of block a story body is made of.
const (
	BlockLede      BlockKind = "lede"      // the opening paragraph of the body
	BlockParagraph BlockKind = "paragraph" // any other paragraph (code blocks too)
	BlockAxiom     BlockKind = "axiom"     // a paragraph opened by a bold label ending in a colon
	BlockList      BlockKind = "list"      // a bullet or numbered list
	BlockQuote     BlockKind = "quote"     // a block quote
	BlockHeading   BlockKind = "heading"   // a heading of any level
	BlockImage     BlockKind = "image"     // a paragraph holding only an image (optionally linked)
)

// Block is one block of a parsed story body.
type Block struct {
	Kind  BlockKind
	Axiom string        // the label without its colon ("Why it matters"), for axiom blocks only
	Text  string        // plain text of the block, label included, whitespace-normalised
	HTML  template.HTML // sanitised HTML of the block
	Words int           // CountWords(Text)
	Items []ListItem    // the top-level items of a list block
}

// ListItem is one top-level item of a list block.
type ListItem struct {
	Axiom string // the label of an axiom opening the item, without its colon; "" when none
	Text  string // plain text of the item (nested lists included), whitespace-normalised
}

// Body is a parsed story body.
type Body struct {
	Blocks []Block
	Words  int // the sum of the blocks' word counts
}

// ParseBody parses a Markdown story body into Smart Brevity blocks.
//
// Top-level paragraphs become axiom, image or plain paragraph blocks; the
// first block that is not an image becomes the lede when it is a plain
// paragraph. Thematic breaks and raw HTML blocks (which never render) are
// left out.
//
// Text past the limits of CheckMarkdown, or whose parsing takes longer than
// MarkdownRenderBudget, is shown as plain paragraphs instead (see plainBody).
func ParseBody(markdown string) Body {
	body, ok := withinBudget(markdown, func() Body { return parseBody(markdown) })
	if !ok {
		return plainBody(markdown)
	}
	return body
}

// parseBody is ParseBody without its limits.
func parseBody(markdown string) Body {
	source := []byte(markdown)
	doc := brevityParse(source)
	var body Body
	ledeDecided := false
	for n := doc.FirstChild(); n != nil; n = n.NextSibling() {
		b, ok := newBrevityBlock(n, source)
		if !ok {
			continue
		}
		if !ledeDecided && b.Kind != BlockImage {
			ledeDecided = true
			if b.Kind == BlockParagraph && n.Kind() == ast.KindParagraph {
				b.Kind = BlockLede
			}
		}
		body.Blocks = append(body.Blocks, b)
		body.Words += b.Words
	}
	return body
}

// newBrevityBlock builds the block for the top-level node n; ok is false for nodes
// that show nothing.
func newBrevityBlock(n ast.Node, source []byte) (b Block, ok bool) {
	switch n := n.(type) {
	case *ast.HTMLBlock, *ast.ThematicBreak:
		return b, false
	case *ast.Paragraph:
		b.Kind = BlockParagraph
		if isImageOnlyParagraph(n) {
			b.Kind = BlockImage
		} else if label, isAxiom := axiomLabel(n, source, false); isAxiom {
			b.Kind, b.Axiom = BlockAxiom, label
		}
	case *ast.List:
		b.Kind = BlockList
		for li := n.FirstChild(); li != nil; li = li.NextSibling() {
			label, _ := axiomLabel(li.FirstChild(), source, false)
			b.Items = append(b.Items, ListItem{Axiom: label, Text: brevityPlainText(li, source)})
		}
	case *ast.Blockquote:
		b.Kind = BlockQuote
	case *ast.Heading:
		b.Kind = BlockHeading
	default:
		b.Kind = BlockParagraph
	}
	b.Text = brevityPlainText(n, source)
	b.HTML = brevityRender(n, source)
	b.Words = CountWords(b.Text)
	return b, b.Text != "" || b.HTML != ""
}

// isImageOnlyParagraph reports whether p holds a single image, possibly wrapped in a link.
func isImageOnlyParagraph(p *ast.Paragraph) bool {
	c := p.FirstChild()
	if c == nil || c.NextSibling() != nil {
		return false
	}
	if c.Kind() == ast.KindLink && c.ChildCount() == 1 {
		c = c.FirstChild()
	}
	return c.Kind() == ast.KindImage
}

// Lede returns the plain text of the lede, or "" when the body has none.
func (b Body) Lede() string {
	for _, blk := range b.Blocks {
		if blk.Kind == BlockLede {
			return blk.Text
		}
	}
	return ""
}

// FirstAxiom returns the first axiom block of the body.
func (b Body) FirstAxiom() (Block, bool) {
	for _, blk := range b.Blocks {
		if blk.Kind == BlockAxiom {
			return blk, true
		}
	}
	return Block{}, false
}

// Axioms returns the axiom labels in order of appearance, list items included.
func (b Body) Axioms() []string {
	var labels []string
	for _, blk := range b.Blocks {
		if blk.Kind == BlockAxiom {
			labels = append(labels, blk.Axiom)
		}
		for _, it := range blk.Items {
			if it.Axiom != "" {
				labels = append(labels, it.Axiom)
			}
		}
	}
	return labels
}

// HTML returns the whole body as sanitised HTML, one block per line.
func (b Body) HTML() template.HTML {
	parts := make([]string, 0, len(b.Blocks))
	for _, blk := range b.Blocks {
		parts = append(parts, string(blk.HTML))
	}
	// Each part went through the sanitiser on its own.
	return template.HTML(strings.Join(parts, "\n"))
}

// ReadingTime returns the reading time of the body.
func (b Body) ReadingTime() ReadingTime {
	return ReadingTimeFor(b.Words)
}

// CountWords counts the words in text: runs of letters and digits, where an
// apostrophe, hyphen, full stop or comma between two letters or digits joins
// them ("don't", "state-run", "U.S.", "1,012" are one word each).
func CountWords(text string) int {
	runes := []rune(text)
	words, inWord := 0, false
	for i, r := range runes {
		switch {
		case isWordRune(r):
			if !inWord {
				words++
				inWord = true
			}
		case inWord && isWordJoiner(r) && i+1 < len(runes) && isWordRune(runes[i+1]):
			// Stay inside the word.
		default:
			inWord = false
		}
	}
	return words
}

// isWordRune reports whether r can be part of a word.
func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r)
}

// isWordJoiner reports whether r joins the letters or digits either side of it
// into one word.
func isWordJoiner(r rune) bool {
	switch r {
	case '\'', '\u2019', '-', '\u2010', '\u2011', '.', ',':
		return true
	}
	return false
}
