package herald

import (
	"bytes"
	"html/template"
	"strings"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// brevityMarkdown is the Markdown converter shared by every story body, bio and
// blurb. It keeps goldmark's safe defaults: raw HTML is never passed through
// (it renders as an HTML comment, which the sanitiser then drops) and
// dangerous link destinations are emptied. Like the sanitiser below, it is
// safe for concurrent use.
var brevityMarkdown = goldmark.New(
	goldmark.WithExtensions(
		extension.Strikethrough,
		extension.Linkify,
		axiomExtension{},
	),
)

// brevityPolicy is the single HTML policy every rendered fragment goes through:
// bluemonday's user-generated-content policy (no scripts, no event handler
// attributes, no style, only http, https, mailto and relative URLs), with
// rel="nofollow" added to links that leave the site.
var brevityPolicy = func() *bluemonday.Policy {
	p := bluemonday.UGCPolicy()
	p.RequireNoFollowOnLinks(false)
	p.RequireNoFollowOnFullyQualifiedLinks(true)
	return p
}()

// RenderMarkdown renders arbitrary Markdown (bios, edition blurbs) as sanitised
// HTML. Text past the limits of CheckMarkdown, or that takes longer than
// MarkdownRenderBudget, is shown as plain paragraphs instead.
func RenderMarkdown(markdown string) template.HTML {
	source := []byte(markdown)
	html, ok := withinBudget(markdown, func() template.HTML { return brevityRender(brevityParse(source), source) })
	if !ok {
		return plainBody(markdown).HTML()
	}
	return html
}

// brevityParse parses source into a goldmark document, with axiom labels
// normalised by axiomExtension.
func brevityParse(source []byte) ast.Node {
	return brevityMarkdown.Parser().Parse(text.NewReader(source))
}

// brevityRender renders n (a document or any block of one) and sanitises the
// result.
func brevityRender(n ast.Node, source []byte) template.HTML {
	var buf bytes.Buffer
	if err := brevityMarkdown.Renderer().Render(&buf, source, n); err != nil {
		// The HTML renderer only fails when writing to buf fails, which
		// bytes.Buffer never does; render nothing rather than half a block.
		return ""
	}
	return template.HTML(strings.TrimSpace(string(brevityPolicy.SanitizeBytes(buf.Bytes()))))
}

// axiomExtension is the goldmark extension that recognises Smart Brevity
// axioms. It registers axiomTransformer.
type axiomExtension struct{}

// Extend implements goldmark.Extender.
func (axiomExtension) Extend(m goldmark.Markdown) {
	m.Parser().AddOptions(parser.WithASTTransformers(util.Prioritized(axiomTransformer{}, 500)))
}

// axiomTransformer normalises axiom labels after inline parsing: in
// "**Why it matters**: text" the colon is moved inside the strong emphasis, so
// every axiom renders as <strong>Why it matters:</strong>.
type axiomTransformer struct{}

// Transform implements parser.ASTTransformer.
func (axiomTransformer) Transform(doc *ast.Document, reader text.Reader, _ parser.Context) {
	source := reader.Source()
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n.Kind() {
		case ast.KindParagraph:
			if n.Parent() != nil && n.Parent().Kind() == ast.KindDocument {
				axiomLabel(n, source, true)
			}
			return ast.WalkSkipChildren, nil
		case ast.KindListItem:
			axiomLabel(n.FirstChild(), source, true)
		case ast.KindBlockquote:
			// A bold label inside a quote belongs to the quoted text.
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
}

// axiomLabel reports the label of an axiom: block must be a paragraph (or the
// text block of a tight list item) opened by strong emphasis whose text ends
// in a colon, or which is directly followed by one. The label is returned
// without the colon. With fix set, a colon that follows the emphasis is moved
// inside it.
func axiomLabel(block ast.Node, source []byte, fix bool) (string, bool) {
	if block == nil || (block.Kind() != ast.KindParagraph && block.Kind() != ast.KindTextBlock) {
		return "", false
	}
	strong, ok := block.FirstChild().(*ast.Emphasis)
	if !ok || strong.Level != 2 {
		return "", false
	}
	label := brevityPlainText(strong, source)
	if l, found := strings.CutSuffix(label, ":"); found {
		label = strings.TrimSpace(l)
		return label, label != ""
	}
	next, ok := strong.NextSibling().(*ast.Text)
	if !ok || next.IsRaw() || label == "" {
		return "", false
	}
	if v := next.Segment.Value(source); len(v) == 0 || v[0] != ':' {
		return "", false
	}
	if fix {
		next.Segment = next.Segment.WithStart(next.Segment.Start + 1)
		strong.AppendChild(strong, ast.NewString([]byte(":")))
	}
	return label, true
}

// brevityPlainText returns the text of n as a reader sees it, whitespace-normalised:
// escapes and entities resolved, images replaced by their alt text, raw HTML
// dropped.
func brevityPlainText(n ast.Node, source []byte) string {
	var sb strings.Builder
	brevityWriteText(&sb, n, source)
	return strings.Join(strings.Fields(sb.String()), " ")
}

// brevityWriteText appends the text of n to sb; see brevityPlainText.
func brevityWriteText(sb *strings.Builder, n ast.Node, source []byte) {
	switch n := n.(type) {
	case *ast.Text:
		v := n.Segment.Value(source)
		if !n.IsRaw() {
			v = brevityUnescape(v)
		}
		sb.Write(v)
		if n.SoftLineBreak() || n.HardLineBreak() {
			sb.WriteByte(' ')
		}
		return
	case *ast.String:
		v := n.Value
		if !n.IsRaw() && !n.IsCode() {
			v = brevityUnescape(v)
		}
		sb.Write(v)
		return
	case *ast.AutoLink:
		sb.Write(n.Label(source))
		return
	case *ast.RawHTML, *ast.HTMLBlock, *ast.ThematicBreak:
		return
	case *ast.CodeBlock, *ast.FencedCodeBlock:
		lines := n.Lines()
		for i := range lines.Len() {
			seg := lines.At(i)
			sb.Write(seg.Value(source))
		}
		sb.WriteByte(' ')
		return
	}
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		brevityWriteText(sb, c, source)
	}
	if n.Type() == ast.TypeBlock {
		sb.WriteByte(' ')
	}
}

// brevityUnescape resolves Markdown backslash escapes and HTML character references.
func brevityUnescape(v []byte) []byte {
	return util.UnescapePunctuations(util.ResolveNumericReferences(util.ResolveEntityNames(v)))
}
