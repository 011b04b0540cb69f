package herald

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// words returns n distinct lower-case words, so they make one sentence.
func words(n int) string {
	w := make([]string, n)
	for i := range w {
		w[i] = fmt.Sprintf("w%c", 'a'+i%26)
	}
	return strings.Join(w, " ")
}

// why is a "Why it matters:" paragraph of 10 words.
const why = "**Why it matters:** Rates shape what households pay to borrow money."

func TestCheckBrevityRules(t *testing.T) {
	const head = "Fed holds rates steady"
	lede := "The Fed held rates steady."
	tests := []struct {
		name, headline, body string
		rule, level, message string // level "" means the rule finds nothing
	}{
		{"short headline", head, lede, "headline-length", BrevityOK, "The headline has 4 strong words."},
		{"weak words do not count", "The Fed is in no rush to cut rates for now", lede, "headline-length", BrevityOK, "6 strong words"},
		{"long headline", "City council votes to raise parking fees downtown again next year", lede, "headline-length", BrevityWarning, "The headline has 10 strong words; aim for 6 or fewer."},
		{"hyphenated words count once", "State-run utilities raise winter heating bills sharply", lede, "headline-length", BrevityWarning, "7 strong words"},
		{"no headline", "", lede, "headline-length", BrevityWarning, "Write a headline."},
		{"lede of one sentence", head, "U.S. Sen. Jo Smith said Mr. Lee, 42, will run again.", "lede-sentence", BrevityOK, "The lede is one sentence of 11 words."},
		{"lede of quoted sentence", head, `"We're not there yet." Powell said it twice.`, "lede-sentence", BrevityWarning, "The lede has 2 sentences; keep it to one."},
		{"lede of three sentences", head, "The council voted. It was close! Why? 12 members left.", "lede-sentence", BrevityWarning, "The lede has 4 sentences"},
		{"lede missing", head, why, "lede-sentence", BrevityWarning, "Open with a one-sentence lede"},
		{"why it matters early", head, lede + "\n\n" + why, "why-it-matters", BrevityOK, `"Why it matters:" starts after 5 words.`},
		{"why it matters, other case", head, lede + "\n\n**Why It Matters**: Money.", "why-it-matters", BrevityOK, "starts after 5 words"},
		{"why it matters missing", head, lede, "why-it-matters", BrevityWarning, `Add a "Why it matters:" paragraph within the first 200 words.`},
		{"why it matters late", head, strings.Repeat(words(50)+"\n\n", 5) + why, "why-it-matters", BrevityWarning, `"Why it matters:" starts after 250 words; move it within the first 200.`},
		{"standard label", head, lede + "\n\n" + why + "\n\n**The big picture:** Calm.", "axiom-label", "", ""},
		{"curly apostrophe label", head, lede + "\n\n**What\u2019s next:** A vote.", "axiom-label", "", ""},
		{"misspelt label", head, lede + "\n\n**Why it maters:** Money.", "axiom-label", BrevityWarning, `Paragraph 2 opens with "Why it maters:"; did you mean "Why it matters:"?`},
		{"misspelt short label", head, lede + "\n\n**Zom in:** Close up.", "axiom-label", BrevityWarning, `did you mean "Zoom in:"?`},
		{"custom label", head, lede + "\n\n**Location:** Near the river.", "axiom-label", BrevityNote, `Paragraph 2 opens with "Location:", which is not a standard axiom.`},
		{"list lead-ins are free", head, lede + "\n\n- **Speed:** Bus lanes.", "axiom-label", "", ""},
		{"paragraph of 60 words", head, lede + "\n\n" + words(60), "paragraph-length", "", ""},
		{"paragraph of 61 words", head, lede + "\n\n" + words(61), "paragraph-length", BrevityWarning, `Paragraph 2 ("wa wb wc wd we wf…") has 61 words; keep paragraphs to 60 or fewer.`},
		{"list of 5 items", head, lede + "\n\n" + strings.Repeat("- item\n", 5), "list-length", "", ""},
		{"list of 6 items", head, lede + "\n\n1. First\n" + strings.Repeat("1. item\n", 5), "list-length", BrevityWarning, `List 1 ("First") has 6 items; keep lists to 5.`},
		{"story of 350 words", head, strings.Repeat(words(50)+"\n\n", 7), "story-length", BrevityOK, "The story has 350 words."},
		{"story of 351 words", head, strings.Repeat(words(50)+"\n\n", 7) + "more", "story-length", BrevityWarning, "The story has 351 words; keep it to 350 or fewer."},
		{"story of one word", head, "Hi", "story-length", BrevityOK, "The story has 1 word."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []BrevityFinding
			for _, f := range CheckBrevity(tt.headline, tt.body).Findings {
				if f.Rule == tt.rule {
					got = append(got, f)
				}
			}
			switch {
			case tt.level == "" && len(got) > 0:
				t.Errorf("findings %+v, want none", got)
			case tt.level == "":
			case len(got) != 1:
				t.Errorf("findings %+v, want one %s", got, tt.level)
			case got[0].Level != tt.level || !strings.Contains(got[0].Message, tt.message):
				t.Errorf("finding = %s %q, want %s containing %q", got[0].Level, got[0].Message, tt.level, tt.message)
			}
		})
	}
}

