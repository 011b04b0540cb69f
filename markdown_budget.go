package herald

import (
	"html"
	"html/template"
	"strings"
	"time"
)

// MarkdownRenderBudget is how long parsing and rendering one text may take.
// Past it the reader sees the text as plain paragraphs and a save or check
// is refused. Within the limits of CheckMarkdown the worst case known is far
// below it; the budget guards against inputs nobody has found yet.
const MarkdownRenderBudget = 2 * time.Second

// markdownBudget is MarkdownRenderBudget; tests shorten it.
var markdownBudget = MarkdownRenderBudget

// markdownHook, when set by a test, runs before each budgeted render.
var markdownHook func()

// withinBudget returns render's result when markdown is within the limits
// of CheckMarkdown and render finishes within markdownBudget; ok is false
// otherwise. Goldmark cannot be interrupted: a render past its budget runs
// on in the background, bounded by those limits.
func withinBudget[T any](markdown string, render func() T) (result T, ok bool) {
	if !markdownWithinLimits(markdown) {
		return result, false
	}
	hook, budget := markdownHook, markdownBudget // read here: a late goroutine must not race a test resetting them
	done := make(chan T, 1)
	go func() {
		if hook != nil {
			hook()
		}
		done <- render()
	}()
	timer := time.NewTimer(budget)
	defer timer.Stop()
	select {
	case result = <-done:
		return result, true
	case <-timer.C:
		return result, false
	}
}

// checkMarkdownBudget returns an EINVALID error when markdown cannot be
// parsed within the budget.
func checkMarkdownBudget(what, markdown string) error {
	if _, ok := withinBudget(markdown, func() Body { return parseBody(markdown) }); !ok {
		return Errorf(EINVALID, "The %s is too complex to show in time (over %s); simplify its links, quotes or lists.",
			what, markdownBudget)
	}
	return nil
}

// plainBody is a body shown without Markdown: each run of lines separated by
// a blank line becomes a paragraph of escaped text, the first one the lede.
// It takes time linear in the text, whatever the text is.
func plainBody(markdown string) Body {
	var body Body
	for _, para := range strings.Split(strings.ReplaceAll(markdown, "\r\n", "\n"), "\n\n") {
		t := strings.Join(strings.Fields(para), " ")
		if t == "" {
			continue
		}
		b := Block{Kind: BlockParagraph, Text: t, HTML: template.HTML("<p>" + html.EscapeString(t) + "</p>"), Words: CountWords(t)}
		if len(body.Blocks) == 0 {
			b.Kind = BlockLede
		}
		body.Blocks = append(body.Blocks, b)
		body.Words += b.Words
	}
	return body
}
