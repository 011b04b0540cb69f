package admin_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/internal/web/admin"
)

var wildcard = regexp.MustCompile(`\{[^}]*\}`)

// concretePath makes a request path from a route pattern: "{$}" ends
// the path, and every other wildcard is an ID that does not exist, so
// that allowed requests change nothing.
func concretePath(pattern string) string {
	p := strings.ReplaceAll(pattern, "{$}", "")
	return wildcard.ReplaceAllString(p, "999999")
}

// TestRoleMatrix sends every admin route, as every role and as no one,
// the request a page would (a POST with the session's CSRF token), and
// checks the server's answer: sign in first, forbidden, or let through.
func TestRoleMatrix(t *testing.T) {
	n := mustNewsroom(t, newsroomOptions{})
	// The newsroom's mail goes to the development inbox, so its routes
	// are there too.
	routes := (&admin.Handler{Inbox: n.app.Inbox}).RoutePatterns()
	if _, ok := routes["GET /admin/inbox/{id}"]; !ok {
		t.Fatal("the dev inbox's routes are missing from the matrix")
	}
	var patterns []string
	for p := range routes {
		patterns = append(patterns, p)
	}
	// Sign-out routes end sessions (sign-out-everywhere all of the
	// user's): last, each from a session of its own.
	sort.Slice(patterns, func(i, j int) bool {
		si, sj := strings.Contains(patterns[i], "sign-out"), strings.Contains(patterns[j], "sign-out")
		if si != sj {
			return sj
		}
		return patterns[i] < patterns[j]
	})
	if len(patterns) < 10 {
		t.Fatalf("only %d routes", len(patterns))
	}
	t.Logf("%d routes", len(patterns))
	roles := []herald.Role{"", herald.RoleWriter, herald.RoleEditor, herald.RoleAdmin}
	for _, role := range roles {
		c := n.anonymous()
		if role != "" {
			c = n.signIn(role)
		}
		for _, pattern := range patterns {
			method, path, _ := strings.Cut(pattern, " ")
			path = concretePath(path)
			perm := routes[pattern]
			try := c
			if role != "" && strings.Contains(pattern, "sign-out") {
				try = n.signIn(role)
			}
			status, location := try.try(method, path)
			name := string(role)
			if name == "" {
				name = "anonymous"
			}
			switch {
			case role == "" && method == http.MethodGet:
				if status != http.StatusSeeOther || !strings.HasPrefix(location, "/admin/sign-in") {
					t.Errorf("%s %s: %d %q, want a redirect to sign in", name, pattern, status, location)
				}
			case role == "":
				if status != http.StatusUnauthorized {
					t.Errorf("%s %s: %d, want 401", name, pattern, status)
				}
			case perm != "" && !role.Can(perm):
				if status != http.StatusForbidden {
					t.Errorf("%s %s (needs %s): %d, want 403", name, pattern, perm, status)
				}
			default:
				if status == http.StatusUnauthorized || status == http.StatusForbidden {
					t.Errorf("%s %s (needs %q): %d, want it let through", name, pattern, perm, status)
				}
			}
		}
	}
}

// try sends one request the way a page would, and returns the status
// and redirect. Streams (server-sent events) are cut off after their
// headers.
func (c *client) try(method, path string) (int, string) {
	c.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	var req *http.Request
	if method == http.MethodGet || method == http.MethodHead {
		req, _ = http.NewRequestWithContext(ctx, method, c.n.base+path, nil)
	} else {
		form := url.Values{}
		if c.csrf != "" {
			form.Set("csrf", c.csrf)
		}
		req, _ = http.NewRequestWithContext(ctx, method, c.n.base+path, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Origin", c.n.base)
	}
	res, err := c.http.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", method, path, err)
	}
	res.Body.Close()
	return res.StatusCode, res.Header.Get("Location")
}
