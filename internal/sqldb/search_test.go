package sqldb_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/internal/sqldb"
)

// mustSearch runs a search at the fixture's now and fails the test on error.
func (f *fixture) mustSearch(t *testing.T, q string) ([]herald.SearchResult, int) {
	t.Helper()
	results, total, err := sqldb.NewSearchService(f.db).Search(context.Background(), q, f.clock.Now(), 20, 0)
	if err != nil {
		t.Fatalf("search %q: %v", q, err)
	}
	return results, total
}

func resultIDs(results []herald.SearchResult) []int64 {
	var ids []int64
	for _, r := range results {
		ids = append(ids, r.Story.ID)
	}
	return ids
}

func TestSearchFindsBodyWordButNotDraftOnlyWord(t *testing.T) {
	f := mustFixture(t)
	live := f.mustStory(t, "Council backs new bike lanes", time.Hour, func(s *herald.Story) {
		s.Body = "The council voted for a protected network of cycleways.\n\n**Why it matters:** Fewer crashes."
		s.Topics = []*herald.Topic{f.climate}
	})
	f.mustStory(t, "Secret plans", time.Hour, func(s *herald.Story) {
		s.Status, s.PublishedAt = herald.StatusDraft, time.Time{}
		s.Body = "Nobody may read about the zeppelinport yet, nor the cycleways."
	})
	results, total := f.mustSearch(t, "cycleways")
	if total != 1 || len(results) != 1 || results[0].Story.ID != live.ID {
		t.Fatalf("search cycleways = %v (total %d), want only the live story %d", resultIDs(results), total, live.ID)
	}
	got := results[0]
	if got.Story.Section.Slug != "world" || len(got.Story.Authors) != 1 || len(got.Story.Topics) != 1 {
		t.Errorf("result story lacks what a card shows: %+v", got.Story)
	}
	if !strings.Contains(string(got.Snippet), "<mark>cycleways</mark>") {
		t.Errorf("snippet = %q, want the word marked", got.Snippet)
	}
	if results, total := f.mustSearch(t, "zeppelinport"); total != 0 || len(results) != 0 {
		t.Errorf("a word only in a draft found %v", resultIDs(results))
	}
	// Stemming and every word required.
	if _, total := f.mustSearch(t, "Voting council"); total != 1 {
		t.Errorf("stemmed words: total %d, want 1", total)
	}
	if _, total := f.mustSearch(t, "council zeppelinport"); total != 0 {
		t.Errorf("a story missing one of the words: total %d, want 0", total)
	}
	// The last word may be the start of a longer one.
	if _, total := f.mustSearch(t, "protected netw"); total != 1 {
		t.Errorf("prefix of the last word: total %d, want 1", total)
	}
}

func TestSearchRanksHeadlineAboveBody(t *testing.T) {
	f := mustFixture(t)
	inBody := f.mustStory(t, "Transit board meets", 10*time.Minute, func(s *herald.Story) {
		s.Body = "The board discussed the funicular among other things.\n\n**Why it matters:** Hills."
	})
	inHeadline := f.mustStory(t, "Funicular reopens after repairs", 5*time.Hour, nil)
	results, total := f.mustSearch(t, "funicular")
	if ids := resultIDs(results); total != 2 || len(ids) != 2 || ids[0] != inHeadline.ID || ids[1] != inBody.ID {
		t.Fatalf("ranking = %v, want headline match %d before body match %d", ids, inHeadline.ID, inBody.ID)
	}
	if results[0].Rank <= results[1].Rank {
		t.Errorf("ranks %v, %v: want the first higher", results[0].Rank, results[1].Rank)
	}
}

