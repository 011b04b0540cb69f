package herald_test

import (
	"strings"
	"testing"

	"github.com/herald-news/herald"
)

func TestSlugify(t *testing.T) {
	tests := map[string]string{
		"Denver approves a 40-mile bike network": "denver-approves-a-40-mile-bike-network",
		"  What's next?  ":                       "whats-next",
		"Café — crème":                           "cafe-creme",
		"<script>alert(1)</script>":              "script-alert-1-script",
		"":                                       "",
	}
	for in, want := range tests {
		if got := herald.Slugify(in); got != want {
			t.Errorf("Slugify(%q) = %q, want %q", in, got, want)
		}
	}
	long := herald.Slugify(strings.Repeat("word ", 40))
	if len(long) > 80 || strings.HasSuffix(long, "-") {
		t.Errorf("long slug %q: len %d", long, len(long))
	}
	if herald.ValidSlug("Bad Slug") || !herald.ValidSlug("good-slug") {
		t.Error("ValidSlug wrong")
	}
}
