package herald

import (
	"strings"
	"unicode/utf8"
)

// The limits on the Markdown Herald accepts. Goldmark's parser is quadratic
// on some inputs (a line of unclosed links such as "[a](" repeated, quotes
// or lists nested thousands deep), so the limits bound its worst case, not
// only the size: at these limits the slowest body BenchmarkMarkdownWorstCase
// knows takes well under a second to parse.
const (
	MaxStoryBodyChars    = 100_000 // a story body: about 15,000 words
	MaxBlurbChars        = 6_000   // an edition item's or opening's blurb
	MaxBioChars          = 6_000   // an author's bio
	MaxMarkdownLineChars = 5_000   // one line (a paragraph without line breaks)
	MaxMarkdownDepth     = 12      // quotes and lists nested in one another
)

// CheckMarkdown reports whether markdown, the text an editor calls what
// ("body", "blurb"), is within the limits: at most maxChars characters,
// no line longer than MaxMarkdownLineChars and no quote or list nested
// deeper than MaxMarkdownDepth, and parsed within MarkdownRenderBudget. It
// returns an EINVALID error saying which limit was passed, in words ("The
// body is 412,000 characters; the limit is 100,000.").
func CheckMarkdown(what, markdown string, maxChars int) error {
	if err := checkMarkdownShape(what, markdown, maxChars); err != nil {
		return err
	}
	return checkMarkdownBudget(what, markdown)
}

// checkMarkdownShape is CheckMarkdown without the time budget.
func checkMarkdownShape(what, markdown string, maxChars int) error {
	if n := utf8.RuneCountInString(markdown); n > maxChars {
		return Errorf(EINVALID, "The %s is %s characters; the limit is %s.", what, FormatCount(n), FormatCount(maxChars))
	}
	if line, depth := markdownShape(markdown); line > MaxMarkdownLineChars {
		return Errorf(EINVALID, "The %s has a line of %s characters; the limit is %s. Break it into paragraphs.",
			what, FormatCount(line), FormatCount(MaxMarkdownLineChars))
	} else if depth > MaxMarkdownDepth {
		return Errorf(EINVALID, "The %s nests quotes or lists %s deep; the limit is %d.", what, FormatCount(depth), MaxMarkdownDepth)
	}
	return nil
}

// markdownWithinLimits reports whether markdown is within the limits of
// CheckMarkdown for the largest field; only such text is given to goldmark.
func markdownWithinLimits(markdown string) bool {
	return checkMarkdownShape("text", markdown, MaxStoryBodyChars) == nil
}

// markdownShape returns the length in characters of the longest line of
// markdown and the deepest nesting of quote and list markers opening a line.
func markdownShape(markdown string) (longest, deepest int) {
	for line := range strings.Lines(markdown) {
		line = strings.TrimRight(line, "\r\n")
		longest = max(longest, utf8.RuneCountInString(line))
		deepest = max(deepest, containerDepth(line))
	}
	return longest, deepest
}

// containerDepth counts the block quote (">") and list ("-", "*", "+",
// "1." or "1)" followed by a space) markers that open line.
func containerDepth(line string) int {
	depth := 0
	for i := 0; i < len(line); {
		switch c := line[i]; {
		case c == ' ' || c == '\t':
			i++
		case c == '>':
			depth++
			i++
		case (c == '-' || c == '*' || c == '+') && i+1 < len(line) && (line[i+1] == ' ' || line[i+1] == '\t'):
			depth++
			i += 2
		case c >= '0' && c <= '9':
			j := i
			for j < len(line) && j-i < 9 && line[j] >= '0' && line[j] <= '9' {
				j++
			}
			if j+1 >= len(line) || (line[j] != '.' && line[j] != ')') || (line[j+1] != ' ' && line[j+1] != '\t') {
				return depth
			}
			depth++
			i = j + 2
		default:
			return depth
		}
	}
	return depth
}
