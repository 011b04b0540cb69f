package app_test

import (
	"net/url"
	"strings"
	"testing"
)

// A signup for a newsletter that does not exist is the reader's mistake:
// 400 with words they can act on, nothing stored.
func TestSignupForAnUnknownNewsletterIsRefusedPlainly(t *testing.T) {
	h := mustHarness(t)
	before := h.subscriberCount()
	a := h.post("/subscribe", url.Values{"email": {"reader@example.com"}, "newsletter": {"no-such-letter"}, "page": {"/"}})
	if a.status != 400 || !strings.Contains(a.body, "That newsletter does not exist") {
		t.Errorf("unknown newsletter: %d %q", a.status, snippet(a.body))
	}
	if h.subscriberCount() != before {
		t.Error("a signup for no newsletter stored a subscriber")
	}
}

// Browsers are told to stay on https when the site is served over it,
// and only then.
func TestHSTSOnlyWithAnHTTPSBaseURL(t *testing.T) {
	if got := mustHarness(t, "-base-url", "https://news.example").get("/").header.Get("Strict-Transport-Security"); !strings.HasPrefix(got, "max-age=31536000") {
		t.Errorf("https base URL: Strict-Transport-Security %q", got)
	}
	if got := mustHarness(t).get("/").header.Get("Strict-Transport-Security"); got != "" {
		t.Errorf("http base URL: Strict-Transport-Security %q", got)
	}
}
