package app_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestBadAddressesAreRefusedAndStoreNothing(t *testing.T) {
	t.Parallel()
	h := mustHarness(t)
	bad := []string{
		"", "   ", "plainaddress", "a@b", "@example.com", "ann@", "ann@@example.com", "ann@exa mple.com",
		"ann smith@example.com", "Ann <ann@example.com>", "<ann@example.com>",
		"ann@example.com\r\nBcc: victim@example.org", "ann@example.com\nX-Evil: 1", "ann\x00@example.com",
		"user@-bad-.com", "user@bad-.com", "user@.example.com", "user@example..com", ".ann@example.com",
		"ann.@example.com", "an..n@example.com", strings.Repeat("a", 290) + "@example.com",
		strings.Repeat("b", 65) + "@example.com", "ann@[127.0.0.1]", "ann@1.2.3.4", "ann@localhost",
		`"quoted"@example.com`, "ann(comment)@example.com", "ann@exam_ple.com", "ann@xn--.com",
		"javascript:alert(1)@example.com", "<script>@example.com",
	}
	for _, email := range bad {
		a, v := h.signupJSON(email)
		if a.status != http.StatusBadRequest || v["message"] != "Please enter a valid email." {
			t.Errorf("%q: %d %v", email, a.status, v)
		}
		page := h.signup(email)
		if page.status != http.StatusBadRequest || !strings.Contains(page.body, "Please enter a valid email.") {
			t.Errorf("%q without JavaScript: %d", email, page.status)
		}
	}
	// A 1 MB body is refused the same way, without reading it all.
	huge := h.post("/subscribe", url.Values{"email": {strings.Repeat("x", 1<<20) + "@example.com"}, "newsletter": {"am"}},
		"Accept", "application/json")
	if huge.status != http.StatusBadRequest || !strings.Contains(huge.body, "Please enter a valid email.") {
		t.Errorf("1 MB body: %d %q", huge.status, huge.body)
	}
	if n := h.subscriberCount(); n != 0 {
		t.Errorf("%d subscribers stored from bad addresses", n)
	}
}

func TestValidOddAddressesAreAccepted(t *testing.T) {
	t.Parallel()
	h := mustHarness(t)
	for _, email := range []string{"ann+news@example.com", "anna@bücher.de", "josé@example.com", "用户@例子.广告", "o'brien@example.ie"} {
		if a, v := h.signupJSON(email); a.status != 200 || v["ok"] != true {
			t.Errorf("%q: %d %v", email, a.status, v)
		}
	}
	if h.status("anna@bücher.de", h.am) != "pending" {
		t.Error("IDN address not stored")
	}
	var utf8 bool
	if err := h.app.DB.SQL().QueryRow(`SELECT utf8_local FROM subscribers WHERE email = $1`, "josé@example.com").Scan(&utf8); err != nil || !utf8 {
		t.Errorf("Unicode local part not marked for SMTPUTF8: %v %v", utf8, err)
	}
}

// A signup for a newsletter that does not exist (a stale form, a typed
// URL) is the reader's mistake: 400 with words they can act on, from the
// script and the plain form alike, and nothing stored.
func TestUnknownNewsletterIsRefusedPlainly(t *testing.T) {
	t.Parallel()
	h := mustHarness(t)
	for _, accept := range []string{"application/json", "text/html"} {
		a := h.post("/subscribe", url.Values{"email": {"ann@example.com"}, "newsletter": {"nope"}, "page": {"/"}}, "Accept", accept)
		if a.status != 400 || !strings.Contains(a.body, "That newsletter does not exist") || h.subscriberCount() != 0 {
			t.Errorf("unknown newsletter (%s): %d %s", accept, a.status, snippet(a.body))
		}
	}
}
