package herald

import (
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The limits of the Smart Brevity check.
const (
	BrevityMaxHeadlineWords  = 6   // strong words in a headline
	BrevityWhyItMattersWords = 200 // words before "Why it matters:" starts
	BrevityMaxParagraphWords = 60  // words in one paragraph
	BrevityMaxListItems      = 5   // items in one list
	BrevityMaxStoryWords     = 350 // words in the body
)

// Levels of a BrevityFinding. Publishing shows the warnings (and never
// blocks); a note is worth a look but often intended.
const (
	BrevityOK      = "ok"
	BrevityNote    = "note"
	BrevityWarning = "warning"
)

// BrevityCheck is the Smart Brevity check of a draft: figures and findings.
type BrevityCheck struct {
	Words               int              `json:"words"`
	ReadingTime         ReadingTime      `json:"-"`
	ReadingTimeLabel    string           `json:"reading_time"` // ReadingTime.String(): "1½ mins"
	HeadlineWords       int              `json:"headline_words"`
	HeadlineStrongWords int              `json:"headline_strong_words"` // see CheckBrevity
	LedeWords           int              `json:"lede_words"`
	Axioms              []string         `json:"axioms"` // labels in order, list items included
	Findings            []BrevityFinding `json:"findings"`
}

// BrevityFinding is one result of a rule of the check.
type BrevityFinding struct {
	Rule    string `json:"rule"`    // stable id: "headline-length", "lede-sentence", …
	Level   string `json:"level"`   // BrevityOK, BrevityNote or BrevityWarning
	Message string `json:"message"` // for the editor, plain text
}

// brevityAxioms are the standard axiom labels. A label outside the list is a
// note, or a warning when it looks like a misspelt one.
var brevityAxioms = strings.Split("Why it matters|The big picture|Driving the news|By the numbers|"+
	"Between the lines|Zoom in|Zoom out|The other side|What they're saying|What's next|"+
	"The bottom line|Bottom line|Go deeper|Yes, but|Reality check|The backstory|Flashback|"+
	"State of play|Catch up quick|The latest|What we're watching|What to watch|How it works|"+
	"The big question|The intrigue|Our thought bubble|Be smart|Worth noting|Of note|Details|"+
	"Context|Follow the money|Where it stands|Threat level", "|")

// brevityWeakWords are the function words that do not count as strong words
// of a headline: articles and determiners, pronouns, prepositions,
// conjunctions, and auxiliary verbs.
var brevityWeakWords = strings.Fields("a an the this that these those its it their they you your we our his her " +
	"of to in on at by for from with as into onto over after before about through than up out off via per " +
	"and or but nor so if is are was were be been has have had do does did will would can could may might should")

// CheckBrevity runs the Smart Brevity check on a draft's headline and
// Markdown body. It never fails; an empty draft gets warnings.
//
// A headline's strong words are its words (as CountWords counts them) other
// than the function words in brevityWeakWords: "The Fed holds rates steady,
// for now" has 5.
func CheckBrevity(headline, body string) BrevityCheck {
	b := ParseBody(body)
	c := BrevityCheck{Words: b.Words, ReadingTime: b.ReadingTime(), Axioms: append([]string{}, b.Axioms()...)}
	c.ReadingTimeLabel = c.ReadingTime.String()
	c.HeadlineWords = CountWords(headline)
	for _, w := range brevityWordList(headline) {
		if !slices.Contains(brevityWeakWords, strings.ToLower(w)) {
			c.HeadlineStrongWords++
		}
	}
	add := func(rule, level, format string, args ...any) {
		c.Findings = append(c.Findings, BrevityFinding{rule, level, fmt.Sprintf(format, args...)})
	}

	switch n := c.HeadlineStrongWords; {
	case c.HeadlineWords == 0:
		add("headline-length", BrevityWarning, "Write a headline.")
	case n > BrevityMaxHeadlineWords:
		add("headline-length", BrevityWarning, "The headline has %d strong words; aim for %d or fewer.", n, BrevityMaxHeadlineWords)
	default:
		add("headline-length", BrevityOK, "The headline has %s.", plural(n, "strong word"))
	}

	lede := b.Lede()
	c.LedeWords = CountWords(lede)
	switch n := brevitySentences(lede); {
	case lede == "":
		add("lede-sentence", BrevityWarning, "Open with a one-sentence lede, before any label, list or heading.")
	case n > 1:
		add("lede-sentence", BrevityWarning, "The lede has %d sentences; keep it to one.", n)
	default:
		add("lede-sentence", BrevityOK, "The lede is one sentence of %s.", plural(c.LedeWords, "word"))
	}

	before, found := 0, false
	for _, blk := range b.Blocks {
		if blk.Kind == BlockAxiom && brevityLabelKey(blk.Axiom) == "why it matters" {
			found = true
			break
		}
		before += blk.Words
	}
	switch {
	case !found:
		add("why-it-matters", BrevityWarning, `Add a "Why it matters:" paragraph within the first %d words.`, BrevityWhyItMattersWords)
	case before > BrevityWhyItMattersWords:
		add("why-it-matters", BrevityWarning, `"Why it matters:" starts after %d words; move it within the first %d.`, before, BrevityWhyItMattersWords)
	default:
		add("why-it-matters", BrevityOK, `"Why it matters:" starts after %s.`, plural(before, "word"))
	}

	var labels, long, lists []BrevityFinding
	para, list := 0, 0
	for _, blk := range b.Blocks {
		switch blk.Kind {
		case BlockLede, BlockParagraph, BlockAxiom:
			para++
			if f, ok := brevityCheckLabel(para, blk); ok {
				labels = append(labels, f)
			}
			if blk.Words > BrevityMaxParagraphWords {
				long = append(long, BrevityFinding{"paragraph-length", BrevityWarning, fmt.Sprintf(
					"Paragraph %d (%s) has %d words; keep paragraphs to %d or fewer.", para, brevitySnippet(blk.Text), blk.Words, BrevityMaxParagraphWords)})
			}
		case BlockList:
			list++
			if n := len(blk.Items); n > BrevityMaxListItems {
				lists = append(lists, BrevityFinding{"list-length", BrevityWarning, fmt.Sprintf(
					"List %d (%s) has %d items; keep lists to %d.", list, brevitySnippet(blk.Items[0].Text), n, BrevityMaxListItems)})
			}
		}
	}
	c.Findings = append(c.Findings, brevityCap(labels, "unusual labels")...)
	c.Findings = append(c.Findings, brevityCap(long, "long paragraphs")...)
	c.Findings = append(c.Findings, brevityCap(lists, "long lists")...)

	if c.Words > BrevityMaxStoryWords {
		add("story-length", BrevityWarning, "The story has %s words; keep it to %d or fewer.", FormatCount(c.Words), BrevityMaxStoryWords)
	} else {
		add("story-length", BrevityOK, "The story has %s.", plural(c.Words, "word"))
	}
	return c
}

// brevityCheckLabel checks the label of paragraph number para. List items
// are left alone: bold lead-ins there are free-form.
func brevityCheckLabel(para int, blk Block) (BrevityFinding, bool) {
	if blk.Kind != BlockAxiom {
		return BrevityFinding{}, false
	}
	key := brevityLabelKey(blk.Axiom)
	best, bestDist := "", 3
	for _, known := range brevityAxioms {
		if key == brevityLabelKey(known) {
			return BrevityFinding{}, false
		}
		limit := 1 + min(len(known)/8, 1) // short labels allow one slip, longer ones two
		if d := editDistance(key, brevityLabelKey(known), limit); d <= limit && d < bestDist {
			best, bestDist = known, d
		}
	}
	label := strings.ToValidUTF8(blk.Axiom[:min(len(blk.Axiom), 60)], "")
	if len(blk.Axiom) > 60 {
		label += "…"
	}
	if best != "" {
		return BrevityFinding{"axiom-label", BrevityWarning, fmt.Sprintf(
			"Paragraph %d opens with \"%s:\"; did you mean \"%s:\"?", para, label, best)}, true
	}
	return BrevityFinding{"axiom-label", BrevityNote, fmt.Sprintf(
		"Paragraph %d opens with \"%s:\", which is not a standard axiom.", para, label)}, true
}

// brevityCap keeps the first findings of a rule and sums up the rest, so a
// huge draft gets a readable answer.
func brevityCap(fs []BrevityFinding, what string) []BrevityFinding {
	const keep = 10
	if len(fs) <= keep {
		return fs
	}
	more := BrevityFinding{fs[keep].Rule, fs[keep].Level, fmt.Sprintf("…and %d more %s.", len(fs)-keep, what)}
	return append(fs[:keep], more)
}

// brevityLabelKey normalises a label for comparison: lower case, straight apostrophes.
func brevityLabelKey(label string) string {
	return strings.ReplaceAll(strings.ToLower(strings.TrimSpace(label)), "\u2019", "'")
}

// brevitySnippet quotes the first few words of text, so a message says which
// block it means without repeating it.
func brevitySnippet(text string) string {
	fields := strings.Fields(text[:min(len(text), 200)])
	s := strings.Join(fields[:min(len(fields), 6)], " ")
	cut := len(fields) > 6 || len(s) > 50 || len(text) > 200
	if s = strings.ToValidUTF8(s[:min(len(s), 50)], ""); cut {
		s += "…"
	}
	return `"` + s + `"`
}

// brevityWordList returns the words of text, split as CountWords splits them.
func brevityWordList(text string) []string {
	var words []string
	start := -1
	for i, r := range text {
		switch {
		case isWordRune(r):
			if start < 0 {
				start = i
			}
		case start >= 0 && isWordJoiner(r):
			next, _ := utf8.DecodeRuneInString(text[i+utf8.RuneLen(r):])
			if isWordRune(next) {
				continue
			}
			words, start = append(words, text[start:i]), -1
		case start >= 0:
			words, start = append(words, text[start:i]), -1
		}
	}
	if start >= 0 {
		words = append(words, text[start:])
	}
	return words
}

// brevityAbbrevs are words whose full stop does not end a sentence.
var brevityAbbrevs = strings.Fields("mr mrs ms dr st jr sr gov sen rep gen lt col sgt capt prof inc co corp ltd vs no mt ft jan feb aug sept oct nov dec etc approx")

// brevitySentences counts the sentences of text, which must not be empty. A sentence ends at ".", "!"
// or "?" (after any closing quotes or brackets) followed by a space and a
// capital letter, digit or opening quote, unless the full stop ends an
// initial ("J.", "U.S.") or a common abbreviation ("Mr.", "Sen.").
func brevitySentences(text string) int {
	n := 1
	for i := 0; i < len(text); i++ {
		c := text[i]
		if c != '.' && c != '!' && c != '?' {
			continue
		}
		rest, found := strings.CutPrefix(strings.TrimLeft(text[i+1:], "\"')]\u201d\u2019"), " ")
		if !found {
			continue
		}
		next, _ := utf8.DecodeRuneInString(rest)
		if !unicode.IsUpper(next) && !unicode.IsDigit(next) && !strings.ContainsRune("\"'\u201c\u2018", next) {
			continue
		}
		if c == '.' {
			start := i
			for start > 0 && text[start-1] != ' ' && text[start-1] != '.' {
				start--
			}
			word := text[start:i]
			if utf8.RuneCountInString(word) == 1 || slices.Contains(brevityAbbrevs, strings.ToLower(strings.TrimLeft(word, `"'(`))) {
				continue
			}
		}
		n++
	}
	return n
}

// editDistance returns the Levenshtein distance between a and b, or limit+1
// when their lengths alone tell it exceeds limit.
func editDistance(a, b string, limit int) int {
	ra, rb := []rune(a), []rune(b)
	if d := len(ra) - len(rb); d > limit || -d > limit {
		return limit + 1
	}
	prev, cur := make([]int, len(rb)+1), make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

// Warnings are the findings at the warning level, in order.
func (c BrevityCheck) Warnings() []BrevityFinding {
	var out []BrevityFinding
	for _, f := range c.Findings {
		if f.Level == BrevityWarning {
			out = append(out, f)
		}
	}
	return out
}
