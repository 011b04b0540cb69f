package sqldb

import (
	"context"
	"fmt"
	"html"
	"html/template"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/herald-news/herald"
)

// SearchService implements herald.SearchService with the engine's own
// full-text index: FTS5 on SQLite (search_sqlite.go), tsvector on
// PostgreSQL (search_postgres.go). Triggers in the migrations keep the
// index in step with stories and their authors, whoever writes them.
type SearchService struct {
	db *DB
}

// NewSearchService returns the search service on db.
func NewSearchService(db *DB) *SearchService { return &SearchService{db: db} }

var _ herald.SearchService = (*SearchService)(nil)

// Limits on what one search asks of the index.
const (
	maxSearchWords   = 12
	maxSearchWordLen = 64 // runes; longer "words" are noise, and PostgreSQL refuses very long ones
	maxSearchPage    = 100
)

// Marks around matched words in the engines' snippets: private-use
// characters, which no reader's text means anything by, turned into <mark>
// tags only after everything else is escaped.
const (
	markStart = '\uE000'
	markStop  = '\uE001'
)

// searchQuery is one engine's SQL for a search: count and find both take
// the match expression as $1 and the time as $2; args holds any more.
type searchQuery struct {
	match string
	count string
	find  string
	args  []any
}

// search builds the engine's query for words.
func (d Dialect) search(words []string) searchQuery {
	if d == Postgres {
		return postgresSearch(words)
	}
	return sqliteSearch(words)
}

// Search returns the live stories that contain every word of q, best first.
func (s *SearchService) Search(ctx context.Context, q string, now time.Time, limit, offset int) ([]herald.SearchResult, int, error) {
	if strings.TrimSpace(q) == "" {
		return nil, 0, herald.Errorf(herald.EINVALID, "Please type a word or two to search for.")
	}
	words := searchWords(q)
	if len(words) == 0 {
		return nil, 0, nil // only punctuation: nothing can match
	}
	if limit <= 0 || limit > maxSearchPage {
		limit = 20
	}
	offset = max(offset, 0)
	sq := s.db.dialect.search(words)
	args := append([]any{sq.match, utc(now)}, sq.args...)
	var total int
	if err := s.db.db.QueryRowContext(ctx, sq.count, args[:2]...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("sqldb: count search results: %w", err)
	}
	if offset >= total {
		return nil, total, nil
	}
	query := sq.find + fmt.Sprintf(` LIMIT %d OFFSET %d`, limit, offset)
	results, err := queryAll(ctx, s.db.db, query, scanSearchResult, args...)
	if err != nil {
		return nil, 0, fmt.Errorf("sqldb: search: %w", err)
	}
	stories := make([]*herald.Story, len(results))
	for i, r := range results {
		stories[i] = r.Story
	}
	if err := (&StoryService{db: s.db}).loadCardDetails(ctx, stories); err != nil {
		return nil, 0, err
	}
	return results, total, nil
}

// scanSearchResult scans a story row followed by its rank and raw snippet.
func scanSearchResult(r rowScanner) (herald.SearchResult, error) {
	var res herald.SearchResult
	var snippet string
	st, err := scanStory(suffixScanner{r, []any{&res.Rank, &snippet}})
	if err != nil {
		return res, err
	}
	res.Story, res.Snippet = st, highlight(ellipsise(tidySnippet(snippet), st.Body))
	return res, nil
}

// suffixScanner scans the columns of dest, then trailing columns into rest.
type suffixScanner struct {
	r    rowScanner
	rest []any
}

func (s suffixScanner) Scan(dest ...any) error {
	return s.r.Scan(append(dest, s.rest...)...)
}

// searchWords splits a reader's query into words: runs of letters, digits
// and combining marks. Everything else separates words, so no character of
// the query reaches an engine's query syntax; the dialects still quote
// each word. Words too long to be real are dropped, and only the first
// maxSearchWords are kept.
func searchWords(q string) []string {
	q = strings.ToValidUTF8(q, " ")
	if utf8.RuneCountInString(q) > herald.MaxSearchQuery {
		q = string([]rune(q)[:herald.MaxSearchQuery])
	}
	fields := strings.FieldsFunc(q, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && !unicode.Is(unicode.M, r)
	})
	var words []string
	for _, w := range fields {
		if utf8.RuneCountInString(w) > maxSearchWordLen || !strings.ContainsFunc(w, isLetterOrDigit) {
			continue
		}
		words = append(words, strings.ToLower(w))
		if len(words) == maxSearchWords {
			break
		}
	}
	return words
}

