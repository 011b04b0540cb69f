package admin_test

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/internal/app"
	"github.com/herald-news/herald/internal/app/apptest"
	"github.com/herald-news/herald/internal/auth"
	"github.com/herald-news/herald/internal/demo"
)

// newsroom is a whole Herald with the demo newsroom, served over real
// HTTP on loopback, its jobs and sender running, mail going to the
// development inbox.
type newsroom struct {
	t     testing.TB
	app   *app.App
	base  string
	clock *herald.FakeClock // nil unless asked for
}

type newsroomOptions struct {
	clock *herald.FakeClock
	args  []string
}

func mustNewsroom(t testing.TB, opts newsroomOptions) *newsroom {
	t.Helper()
	o := apptest.Options{Args: append([]string{"-check-domains", "off"}, opts.args...),
		Seed: func(a *app.App) error {
			_, err := demo.Seed(context.Background(), demo.Deps{Newsroom: a.Newsroom, Site: a.Site, Importer: a.Importer()})
			return err
		}}
	if opts.clock != nil {
		o.Clock = opts.clock
	}
	srv := apptest.Start(t, o)
	return &newsroom{t: t, app: srv.App, base: srv.URL, clock: opts.clock}
}

const testPassword = "a long enough password"

// mustStaff adds a member of staff with role and returns their address.
func (n *newsroom) mustStaff(role herald.Role) string {
	n.t.Helper()
	email := string(role) + "@newsroom.example"
	if _, err := n.app.Staff.FindUserByEmail(context.Background(), email); err == nil {
		return email
	}
	hash, err := auth.HashPassword(context.Background(), testPassword)
	if err != nil {
		n.t.Fatal(err)
	}
	u := &herald.User{Email: email, Name: "Test " + string(role), Role: role, PasswordHash: hash}
	if err := n.app.Staff.CreateUser(context.Background(), u); err != nil {
		n.t.Fatal(err)
	}
	return email
}

// client is a browser-like HTTP client: cookies kept, redirects not
// followed (tests look at them).
type client struct {
	t    testing.TB
	n    *newsroom
	http *http.Client
	csrf string
}

func (n *newsroom) anonymous() *client {
	jar, _ := cookiejar.New(nil)
	return &client{t: n.t, n: n, http: &http.Client{Jar: jar, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// signIn signs in a member of staff of role (added if needed).
func (n *newsroom) signIn(role herald.Role) *client {
	n.t.Helper()
	c := n.anonymous()
	res := c.post("/admin/sign-in", url.Values{"email": {n.mustStaff(role)}, "password": {testPassword}})
	if res.StatusCode != http.StatusSeeOther {
		n.t.Fatalf("sign in as %s: %d %s", role, res.StatusCode, body(res))
	}
	c.refreshCSRF()
	return c
}

var csrfMeta = regexp.MustCompile(`<meta name="csrf-token" content="([^"]+)">`)

// refreshCSRF reads the session's CSRF token from a page.
func (c *client) refreshCSRF() {
	c.t.Helper()
	m := csrfMeta.FindStringSubmatch(body(c.get("/admin/")))
	if m == nil {
		c.t.Fatal("no CSRF token on the dashboard")
	}
	c.csrf = m[1]
}

func (c *client) do(req *http.Request) *http.Response {
	c.t.Helper()
	res, err := c.http.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	c.t.Cleanup(func() { res.Body.Close() })
	return res
}

func (c *client) get(path string) *http.Response {
	c.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, c.n.base+path, nil)
	return c.do(req)
}

// post submits a form the way a page does, with the CSRF token.
func (c *client) post(path string, form url.Values) *http.Response {
	c.t.Helper()
	if form == nil {
		form = url.Values{}
	}
	if c.csrf != "" && form.Get("csrf") == "" {
		form.Set("csrf", c.csrf)
	}
	req, _ := http.NewRequest(http.MethodPost, c.n.base+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", c.n.base)
	return c.do(req)
}

func body(res *http.Response) string {
	b, _ := io.ReadAll(res.Body)
	return string(b)
}