func TestCheckBrevityFigures(t *testing.T) {
	c := CheckBrevity("The Fed holds rates steady, for now", storyBody)
	body := ParseBody(storyBody)
	if c.Words != body.Words || c.ReadingTime != body.ReadingTime() || c.ReadingTimeLabel != body.ReadingTime().String() {
		t.Errorf("words %d, reading time %v %q; want %d, %v", c.Words, c.ReadingTime, c.ReadingTimeLabel, body.Words, body.ReadingTime())
	}
	if c.HeadlineWords != 7 || c.HeadlineStrongWords != 5 {
		t.Errorf("headline words = %d (%d strong), want 7 (5 strong)", c.HeadlineWords, c.HeadlineStrongWords)
	}
	if c.LedeWords != 19 {
		t.Errorf("LedeWords = %d, want 19", c.LedeWords)
	}
	if want := []string{"Why it matters", "The big picture", "By the numbers", "Yes, but"}; !reflect.DeepEqual(c.Axioms, want) {
		t.Errorf("Axioms = %q, want %q", c.Axioms, want)
	}
	if w := warnings(c); len(w) != 0 {
		t.Errorf("a good story gets warnings: %+v", w)
	}
}

func TestCheckBrevityEmptyDraft(t *testing.T) {
	c := CheckBrevity("", "")
	var rules []string
	for _, f := range c.Findings {
		rules = append(rules, f.Rule+" "+f.Level)
	}
	want := []string{"headline-length warning", "lede-sentence warning", "why-it-matters warning", "story-length ok"}
	if !reflect.DeepEqual(rules, want) {
		t.Errorf("findings = %q, want %q", rules, want)
	}
	data, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	for _, field := range []string{`"words":0`, `"reading_time":"\u003c 1 min"`, `"axioms":[]`, `"findings":[{"rule":"headline-length","level":"warning","message":"Write a headline."}`} {
		if !strings.Contains(string(data), field) {
			t.Errorf("JSON %s lacks %s", data, field)
		}
	}
}