func TestSearchFindsAuthorName(t *testing.T) {
	ctx := context.Background()
	f := mustFixture(t)
	byGuest := f.mustStory(t, "A view from the think tank", time.Hour, func(s *herald.Story) {
		s.Authors = []*herald.Author{f.guest}
	})
	f.mustStory(t, "Staff story", time.Hour, nil)
	results, _ := f.mustSearch(t, "Lee Park")
	if ids := resultIDs(results); len(ids) != 1 || ids[0] != byGuest.ID {
		t.Fatalf("search by author = %v, want %d", ids, byGuest.ID)
	}
	// A renamed author is found by the new name only.
	f.guest.Name = "Lee Parkinson-Wren"
	if err := f.newsroom.SaveAuthor(ctx, f.guest); err != nil {
		t.Fatal(err)
	}
	if _, total := f.mustSearch(t, "Wren"); total != 1 {
		t.Errorf("renamed author: total %d, want 1", total)
	}
	// Changing a story's authors re-indexes it.
	byGuest.Authors = []*herald.Author{f.reporter}
	if err := f.stories.UpdateStory(ctx, byGuest); err != nil {
		t.Fatal(err)
	}
	if _, total := f.mustSearch(t, "Wren"); total != 0 {
		t.Errorf("former author still finds the story: total %d", total)
	}
	if _, total := f.mustSearch(t, "Ruiz"); total != 2 {
		t.Errorf("new author: total %d, want 2", total)
	}
}

func TestSearchFindsScheduledStoryOnlyFromItsTime(t *testing.T) {
	f := mustFixture(t)
	f.mustStory(t, "Embargoed heliport report", -time.Hour, nil)
	if _, total := f.mustSearch(t, "heliport"); total != 0 {
		t.Errorf("scheduled story found before its time")
	}
	f.clock.Advance(time.Hour)
	if _, total := f.mustSearch(t, "heliport"); total != 1 {
		t.Errorf("scheduled story not found at its time")
	}
}

func TestSearchFollowsEditsAndRemovals(t *testing.T) {
	ctx := context.Background()
	f := mustFixture(t)
	st := f.mustStory(t, "Old headline about marmots", time.Hour, func(s *herald.Story) {
		s.Body = "Marmots whistle in the valley.\n\n**Why it matters:** Spring."
	})
	st.Headline = "New headline about ibexes"
	st.Body = "Ibexes climb the dam wall.\n\n**Why it matters:** Balance."
	if err := f.stories.UpdateStory(ctx, st); err != nil {
		t.Fatal(err)
	}
	if _, total := f.mustSearch(t, "marmots"); total != 0 {
		t.Errorf("old words still find the edited story")
	}
	if results, total := f.mustSearch(t, "ibex"); total != 1 || !strings.Contains(string(results[0].Snippet), "<mark>Ibexes</mark>") {
		t.Errorf("new words: total %d, results %+v", total, results)
	}
	if err := f.stories.SetStoryStatus(ctx, st.ID, herald.StatusUnpublished, time.Time{}); err != nil {
		t.Fatal(err)
	}
	if _, total := f.mustSearch(t, "ibexes"); total != 0 {
		t.Errorf("unpublished story still found")
	}
	if _, err := f.db.SQL().ExecContext(ctx, `DELETE FROM stories WHERE id = $1`, st.ID); err != nil {
		t.Fatalf("deleting a story with its index entry: %v", err)
	}
}

func TestSearchRejectsEmptyQuery(t *testing.T) {
	f := mustFixture(t)
	for _, q := range []string{"", "   ", "\t\n"} {
		_, _, err := sqldb.NewSearchService(f.db).Search(context.Background(), q, f.clock.Now(), 20, 0)
		if herald.ErrorCode(err) != herald.EINVALID || herald.ErrorMessage(err) == "" {
			t.Errorf("Search(%q) err = %v, want invalid with a message", q, err)
		}
	}
}

