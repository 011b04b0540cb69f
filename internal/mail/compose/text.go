package compose

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/herald-news/herald"
)

// textWidth is where the text part wraps: short enough for any client,
// and quoted-printable never has to break a line of it.
const textWidth = 72

// markdownText renders a Markdown body as plain text: paragraphs wrapped,
// list items as "- item" (or "1. item"), quotes as "> ", images by their
// alt text. Links keep their text only; an item's own URL is spelled out
// by the template.
func markdownText(md string) string {
	var parts []string
	for _, blk := range herald.ParseBody(md).Blocks {
		switch blk.Kind {
		case herald.BlockList:
			ordered := strings.HasPrefix(string(blk.HTML), "<ol")
			items := make([]string, 0, len(blk.Items))
			for i, it := range blk.Items {
				marker := "- "
				if ordered {
					marker = strconv.Itoa(i+1) + ". "
				}
				items = append(items, wrap(it.Text, textWidth, marker, strings.Repeat(" ", len(marker))))
			}
			parts = append(parts, strings.Join(items, "\n"))
		case herald.BlockQuote:
			parts = append(parts, wrap(blk.Text, textWidth, "> ", "> "))
		case herald.BlockImage:
			if blk.Text != "" {
				parts = append(parts, wrap("[Image: "+blk.Text+"]", textWidth, "", ""))
			}
		default:
			parts = append(parts, wrap(blk.Text, textWidth, "", ""))
		}
	}
	return strings.Join(parts, "\n\n")
}

// wrap fills s into lines of at most width characters, the first starting
// with first and the others with indent. A word longer than a line (a URL)
// gets a line of its own rather than being broken.
func wrap(s string, width int, first, indent string) string {
	var b strings.Builder
	b.WriteString(first)
	col := utf8.RuneCountInString(first)
	start := col // the column where words begin on the current line
	for _, w := range strings.Fields(s) {
		n := utf8.RuneCountInString(w)
		switch {
		case col == start:
		case col+1+n > width:
			b.WriteByte('\n')
			b.WriteString(indent)
			col = utf8.RuneCountInString(indent)
			start = col
		default:
			b.WriteByte(' ')
			col++
		}
		b.WriteString(w)
		col += n
	}
	return b.String()
}
