package app_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/internal/app"
	"github.com/herald-news/herald/internal/app/apptest"
	"github.com/herald-news/herald/internal/auth"
	"github.com/herald-news/herald/internal/sqldb"
)

// harness is a whole Herald on a temporary database, served over real
// HTTP on loopback, with its job queue running.
type harness struct {
	t   testing.TB
	app *app.App
	srv *apptest.Server
	am  *herald.Newsletter
	den *herald.Newsletter
}

func mustHarness(t testing.TB, args ...string) *harness {
	t.Helper()
	h := &harness{t: t}
	h.srv = apptest.Start(t, apptest.Options{Args: append([]string{"-signups-per-ip", "1000", "-metrics-token", metricsToken}, args...),
		Seed: func(a *app.App) error { h.app = a; h.seed(); return nil }})
	return h
}

// seed stores a site, a section, a city and two newsletters.
func (h *harness) seed() {
	ctx := context.Background()
	a := h.app
	curator := &herald.Author{Slug: "ed", Name: "Ed Ito", Kind: herald.AuthorStaff}
	denver := &herald.City{Slug: "denver", Name: "Denver", TimeZone: "America/Denver"}
	h.am = &herald.Newsletter{Slug: "am", Name: "Herald AM", Promise: "The morning news in five minutes.",
		SignupTitle: "Sign up for our daily briefing", Curator: curator, Days: []string{"mon", "tue", "wed", "thu", "fri"},
		SendTime: "06:00", TimeZone: "America/New_York", FromName: "Herald AM", FromEmail: "am@herald.example"}
	h.den = &herald.Newsletter{Slug: "denver", Name: "Herald Denver", Promise: "Denver news.", City: denver,
		SignupTitle: "Denver news in your inbox", Days: []string{"mon"}, SendTime: "07:00", TimeZone: "America/Denver"}
	for _, err := range []error{
		a.Site.SaveSite(ctx, &herald.Site{Name: "The Test Herald", PostalAddress: "1 Main St, Springfield", Language: "en-US"}),
		a.Newsroom.SaveSection(ctx, &herald.Section{Slug: "world", Name: "World"}),
		a.Newsroom.SaveAuthor(ctx, curator),
		a.Newsroom.SaveCity(ctx, denver),
		a.Newsroom.SaveNewsletter(ctx, h.am),
		a.Newsroom.SaveNewsletter(ctx, h.den),
	} {
		if err != nil {
			h.t.Fatal(err)
		}
	}
}

// answer is one HTTP response, body read.
type answer struct {
	status int
	header http.Header
	body   string
}

func (h *harness) do(req *http.Request) answer {
	h.t.Helper()
	return h.doWith(&http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}, req)
}

func (h *harness) doWith(client *http.Client, req *http.Request) answer {
	h.t.Helper()
	resp, err := client.Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		h.t.Fatal(err)
	}
	return answer{resp.StatusCode, resp.Header, string(body)}
}

func (h *harness) get(path string) answer {
	h.t.Helper()
	req, _ := http.NewRequest("GET", h.srv.URL+path, nil)
	return h.do(req)
}