func TestSearchSurvivesHostileQueries(t *testing.T) {
	f := mustFixture(t)
	f.mustStory(t, "Harbour AND the NEAR bridge", time.Hour, func(s *herald.Story) {
		s.Body = "Crews rebuilt the harbour bridge.\n\n**Why it matters:** Trade."
	})
	queries := []string{
		`"`, `'`, `''`, `"harbour`, `harbour"`, `AND`, `OR NOT`, `NOT harbour`, `harbour OR`, `NEAR(a b)`,
		`NEAR(harbour bridge, 2)`, `*`, `harbour*`, `^harbour`, `a:b`, `headline:harbour`, `{headline}: x`,
		`-x`, `-harbour`, `(`, `)`, `()`, `\`, `\'`, `<script>alert(1)</script>`, `&`, `|`, `!`, `<->`,
		`harbour & | !`, `a:*`, `'a' & 'b'`, `%`, `_`, `;DROP TABLE stories;--`, "\x00", "\xff\xfe",
		strings.Repeat("harbour ", 1300), strings.Repeat("x", 10<<10), strings.Repeat(`"(`, 5000),
		"Zürich café naïve", "東京 港", "مرفأ", "🚢⚓", "e\u0301", "\u0301", "\uE000harbour\uE001",
		"the a of", "9-2", "x1 y2",
	}
	for _, q := range queries {
		name := q
		if len(name) > 40 {
			name = name[:40]
		}
		results, total, err := sqldb.NewSearchService(f.db).Search(context.Background(), q, f.clock.Now(), 20, 0)
		if err != nil {
			t.Errorf("Search(%q) = %v, want no error", name, err)
		}
		if total < len(results) {
			t.Errorf("Search(%q): total %d below %d results", name, total, len(results))
		}
	}
	// Operators are words like any other.
	if _, total := f.mustSearch(t, `harbour AND "bridge"`); total != 1 {
		t.Errorf("words around an operator: total %d, want 1", total)
	}
}

func TestSearchSnippetsEscapeEverythingButMarks(t *testing.T) {
	f := mustFixture(t)
	f.mustStory(t, "Markup in a body", time.Hour, func(s *herald.Story) {
		s.Body = "Writers typed <b>bold</b> and <script>alert('walrus')</script> & \"quotes\" near the walrus.\n\n" +
			"**Why it matters:** The [walrus](https://example.com/w) is <i>big</i>. Stray \uE001marks\uE000 walrus."
	})
	results, _ := f.mustSearch(t, "walrus")
	if len(results) != 1 {
		t.Fatalf("%d results, want 1", len(results))
	}
	snippet := string(results[0].Snippet)
	if !strings.Contains(snippet, "<mark>") || !strings.Contains(snippet, "</mark>") {
		t.Errorf("snippet %q has no <mark>", snippet)
	}
	if strings.Contains(strings.NewReplacer("<mark>", "", "</mark>", "").Replace(snippet), "<") {
		t.Errorf("snippet %q has a tag other than <mark>", snippet)
	}
	if strings.Count(snippet, "<mark>") != strings.Count(snippet, "</mark>") {
		t.Errorf("snippet %q has unbalanced marks", snippet)
	}
	if strings.ContainsAny(snippet, "\uE000\uE001") || strings.Contains(snippet, "**") || strings.Contains(snippet, "](") {
		t.Errorf("snippet %q keeps markers or Markdown", snippet)
	}
	// SQLite quotes the markup as text; PostgreSQL's parser leaves tags
	// out. Either way the rest of the text is escaped.
	if !strings.Contains(snippet, "&amp;") || (strings.Contains(snippet, "script>") && !strings.Contains(snippet, "&lt;script&gt;")) {
		t.Errorf("snippet %q: want the text escaped", snippet)
	}
}

func TestSearchPages(t *testing.T) {
	f := mustFixture(t)
	for i := range 5 {
		f.mustStory(t, "Lighthouse story "+string(rune('A'+i)), time.Duration(i+1)*time.Hour, nil)
	}
	search := sqldb.NewSearchService(f.db)
	first, total, err := search.Search(context.Background(), "lighthouse", f.clock.Now(), 2, 0)
	if err != nil || total != 5 || len(first) != 2 {
		t.Fatalf("page 1: %d results of %d, %v", len(first), total, err)
	}
	last, total, err := search.Search(context.Background(), "lighthouse", f.clock.Now(), 2, 4)
	if err != nil || total != 5 || len(last) != 1 {
		t.Fatalf("page 3: %d results of %d, %v", len(last), total, err)
	}
	seen := map[int64]bool{}
	for _, r := range append(first, last...) {
		if seen[r.Story.ID] {
			t.Errorf("story %d on two pages", r.Story.ID)
		}
		seen[r.Story.ID] = true
	}
	if past, total, err := search.Search(context.Background(), "lighthouse", f.clock.Now(), 2, 10); err != nil || total != 5 || len(past) != 0 {
		t.Errorf("past the end: %d results of %d, %v", len(past), total, err)
	}
}
