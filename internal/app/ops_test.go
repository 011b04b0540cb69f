package app_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/herald-news/herald"
)

// mustInboxMessage signs a reader up and returns the path of their
// confirmation in the development inbox.
func (h *harness) mustInboxMessage() string {
	h.t.Helper()
	h.signup("reader@example.com")
	h.waitInbox(1)
	msgs, err := h.app.Inbox.Messages(context.Background(), 1)
	if err != nil || len(msgs) != 1 {
		h.t.Fatalf("inbox: %v %v", msgs, err)
	}
	return fmt.Sprintf("/dev/inbox/%d", msgs[0].ID)
}

// The development inbox holds every reader's confirmation link, and
// /metrics the newsroom's bounce rates: neither answers a stranger, and a
// stranger's POST clears nothing.
func TestDevInboxAndMetricsRefuseAnonymous(t *testing.T) {
	t.Parallel()
	h := mustHarness(t)
	msg := h.mustInboxMessage()
	anon := h.browser()
	for _, path := range []string{"/dev/inbox/", msg, msg + "/raw", "/dev/inbox/latest.json", "/dev/inbox/style.css"} {
		a := anon.get(path)
		if want := "/admin/sign-in?next=" + url.QueryEscape(path); a.status != http.StatusSeeOther || a.header.Get("Location") != want {
			t.Errorf("GET %s: %d to %q, want 303 to %s", path, a.status, a.header.Get("Location"), want)
		}
		if strings.Contains(a.body, "/confirm/") || strings.Contains(a.body, "reader@example.com") {
			t.Errorf("GET %s showed the message to a stranger", path)
		}
	}
	if a := anon.get("/dev/inbox"); a.status != http.StatusMovedPermanently || a.header.Get("Location") != "/dev/inbox/" {
		t.Errorf("GET /dev/inbox: %d to %q", a.status, a.header.Get("Location"))
	}
	if a := anon.post("/dev/inbox/clear", url.Values{}); a.status != http.StatusUnauthorized {
		t.Errorf("POST /dev/inbox/clear: %d, want 401", a.status)
	}
	if n := len(h.inbox()); n != 1 {
		t.Errorf("a stranger's POST left %d messages, want 1", n)
	}
	a := anon.get("/metrics")
	if a.status != http.StatusUnauthorized || !strings.Contains(a.body, "Metrics are for the newsroom's operators") ||
		strings.Contains(a.body, "herald_") {
		t.Errorf("GET /metrics: %d %q, want 401 and a sentence", a.status, a.body)
	}
}

var inboxCSRF = regexp.MustCompile(`<input type="hidden" name="csrf" value="([^"]+)">`)

// Editors and admins read the development inbox, as they read the admin's;
// a writer may not. Clearing it takes the session's form token.
func TestDevInboxIsForEditorsWithTheFormToken(t *testing.T) {
	t.Parallel()
	h := mustHarness(t)
	msg := h.mustInboxMessage()

	// Signing in from the inbox's redirect comes back to it.
	anon := h.browser()
	email := "editor@newsroom.example"
	h.signIn(herald.RoleEditor) // creates the account
	a := anon.post("/admin/sign-in", url.Values{"email": {email}, "password": {staffPassword}, "next": {msg}})
	if a.status != http.StatusSeeOther || a.header.Get("Location") != msg {
		t.Errorf("sign-in from the inbox: %d to %q, want %s", a.status, a.header.Get("Location"), msg)
	}

	if a := h.signIn(herald.RoleWriter).get("/dev/inbox/"); a.status != http.StatusForbidden || strings.Contains(a.body, "reader@example.com") {
		t.Errorf("a writer's GET /dev/inbox/: %d, want 403", a.status)
	}
	for _, role := range []herald.Role{herald.RoleEditor, herald.RoleAdmin} {
		b := anon
		if role == herald.RoleAdmin {
			b = h.signIn(role)
		}
		if a := b.get(msg); a.status != 200 || !strings.Contains(a.body, "/confirm/") {
			t.Errorf("%s: GET %s: %d", role, msg, a.status)
		}
		if a := b.get("/dev/inbox/latest.json"); a.status != 200 || !strings.Contains(a.body, "/confirm/") {
			t.Errorf("%s: GET latest.json: %d", role, a.status)
		}
	}

	list := anon.get("/dev/inbox/")
	m := inboxCSRF.FindStringSubmatch(list.body)
	if list.status != 200 || !strings.Contains(list.body, "Confirm your subscription to Herald AM") || m == nil {
		t.Fatalf("an editor's GET /dev/inbox/: %d, token found: %v", list.status, m != nil)
	}
	for _, form := range []url.Values{{}, {"csrf": {"forged"}}} {
		if a := anon.post("/dev/inbox/clear", form); a.status != http.StatusForbidden {
			t.Errorf("clear with csrf %q: %d, want 403", form.Get("csrf"), a.status)
		}
	}
	if n := len(h.inbox()); n != 1 {
		t.Fatalf("a POST without the token left %d messages, want 1", n)
	}
	if a := anon.post("/dev/inbox/clear", url.Values{"csrf": {m[1]}}); a.status != http.StatusSeeOther || a.header.Get("Location") != "./" {
		t.Errorf("clear with the token: %d to %q", a.status, a.header.Get("Location"))
	}
	if n := len(h.inbox()); n != 0 {
		t.Errorf("clear left %d messages", n)
	}
	// Signing out in the admin closes the inbox too.
	if a := anon.post("/admin/sign-out", url.Values{"csrf": {m[1]}}); a.status != http.StatusSeeOther {
		t.Fatalf("sign out: %d", a.status)
	}
	if a := anon.get("/dev/inbox/"); a.status != http.StatusSeeOther {
		t.Errorf("GET /dev/inbox/ after signing out: %d, want 303", a.status)
	}
}

// /metrics on the site: an admin's session or the metrics token; an
// editor's session or a wrong token is refused.
func TestMetricsForAdminsAndTheToken(t *testing.T) {
	t.Parallel()
	h := mustHarness(t)
	if a := h.signIn(herald.RoleAdmin).get("/metrics"); a.status != 200 || !strings.Contains(a.body, "herald_editions_blocked_total 0") {
		t.Errorf("an admin's GET /metrics: %d", a.status)
	}
	if a := h.signIn(herald.RoleEditor).get("/metrics"); a.status != http.StatusUnauthorized {
		t.Errorf("an editor's GET /metrics: %d, want 401", a.status)
	}
	if !strings.Contains(h.metrics(), `herald_http_requests_total{code="200",route="GET /metrics"}`) {
		t.Error("the token's scrape lacks the site's request metrics")
	}
	for _, token := range []string{metricsToken + "x", strings.ToUpper(metricsToken), ""} {
		req, _ := http.NewRequest("GET", h.srv.URL+"/metrics", nil)
		req.Header.Set("Authorization", "Bearer "+token)
		if a := h.do(req); a.status != http.StatusUnauthorized || strings.Contains(a.body, "herald_") {
			t.Errorf("token %q: %d, want 401", token, a.status)
		}
	}
}