func isLetterOrDigit(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// prefixWord reports whether the last word of a query also matches as the
// start of longer words ("budg" finds "budget"): only when it is long
// enough not to match half the dictionary.
func prefixWord(w string) bool { return utf8.RuneCountInString(w) >= 3 }

// highlight turns an engine's snippet, with matched words between
// markStart and markStop, into HTML: the text escaped, the marks turned
// into balanced <mark> tags, and nothing else.
func highlight(raw string) template.HTML {
	raw = strings.ToValidUTF8(raw, "")
	var b strings.Builder
	open := false
	for raw != "" {
		i := strings.IndexFunc(raw, func(r rune) bool { return r == markStart || r == markStop })
		if i < 0 {
			b.WriteString(html.EscapeString(raw))
			break
		}
		b.WriteString(html.EscapeString(raw[:i]))
		r, size := utf8.DecodeRuneInString(raw[i:])
		switch {
		case r == markStart && !open:
			b.WriteString("<mark>")
			open = true
		case r == markStop && open:
			b.WriteString("</mark>")
			open = false
		}
		raw = raw[i+size:]
	}
	if open {
		b.WriteString("</mark>")
	}
	return template.HTML(b.String())
}

// ellipsis stands for the text of a body left out of a snippet.
const ellipsis = "…"

// ellipsise puts an ellipsis at each end of a tidied snippet that is not
// an end of the body, where the engine did not put one itself (SQLite
// does, PostgreSQL does not). Ends are compared by their letters and
// digits, as PostgreSQL drops tags and both drop punctuation.
func ellipsise(snippet, body string) string {
	plain := strings.Map(func(r rune) rune {
		if r == markStart || r == markStop {
			return -1
		}
		return r
	}, snippet)
	if plain == "" {
		return snippet
	}
	a, b := []rune(alphanumeric(plain)), []rune(alphanumeric(body))
	const n = 24 // enough letters to tell where in the body a passage is
	if !strings.HasPrefix(plain, ellipsis) && !slices.Equal(a[:min(len(a), n)], b[:min(len(b), n)]) {
		snippet = ellipsis + snippet
	}
	if !strings.HasSuffix(plain, ellipsis) && !slices.Equal(a[max(0, len(a)-n):], b[max(0, len(b)-n):]) {
		snippet += ellipsis
	}
	return snippet
}

// htmlTag is an HTML tag in a body, which PostgreSQL leaves out of its
// snippets.
var htmlTag = regexp.MustCompile(`<[^<>]*>`)

// alphanumeric is the letters and digits of s outside tags and link
// targets: what survives whichever way an engine cut and tidied it.
func alphanumeric(s string) string {
	s = htmlTag.ReplaceAllString(markdownLink.ReplaceAllString(s, "$1"), "")
	return strings.Map(func(r rune) rune {
		if isLetterOrDigit(r) {
			return r
		}
		return -1
	}, s)
}

// markdownLink is a Markdown link, whose text alone belongs in a snippet.
var markdownLink = regexp.MustCompile(`\[([^\]\n]*)\]\([^)\s]*\)`)

// tidySnippet takes the Markdown out of a passage of a story body, as far
// as a one-line snippet needs: emphasis, link targets, list and quote
// markers, line breaks.
func tidySnippet(s string) string {
	s = markdownLink.ReplaceAllString(s, "$1")
	s = strings.ReplaceAll(s, "**", "")
	lines := strings.Split(s, "\n")
	for i, line := range lines {
		line = strings.TrimSpace(line)
		for _, marker := range []string{"#", ">", "- ", "* ", "+ "} {
			for strings.HasPrefix(line, marker) {
				line = strings.TrimSpace(strings.TrimPrefix(line, marker))
			}
		}
		lines[i] = line
	}
	return strings.Join(strings.Fields(strings.Join(lines, " ")), " ")
}
