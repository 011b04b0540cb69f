package app_test

import (
	"strings"
	"testing"

	"github.com/herald-news/herald"
)

func TestNewsletterPagesAndBoxes(t *testing.T) {
	t.Parallel()
	h := mustHarness(t)
	list := h.get("/newsletters")
	for _, want := range []string{"Herald AM", "The morning news in five minutes.", "Weekdays at 6:00 AM ET", "Curated by Ed Ito", "Herald Denver"} {
		if !strings.Contains(list.body, want) {
			t.Errorf("/newsletters lacks %q", want)
		}
	}
	page := h.get("/newsletters/am")
	if page.status != 200 || !strings.Contains(page.body, `name="newsletter" value="am"`) || !strings.Contains(page.body, "Past editions") {
		t.Errorf("/newsletters/am: %d", page.status)
	}
	if h.get("/newsletters/nope").status != 404 {
		t.Error("unknown newsletter page not 404")
	}
	boxes := map[string]string{"/": "Sign up for our daily briefing", "/local/denver": "Denver news in your inbox", "/sections/world": "Sign up for our daily briefing"}
	for path, title := range boxes {
		a := h.get(path)
		if !strings.Contains(a.body, `class="signup-title">`+title+`</h2>`) {
			t.Errorf("%s: no %q box", path, title)
		}
		// The live regions are in the page from the start, for screen readers.
		if !strings.Contains(a.body, `class="signup-status" role="status"`) || !strings.Contains(a.body, `class="signup-error" role="alert"`) {
			t.Errorf("%s: live regions missing", path)
		}
	}
}

func TestDevInboxShowsConfirmation(t *testing.T) {
	t.Parallel()
	h := mustHarness(t)
	h.signup("reader@example.com")
	h.waitInbox(1)
	list := h.signIn(herald.RoleEditor).get("/dev/inbox/")
	if list.status != 200 || !strings.Contains(list.body, "Confirm your subscription to Herald AM") {
		t.Errorf("/dev/inbox/: %d", list.status)
	}
}