// post sends a urlencoded form, as a browser without JavaScript does.
func (h *harness) post(path string, form url.Values, header ...string) answer {
	h.t.Helper()
	req, _ := http.NewRequest("POST", h.srv.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	return h.do(req)
}

// metricsToken is the harness's -metrics-token.
const metricsToken = "harness-metrics-token"

// metrics reads /metrics as Prometheus does, with the metrics token.
func (h *harness) metrics() string {
	h.t.Helper()
	req, _ := http.NewRequest("GET", h.srv.URL+"/metrics", nil)
	req.Header.Set("Authorization", "Bearer "+metricsToken)
	a := h.do(req)
	if a.status != http.StatusOK {
		h.t.Fatalf("/metrics with the token: %d %s", a.status, a.body)
	}
	return a.body
}

// browser is a signed-in member of staff's browser: cookies kept,
// redirects not followed.
type browser struct {
	h      *harness
	client *http.Client
}

const staffPassword = "a long enough password"

// signIn adds a member of staff with role and signs them in.
func (h *harness) signIn(role herald.Role) *browser {
	h.t.Helper()
	b := h.browser()
	email := string(role) + "@newsroom.example"
	hash, err := auth.HashPassword(context.Background(), staffPassword)
	if err != nil {
		h.t.Fatal(err)
	}
	if err := h.app.Staff.CreateUser(context.Background(), &herald.User{Email: email, Name: "Test " + string(role), Role: role,
		PasswordHash: hash}); err != nil {
		h.t.Fatal(err)
	}
	if a := b.post("/admin/sign-in", url.Values{"email": {email}, "password": {staffPassword}}); a.status != http.StatusSeeOther {
		h.t.Fatalf("sign in as %s: %d %s", role, a.status, a.body)
	}
	return b
}

// browser is a browser nobody has signed in on yet.
func (h *harness) browser() *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{h: h, client: &http.Client{Jar: jar, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

func (b *browser) get(path string) answer {
	b.h.t.Helper()
	req, _ := http.NewRequest("GET", b.h.srv.URL+path, nil)
	return b.h.doWith(b.client, req)
}

// post submits a form from one of the site's pages.
func (b *browser) post(path string, form url.Values) answer {
	b.h.t.Helper()
	req, _ := http.NewRequest("POST", b.h.srv.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", b.h.srv.URL)
	return b.h.doWith(b.client, req)
}

// signup submits the signup box for the AM newsletter.
func (h *harness) signup(email string, header ...string) answer {
	h.t.Helper()
	return h.post("/subscribe", url.Values{"email": {email}, "newsletter": {"am"}, "page": {"/"}}, header...)
}

// signupJSON submits the signup box as its script does.
func (h *harness) signupJSON(email string) (answer, map[string]any) {
	h.t.Helper()
	a := h.signup(email, "Accept", "application/json")
	var v map[string]any
	if err := json.Unmarshal([]byte(a.body), &v); err != nil {
		h.t.Fatalf("signup answer %q is not JSON: %v", a.body, err)
	}
	return a, v
}

// inbox returns the development inbox, newest first.
func (h *harness) inbox() []inboxMessage {
	h.t.Helper()
	msgs, err := sqldb.NewInboxStore(h.app.DB).InboxMessages(context.Background(), 0)
	if err != nil {
		h.t.Fatal(err)
	}
	out := make([]inboxMessage, len(msgs))
	for i, m := range msgs {
		out[i] = inboxMessage{To: m.To, Subject: m.Subject, Text: m.Text}
	}
	return out
}

type inboxMessage struct{ To, Subject, Text string }

// waitInbox waits until the inbox holds n messages (bounded), then a little
// longer to be sure no more arrive.
func (h *harness) waitInbox(n int) []inboxMessage {
	h.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) && len(h.inbox()) < n {
		time.Sleep(50 * time.Millisecond)
	}
	time.Sleep(600 * time.Millisecond) // three polls of the queue
	msgs := h.inbox()
	if len(msgs) != n {
		h.t.Fatalf("inbox has %d messages, want %d: %+v", len(msgs), n, msgs)
	}
	return msgs
}

// status is the subscription status of email to nl ("" when none).
func (h *harness) status(email string, nl *herald.Newsletter) herald.SubscriptionStatus {
	h.t.Helper()
	sub, err := h.app.Subscribers.FindSubscriberByEmail(context.Background(), email)
	if herald.ErrorCode(err) == herald.ENOTFOUND {
		return ""
	} else if err != nil {
		h.t.Fatal(err)
	}
	for _, s := range sub.Subscriptions {
		if s.NewsletterID == nl.ID {
			return s.Status
		}
	}
	return ""
}

// subscriberCount counts every stored address.
func (h *harness) subscriberCount() int {
	h.t.Helper()
	var n int
	if err := h.app.DB.SQL().QueryRow(`SELECT COUNT(*) FROM subscribers`).Scan(&n); err != nil {
		h.t.Fatal(err)
	}
	return n
}

// linkIn finds the first link in text that starts with base+prefix.
func (h *harness) linkIn(text, prefix string) string {
	h.t.Helper()
	for _, f := range strings.Fields(text) {
		if strings.HasPrefix(f, h.srv.URL+prefix) {
			return strings.TrimPrefix(f, h.srv.URL)
		}
	}
	h.t.Fatalf("no %s link in %q", prefix, text)
	return ""
}
