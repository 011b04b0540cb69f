package storyfile

// keys are the front matter keys, in the order the format documents them.
var keys = []string{"headline", "slug", "kind", "status", "section", "topics", "city", "authors",
	"summary", "photo", "gallery", "published", "updated", "related", "corrections"}

// photoKeys and correctionKeys are the keys of photos and corrections.
var (
	photoKeys      = []string{"file", "url", "alt", "caption", "credit"}
	correctionKeys = []string{"date", "text"}
)

// nearest returns the key that s is most likely a typo of, or "".
func nearest(s string, keys []string) string {
	best, bestDist := "", 3 // at most two edits away
	for _, k := range keys {
		if d := distance(s, k); d < bestDist {
			best, bestDist = k, d
		}
	}
	return best
}

// distance is the Levenshtein distance between a and b.
func distance(a, b string) int {
	prev := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur := make([]int, len(b)+1)
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(b)]
}
