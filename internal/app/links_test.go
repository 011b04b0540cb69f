package app_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/herald-news/herald"
)

// mustActive signs email up for AM and confirms it through the email.
func (h *harness) mustActive(email string) {
	h.t.Helper()
	before := len(h.inbox()) // counted before the signup: its mail may come at once
	h.signup(email)
	msgs := h.waitInbox(before + 1)
	if a := h.post(h.linkIn(msgs[0].Text, "/confirm/"), nil); a.status != 200 {
		h.t.Fatalf("confirm: %d", a.status)
	}
}

func TestOneClickUnsubscribe(t *testing.T) {
	t.Parallel()
	h := mustHarness(t)
	h.mustActive("reader@example.com")
	sub := mustSubscriber(t, h, "reader@example.com")
	link := strings.TrimPrefix(h.app.Subscribe.UnsubscribeURL(sub.ID, sub.LinkKey, h.am.ID), h.srv.URL)

	if a := h.get(link); a.status != 200 || h.status("reader@example.com", h.am) != herald.SubActive {
		t.Fatalf("GET unsubscribe changed something: %d", a.status)
	}
	// Urlencoded, no cookie, from a mail provider's server, twice.
	for range 2 {
		a := h.post(link, url.Values{"List-Unsubscribe": {"One-Click"}}, "Origin", "https://mail.example")
		if a.status != 200 || a.header.Get("Location") != "" || a.header.Get("Set-Cookie") != "" {
			t.Errorf("one-click: %d location %q", a.status, a.header.Get("Location"))
		}
	}
	if got := h.status("reader@example.com", h.am); got != herald.SubUnsubscribed {
		t.Errorf("after one-click: %s", got)
	}
	// Multipart works too, and a unsubscribed reader's link stays harmless.
	ctype, body := multipartOneClick(t)
	req, _ := http.NewRequest("POST", h.srv.URL+link, body)
	req.Header.Set("Content-Type", ctype)
	if a := h.do(req); a.status != 200 || a.header.Get("Location") != "" {
		t.Errorf("multipart one-click: %d", a.status)
	}
}

func TestTamperedTokensChangeNothing(t *testing.T) {
	t.Parallel()
	h := mustHarness(t)
	h.mustActive("reader@example.com")
	sub := mustSubscriber(t, h, "reader@example.com")
	links := map[string]string{
		"/unsubscribe/": h.app.Subscribe.UnsubscribeURL(sub.ID, sub.LinkKey, h.am.ID),
		"/preferences/": h.app.Subscribe.PreferencesURL(sub.ID, sub.LinkKey, h.am.ID),
		"/confirm/":     h.app.Subscribe.ConfirmURL(sub, h.den.ID),
	}
	for prefix, link := range links {
		tok := strings.TrimPrefix(link, h.srv.URL+prefix)
		for _, bad := range []string{tok[:len(tok)-2] + "xx", "x" + tok[1:], "nonsense", strings.Repeat("A", 400)} {
			for _, method := range []string{"GET", "POST"} {
				var a answer
				if method == "GET" {
					a = h.get(prefix + bad)
				} else {
					a = h.post(prefix+bad, url.Values{"List-Unsubscribe": {"One-Click"}, "unsubscribe_all": {"1"}})
				}
				if a.status < 400 || a.status > 499 {
					t.Errorf("%s %s%s… = %d, want 4xx", method, prefix, bad[:8], a.status)
				}
			}
		}
		// A token for one purpose does not work for another.
		other := "/confirm/"
		if prefix == "/confirm/" {
			other = "/unsubscribe/"
		}
		if a := h.post(other+tok, url.Values{"List-Unsubscribe": {"One-Click"}}); a.status != 400 {
			t.Errorf("%s token used at %s: %d", prefix, other, a.status)
		}
	}
	if h.status("reader@example.com", h.am) != herald.SubActive || h.status("reader@example.com", h.den) != "" {
		t.Error("a tampered token changed a subscription")
	}
}

func TestPreferencesPage(t *testing.T) {
	t.Parallel()
	h := mustHarness(t)
	h.mustActive("reader@example.com")
	sub := mustSubscriber(t, h, "reader@example.com")
	link := strings.TrimPrefix(h.app.Subscribe.PreferencesURL(sub.ID, sub.LinkKey, h.am.ID), h.srv.URL)
	page := h.get(link)
	if page.status != 200 || !strings.Contains(page.body, `value="am" checked`) || strings.Contains(page.body, `value="denver" checked`) {
		t.Fatalf("preferences page: %d", page.status)
	}
	if page.header.Get("Referrer-Policy") != "no-referrer" || !strings.Contains(page.body, `content="noindex"`) {
		t.Error("a token page may leak its URL")
	}
	// Tick Denver, untick AM: a confirmed reader needs no new email.
	if a := h.post(link, url.Values{"newsletter": {"denver"}}); a.status != http.StatusSeeOther {
		t.Fatalf("save: %d", a.status)
	}
	if h.status("reader@example.com", h.den) != herald.SubActive || h.status("reader@example.com", h.am) != herald.SubUnsubscribed {
		t.Errorf("after saving: den %s am %s", h.status("reader@example.com", h.den), h.status("reader@example.com", h.am))
	}
	if a := h.post(link, url.Values{"newsletter": {"am", "denver"}, "unsubscribe_all": {"1"}}); a.status != http.StatusSeeOther {
		t.Fatalf("unsubscribe all: %d", a.status)
	}
	if h.status("reader@example.com", h.den) != herald.SubUnsubscribed {
		t.Error("unsubscribe from everything left Denver on")
	}
}

func mustSubscriber(t *testing.T, h *harness, email string) *herald.Subscriber {
	t.Helper()
	sub, err := h.app.Subscribers.FindSubscriberByEmail(t.Context(), email)
	if err != nil {
		t.Fatal(err)
	}
	return sub
}
