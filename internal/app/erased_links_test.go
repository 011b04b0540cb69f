package app_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/internal/sqldb"
)

// An erased reader's links name no one: not a new reader who signs up
// next (ids are never reused), and not one who holds the same id (as rows
// written before ids stopped being reused, or copied, may): the link key
// the links carry died with the erased reader.
func TestErasedReadersLinksActOnNoOne(t *testing.T) {
	t.Parallel()
	h := mustHarness(t)
	before := len(h.inbox())
	h.signup("gone@example.com")
	confirmMail := h.waitInbox(before + 1)
	old := mustSubscriber(t, h, "gone@example.com")
	if old.LinkKey == "" {
		t.Fatal("a new reader has no link key")
	}
	links := map[string]string{
		"confirm":     strings.TrimPrefix(h.linkIn(confirmMail[len(confirmMail)-1].Text, "/confirm/"), h.srv.URL),
		"unsubscribe": strings.TrimPrefix(h.app.Subscribe.UnsubscribeURL(old.ID, old.LinkKey, h.am.ID), h.srv.URL),
		"preferences": strings.TrimPrefix(h.app.Subscribe.PreferencesURL(old.ID, old.LinkKey, h.am.ID), h.srv.URL),
	}
	if err := h.app.Subscribers.Delete(t.Context(), "gone@example.com"); err != nil {
		t.Fatal(err)
	}

	next := h.mustSignupPending(t, "next@example.com")
	if next.ID == old.ID {
		t.Fatalf("the next signup got the erased reader's id %d", old.ID)
	}
	// The same id held by someone else: the link key still tells them apart.
	override := "" // PostgreSQL's identity columns take an id only when told to
	if h.app.DB.Dialect() == sqldb.Postgres {
		override = "OVERRIDING SYSTEM VALUE"
	}
	if _, err := h.app.DB.SQL().ExecContext(t.Context(), `INSERT INTO subscribers (id, email, email_key, created_at) `+override+`
		VALUES ($1, 'same@example.com', 'same@example.com', CURRENT_TIMESTAMP)`, old.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := h.app.DB.SQL().ExecContext(t.Context(), `INSERT INTO subscriptions (subscriber_id, newsletter_id, status, created_at, updated_at)
		VALUES ($1, $2, 'pending', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)`, old.ID, h.am.ID); err != nil {
		t.Fatal(err)
	}

	for name, link := range links {
		if a := h.get(link); a.status != 400 || !strings.Contains(a.body, "no longer valid") || strings.Contains(a.body, "same@example.com") {
			t.Errorf("GET old %s link: %d %q", name, a.status, snippet(a.body))
		}
		form := url.Values{"List-Unsubscribe": {"One-Click"}, "newsletter": {"am", "pm", "denver"}, "unsubscribe_all": {"1"}}
		if a := h.post(link, form); a.status != 400 {
			t.Errorf("POST old %s link: %d %q", name, a.status, snippet(a.body))
		}
	}
	for _, email := range []string{"same@example.com", "next@example.com"} {
		if got := h.status(email, h.am); got != herald.SubPending {
			t.Errorf("%s: AM is %q after the old links, want pending", email, got)
		}
		if got := h.status(email, h.den); got != "" {
			t.Errorf("%s: subscribed to Denver by an old link (%q)", email, got)
		}
	}
}

// mustSignupPending signs email up for the AM and waits for its mail.
func (h *harness) mustSignupPending(t *testing.T, email string) *herald.Subscriber {
	t.Helper()
	before := len(h.inbox())
	h.signup(email)
	h.waitInbox(before + 1)
	return mustSubscriber(t, h, email)
}

func snippet(s string) string {
	if len(s) > 200 {
		return s[:200]
	}
	return s
}
