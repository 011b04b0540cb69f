package herald_test

import (
	"testing"

	"github.com/herald-news/herald"
)

func TestPhotoCreditLine(t *testing.T) {
	tests := map[string]string{
		"Jo Lee/The Herald Daily":               "Photo: Jo Lee/The Herald Daily",
		"Illustration: Sofia Lin/Herald":        "Illustration: Sofia Lin/Herald",
		"Chart: Herald research":                "Chart: Herald research",
		"Photo illustration: Ria Moss/Herald":   "Photo illustration: Ria Moss/Herald",
		"Mikhail Petrov/TASS via Getty: Images": "Photo: Mikhail Petrov/TASS via Getty: Images",
		"":                                      "",
	}
	for credit, want := range tests {
		if got := (&herald.Photo{Credit: credit}).CreditLine(); got != want {
			t.Errorf("CreditLine(%q) = %q, want %q", credit, got, want)
		}
	}
}
