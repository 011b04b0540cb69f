package app_test

import (
	"strings"
	"testing"
)

// Browsers are told to stay on https when the site is served over it,
// and only then.
func TestHSTSOnlyWithAnHTTPSBaseURL(t *testing.T) {
	t.Parallel()
	if got := mustHarness(t, "-base-url", "https://news.example").get("/").header.Get("Strict-Transport-Security"); !strings.HasPrefix(got, "max-age=31536000") {
		t.Errorf("https base URL: Strict-Transport-Security %q", got)
	}
	if got := mustHarness(t).get("/").header.Get("Strict-Transport-Security"); got != "" {
		t.Errorf("http base URL: Strict-Transport-Security %q", got)
	}
}
