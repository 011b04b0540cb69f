package sqldb

import (
	"fmt"
	"strings"
)

// sqliteSearch queries the FTS5 table story_search (migration 00004),
// whose rowid is the story's id. bm25 weighs a word in the headline ten
// times one in the body, and an author's name four times; SQLite's bm25 is
// lower for better matches, so its negation is the rank. The snippet comes
// from the body, with matches between the private-use marks.
func sqliteSearch(words []string) searchQuery {
	live := fmt.Sprintf(liveCondition, 2)
	const bm25 = `bm25(story_search, 10.0, 1.0, 4.0)`
	return searchQuery{
		match: fts5Match(words),
		count: `SELECT COUNT(*) FROM story_search JOIN stories s ON s.id = story_search.rowid
			WHERE story_search MATCH $1 AND ` + live,
		find: `SELECT ` + storyColumns + `, -` + bm25 + `,
			snippet(story_search, 1, char(57344), char(57345), '…', 32)` + storyFrom + `
			JOIN story_search ON story_search.rowid = s.id
			WHERE story_search MATCH $1 AND ` + live + `
			ORDER BY ` + bm25 + `, s.published_at DESC, s.id DESC`,
	}
}

// fts5Match is an FTS5 query that needs every word: each one a quoted
// string, so FTS5 reads none of it as syntax (AND, NEAR, column filters,
// *), and the last one also as a prefix.
func fts5Match(words []string) string {
	terms := make([]string, len(words))
	for i, w := range words {
		terms[i] = `"` + strings.ReplaceAll(w, `"`, `""`) + `"`
	}
	if last := words[len(words)-1]; prefixWord(last) {
		terms[len(terms)-1] += "*"
	}
	return strings.Join(terms, " ")
}