func TestCheckBrevityOrdersFindingsOncePerThing(t *testing.T) {
	body := "One. Two.\n\n**Why it maters:** " + words(70) + "\n\n" + words(61) + "\n\n" +
		strings.Repeat("- x\n", 7) + "\n\n**Location:** Here.\n\n" + strings.Repeat("- y\n", 6)
	var got []string
	for _, f := range CheckBrevity("Short headline", body).Findings {
		got = append(got, f.Rule+": "+f.Message)
	}
	want := []string{
		"headline-length: The headline has 2 strong words.",
		"lede-sentence: The lede has 2 sentences; keep it to one.",
		`why-it-matters: Add a "Why it matters:" paragraph within the first 200 words.`,
		`axiom-label: Paragraph 2 opens with "Why it maters:"; did you mean "Why it matters:"?`,
		`axiom-label: Paragraph 4 opens with "Location:", which is not a standard axiom.`,
		`paragraph-length: Paragraph 2 ("Why it maters: wa wb wc…") has 73 words; keep paragraphs to 60 or fewer.`,
		`paragraph-length: Paragraph 3 ("wa wb wc wd we wf…") has 61 words; keep paragraphs to 60 or fewer.`,
		`list-length: List 1 ("x") has 7 items; keep lists to 5.`,
		`list-length: List 2 ("y") has 6 items; keep lists to 5.`,
		"story-length: The story has 151 words.",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("findings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestCheckBrevityHugeDraft(t *testing.T) {
	long := strings.Repeat(words(70)+"\n\n", 1<<20/(len(words(70))+2))
	oneLine := strings.Repeat("Sen. U.S. word, ", 1<<20/16)
	tests := []struct{ name, headline, body string }{
		{"many long paragraphs", "Headline", long},
		{"one huge paragraph", oneLine, oneLine},
		{"one huge label", "Headline", "Lede.\n\n**" + strings.Repeat("Why it matters ", 1<<16) + ":** Text."},
		{"many unusual labels", "Headline", strings.Repeat("**Wy it matters:** Text.\n\n", 1<<15)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start := time.Now()
			c := CheckBrevity(tt.headline, tt.body)
			// Linear work takes well under a second; quadratic work on 1 MB takes minutes.
			if d := time.Since(start); d > 20*time.Second {
				t.Errorf("took %v", d)
			}
			if len(c.Findings) > 40 {
				t.Errorf("%d findings, want them capped", len(c.Findings))
			}
			for _, f := range c.Findings {
				if len(f.Message) > 200 || !utf8.ValidString(f.Message) {
					t.Errorf("message of %d bytes: %.200q", len(f.Message), f.Message)
				}
			}
		})
	}
	c := CheckBrevity("Headline", long)
	last := c.Findings[len(c.Findings)-2]
	if n := strings.Count(long, "\n\n") - 10; last.Message != fmt.Sprintf("…and %d more long paragraphs.", n) {
		t.Errorf("last paragraph finding = %q, want the rest summed up", last.Message)
	}
}

func TestCheckBrevityHostileDraft(t *testing.T) {
	body := "<script>alert('one two three')</script>\n\nThe lede <img src=x onerror=alert(1)> stands.\n\n" +
		"**Why it matters:** <script>steal()</script> &lt;script&gt; is text.\n\n" +
		"**<b>Locat</b>ion:** x\n\n" + strings.Repeat("é\xff ", 61)
	c := CheckBrevity("<script>alert(1)</script> Headline", body)
	if c.LedeWords != 3 {
		t.Errorf("LedeWords = %d, want 3: raw HTML is not text", c.LedeWords)
	}
	if w := c.Words; w > 3+10+62 {
		t.Errorf("Words = %d: the script was counted", w)
	}
	data, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(data), "<") || strings.Contains(string(data), "onerror") {
		t.Errorf("JSON carries markup: %s", data)
	}
	for _, f := range c.Findings {
		if !utf8.ValidString(f.Message) {
			t.Errorf("message %q is not valid UTF-8", f.Message)
		}
	}
}

// warnings returns the findings at level warning.
func warnings(c BrevityCheck) []BrevityFinding {
	var w []BrevityFinding
	for _, f := range c.Findings {
		if f.Level == BrevityWarning {
			w = append(w, f)
		}
	}
	return w
}

func TestCheckBrevityWarnings(t *testing.T) {
	c := CheckBrevity("A headline with far too many strong words in it today", "One sentence. Then another.")
	w := c.Warnings()
	if len(w) < 3 {
		t.Fatalf("Warnings = %+v", w)
	}
	for _, f := range w {
		if f.Level != BrevityWarning {
			t.Errorf("Warnings holds %+v", f)
		}
	}
	if w[0].Rule != "headline-length" || w[1].Rule != "lede-sentence" {
		t.Errorf("Warnings out of order: %+v", w)
	}
}
