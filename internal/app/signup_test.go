package app_test

import (
	"bytes"
	"context"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/herald-news/herald"
)

func TestSignupConfirmsByEmailWithButton(t *testing.T) {
	t.Parallel()
	h := mustHarness(t)
	a := h.signup("reader@example.com")
	if a.status != 200 || !strings.Contains(a.body, "Thank you for subscribing!") || !strings.Contains(a.body, "confirm") {
		t.Fatalf("signup answered %d: %s", a.status, a.body)
	}
	if got := h.status("reader@example.com", h.am); got != herald.SubPending {
		t.Fatalf("subscription is %q, want pending", got)
	}
	msgs := h.waitInbox(1)
	if msgs[0].To != "reader@example.com" || msgs[0].Subject != "Confirm your subscription to Herald AM" {
		t.Errorf("confirmation = %+v", msgs[0])
	}
	if !strings.Contains(msgs[0].Text, "1 Main St, Springfield") {
		t.Error("confirmation lacks the postal address")
	}
	link := h.linkIn(msgs[0].Text, "/confirm/")
	// A link scanner fetching the URL must not confirm.
	for range 2 {
		if page := h.get(link); page.status != 200 || !strings.Contains(page.body, "Confirm my subscription") {
			t.Fatalf("GET confirm: %d", page.status)
		}
	}
	if got := h.status("reader@example.com", h.am); got != herald.SubPending {
		t.Fatalf("a GET confirmed the subscription (%s)", got)
	}
	if done := h.post(link, nil); done.status != 200 || !strings.Contains(done.body, "You're subscribed") {
		t.Fatalf("POST confirm: %d %s", done.status, done.body)
	}
	if got := h.status("reader@example.com", h.am); got != herald.SubActive {
		t.Errorf("after confirming: %s", got)
	}
	var ip, form, wording string
	err := h.app.DB.SQL().QueryRow(`SELECT ip, form, wording_version FROM consents WHERE action = 'confirm'`).Scan(&ip, &form, &wording)
	if err != nil || ip != "127.0.0.1" || form != "confirm" || wording != herald.ConsentWordingVersion {
		t.Errorf("confirm consent: %q %q %q %v", ip, form, wording, err)
	}
	if err := h.app.DB.SQL().QueryRow(`SELECT ip, form FROM consents WHERE action = 'signup'`).Scan(&ip, &form); err != nil || form != "/" {
		t.Errorf("signup consent: %q %q %v", ip, form, err)
	}
}

func TestSignupAnswersAreIdenticalWhateverTheAddressState(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	h := mustHarness(t)
	h.signup("pending@example.com")
	h.signup("active@example.com")
	h.signup("left@example.com")
	h.signup("erased@example.com")
	for _, email := range []string{"active@example.com", "left@example.com"} {
		sub, _ := h.app.Subscribers.FindSubscriberByEmail(ctx, email)
		if err := h.app.Subscribers.Confirm(ctx, sub.ID, h.am.ID, herald.Consent{}); err != nil {
			t.Fatal(err)
		}
	}
	left, _ := h.app.Subscribers.FindSubscriberByEmail(ctx, "left@example.com")
	if err := h.app.Subscribers.UnsubscribeAll(ctx, left.ID, herald.Consent{}); err != nil {
		t.Fatal(err)
	}
	if err := h.app.Subscribers.Delete(ctx, "erased@example.com"); err != nil {
		t.Fatal(err)
	}
	states := []string{"new@example.com", "pending@example.com", "active@example.com", "left@example.com", "erased@example.com"}
	var pages, jsons []string
	for _, email := range states {
		pages = append(pages, h.signup(email).body)
		a, _ := h.signupJSON(email)
		jsons = append(jsons, a.body)
	}
	for i := range states {
		if pages[i] != pages[0] {
			t.Errorf("page for %s differs from the one for %s:\n%s", states[i], states[0], firstDiff(pages[0], pages[i]))
		}
		if jsons[i] != jsons[0] {
			t.Errorf("JSON for %s = %q, for %s = %q", states[i], jsons[i], states[0], jsons[0])
		}
	}
}

func TestHoneypotGetsSuccessAndStoresNothing(t *testing.T) {
	t.Parallel()
	h := mustHarness(t)
	a := h.post("/subscribe", url.Values{"email": {"bot@example.com"}, "newsletter": {"am"}, "website": {"http://spam.example"}})
	normal := h.signup("human@example.com")
	if a.status != 200 || !strings.Contains(a.body, "Thank you for subscribing!") {
		t.Errorf("honeypot answer %d", a.status)
	}
	if strings.Replace(a.body, "", "", 1) != normal.body {
		t.Error("the honeypot answer differs from a real one")
	}
	if h.status("bot@example.com", h.am) != "" {
		t.Error("honeypot signup stored")
	}
	h.waitInbox(1) // only the human's
}

func TestOneConfirmationPerAddressPerDay(t *testing.T) {
	t.Parallel()
	h := mustHarness(t)
	for range 3 {
		h.signup("twice@example.com")
	}
	h.post("/subscribe", url.Values{"email": {"twice@example.com"}, "newsletter": {"denver"}})
	h.waitInbox(1)
}

func TestPerIPSignupLimit(t *testing.T) {
	t.Parallel()
	h := mustHarness(t, "-signups-per-ip", "3")
	for i := range 3 {
		if a, v := h.signupJSON("r" + string(rune('a'+i)) + "@example.com"); a.status != 200 || v["ok"] != true {
			t.Fatalf("signup %d: %d %v", i, a.status, v)
		}
	}
	a, v := h.signupJSON("over@example.com")
	if a.status != http.StatusTooManyRequests || v["message"] != "Subscription failed" {
		t.Errorf("over the limit: %d %v", a.status, v)
	}
	if h.status("over@example.com", h.am) != "" {
		t.Error("a signup over the limit was stored")
	}
}

func TestStorageFailureAnswersSubscriptionFailed(t *testing.T) {
	t.Parallel()
	h := mustHarness(t)
	if _, err := h.app.DB.SQL().Exec(`DROP TABLE consents`); err != nil {
		t.Fatal(err)
	}
	a, v := h.signupJSON("reader@example.com")
	if a.status != 500 || v["message"] != "Subscription failed" || v["ok"] != false {
		t.Errorf("answer %d %v", a.status, v)
	}
	if h.subscriberCount() != 0 {
		t.Error("a failed signup left a subscriber behind")
	}
}

func TestCrossSiteSignupRefused(t *testing.T) {
	t.Parallel()
	h := mustHarness(t)
	a := h.signup("victim@example.com", "Sec-Fetch-Site", "cross-site", "Origin", "https://evil.example")
	if a.status != http.StatusForbidden || h.subscriberCount() != 0 {
		t.Errorf("cross-site signup: %d, %d stored", a.status, h.subscriberCount())
	}
}

// multipartOneClick is RFC 8058's body as multipart/form-data.
func multipartOneClick(t *testing.T) (string, *bytes.Buffer) {
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	if err := w.WriteField("List-Unsubscribe", "One-Click"); err != nil {
		t.Fatal(err)
	}
	w.Close()
	return w.FormDataContentType(), &body
}

// firstDiff shows where two texts part.
func firstDiff(a, b string) string {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	from := max(i-80, 0)
	return "…" + a[from:min(i+80, len(a))] + "\n---\n…" + b[from:min(i+80, len(b))]
}
