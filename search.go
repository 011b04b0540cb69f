package herald

import (
	"context"
	"html/template"
	"time"
)

// MaxSearchQuery caps what a reader's search may say, in characters; the
// rest is cut.
const MaxSearchQuery = 200

// SearchResult is one story found by a search.
type SearchResult struct {
	Story *Story
	// Snippet is a passage of the story with the matched words in <mark>
	// tags; everything else in it is escaped text.
	Snippet template.HTML
	// Rank orders results: higher is a better match. It compares results of
	// one search only.
	Rank float64
}

// SearchService finds live stories by the words of their headline, body
// and authors' names.
type SearchService interface {
	// Search returns the stories live at now that contain every word of q
	// (the last word may be the start of one), best match first, and how
	// many match in all. q is plain words as a reader typed them; no
	// character in it has a special meaning. Returns EINVALID when q has no
	// text at all.
	Search(ctx context.Context, q string, now time.Time, limit, offset int) ([]SearchResult, int, error)
}
