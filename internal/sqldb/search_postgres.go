package sqldb

import (
	"fmt"
	"strings"
)

// postgresHeadline tells ts_headline how to cut the snippet: up to two
// passages of the body, matches between the private-use marks.
const postgresHeadline = "StartSel=\"\uE000\", StopSel=\"\uE001\", MaxFragments=2, MaxWords=30, MinWords=12, " +
	"ShortWord=2, FragmentDelimiter=\" … \""

// postgresSearch queries the tsvector in story_search (migration 00004):
// the headline weighs A, the authors B, the body C, with the english
// configuration. The tsquery is built from the words here rather than from
// the reader's text, so nothing they type is read as tsquery syntax.
func postgresSearch(words []string) searchQuery {
	live := fmt.Sprintf(liveCondition, 2)
	return searchQuery{
		match: tsQuery(words),
		count: `SELECT COUNT(*) FROM stories s JOIN story_search ss ON ss.story_id = s.id
			WHERE ss.document @@ to_tsquery('english', $1) AND ` + live,
		find: `SELECT ` + storyColumns + `, ts_rank_cd(ss.document, q)::float8 AS rank,
			ts_headline('english', s.body, q, $3)` + storyFrom + `
			JOIN story_search ss ON ss.story_id = s.id
			CROSS JOIN to_tsquery('english', $1) q
			WHERE ss.document @@ q AND ` + live + `
			ORDER BY rank DESC, s.published_at DESC, s.id DESC`,
		args: []any{postgresHeadline},
	}
}

// tsQuery is a tsquery that needs every word, each a quoted lexeme, the
// last one also as a prefix. Words hold only letters, digits and marks
// (searchWords), so the quoting is belt and braces.
func tsQuery(words []string) string {
	terms := make([]string, len(words))
	for i, w := range words {
		w = strings.ReplaceAll(strings.ReplaceAll(w, `\`, `\\`), `'`, `''`)
		terms[i] = "'" + w + "'"
	}
	if last := words[len(words)-1]; prefixWord(last) {
		terms[len(terms)-1] += ":*"
	}
	return strings.Join(terms, " & ")
}
