package admin_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/herald-news/herald"
)

func TestSignInSignOut(t *testing.T) {
	n := mustNewsroom(t, newsroomOptions{})
	anon := n.anonymous()
	if res := anon.get("/admin/stories?page=2"); res.StatusCode != http.StatusSeeOther ||
		res.Header.Get("Location") != "/admin/sign-in?next="+url.QueryEscape("/admin/stories?page=2") {
		t.Fatalf("anonymous page load: %d %q", res.StatusCode, res.Header.Get("Location"))
	}
	email := n.mustStaff(herald.RoleEditor)
	// A wrong password and an unknown address get the same answer.
	wrong := body(anon.post("/admin/sign-in", url.Values{"email": {email}, "password": {"not the password"}}))
	unknown := body(anon.post("/admin/sign-in", url.Values{"email": {"nobody@newsroom.example"}, "password": {"not the password"}}))
	if !strings.Contains(wrong, "don&#39;t match an active account") || strings.Replace(wrong, email, "", 1) != strings.Replace(unknown, "nobody@newsroom.example", "", 1) {
		t.Errorf("wrong password and unknown address answer differently")
	}
	res := anon.post("/admin/sign-in", url.Values{"email": {strings.ToUpper(email)}, "password": {testPassword}, "next": {"//evil.example/"}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/admin/" {
		t.Fatalf("sign in: %d %q", res.StatusCode, res.Header.Get("Location"))
	}
	// The session goes to the admin and the staff-only pages outside it,
	// never to the public site.
	var paths []string
	for _, c := range res.Cookies() {
		if c.Name != "herald_session" {
			continue
		}
		paths = append(paths, c.Path)
		if !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Value == "" {
			t.Errorf("session cookie %+v", c)
		}
	}
	if strings.Join(paths, " ") != "/admin /dev/inbox /metrics" {
		t.Fatalf("session cookie paths %q, want /admin /dev/inbox /metrics", paths)
	}
	anon.refreshCSRF()
	if res := anon.get("/admin/"); res.StatusCode != http.StatusOK || res.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("dashboard: %d, Cache-Control %q", res.StatusCode, res.Header.Get("Cache-Control"))
	}
	other := n.signIn(herald.RoleEditor) // the same person in a second browser
	if res := anon.post("/admin/sign-out-everywhere", nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign out everywhere: %d", res.StatusCode)
	}
	if res := other.get("/admin/"); res.StatusCode != http.StatusSeeOther {
		t.Errorf("the other browser is still signed in: %d", res.StatusCode)
	}
}

func TestCSRF(t *testing.T) {
	n := mustNewsroom(t, newsroomOptions{})
	c := n.signIn(herald.RoleAdmin)
	// No form token: refused, and the session still works.
	if res := c.post("/admin/sign-out", url.Values{"csrf": {"forged"}}); res.StatusCode != http.StatusForbidden {
		t.Errorf("POST with a forged token: %d", res.StatusCode)
	}
	// A cross-origin POST is refused before any handler runs, token or not.
	req, _ := http.NewRequest(http.MethodPost, n.base+"/admin/sign-out", strings.NewReader("csrf="+url.QueryEscape(c.csrf)))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", "https://evil.example")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	if res := c.do(req); res.StatusCode != http.StatusForbidden {
		t.Errorf("cross-origin POST: %d", res.StatusCode)
	}
	if res := c.get("/admin/"); res.StatusCode != http.StatusOK {
		t.Fatalf("the refused POSTs signed the user out: %d", res.StatusCode)
	}
	// The token of one session does not work for another.
	other := n.signIn(herald.RoleAdmin)
	if other.csrf == c.csrf {
		t.Fatal("two sessions share a CSRF token")
	}
	if res := c.post("/admin/sign-out", url.Values{"csrf": {other.csrf}}); res.StatusCode != http.StatusForbidden {
		t.Errorf("another session's token: %d", res.StatusCode)
	}
}

func TestSessionExpiry(t *testing.T) {
	clock := herald.NewFakeClock(time.Now())
	n := mustNewsroom(t, newsroomOptions{clock: clock})
	c := n.signIn(herald.RoleWriter)
	clock.Advance(11 * time.Hour)
	if res := c.get("/admin/"); res.StatusCode != http.StatusOK {
		t.Fatalf("after 11 idle hours: %d", res.StatusCode)
	}
	clock.Advance(13 * time.Hour) // idle longer than 12 hours
	if res := c.get("/admin/"); res.StatusCode != http.StatusSeeOther {
		t.Errorf("after 13 idle hours: %d, want a redirect to sign in", res.StatusCode)
	}
	c = n.signIn(herald.RoleWriter)
	for i := range 16 { // busy every 10 hours, never idle too long: the 7-day limit still ends it
		clock.Advance(10 * time.Hour)
		if res := c.get("/admin/"); res.StatusCode != http.StatusOK {
			t.Fatalf("after %d hours of steady use: %d", 10*(i+1), res.StatusCode)
		}
	}
	clock.Advance(10 * time.Hour) // 170 hours after sign-in
	if res := c.get("/admin/"); res.StatusCode != http.StatusSeeOther {
		t.Errorf("after 7 days: %d, want a redirect to sign in", res.StatusCode)
	}
	// Signing in again clears the expired sessions from the table.
	n.signIn(herald.RoleWriter)
	var stored int
	if err := n.app.DB.SQL().QueryRow(`SELECT COUNT(*) FROM sessions`).Scan(&stored); err != nil || stored != 1 {
		t.Errorf("sessions stored after a fresh sign-in: %d (%v), want only the live one", stored, err)
	}
}

func TestSignInRateLimits(t *testing.T) {
	clock := herald.NewFakeClock(time.Date(2026, 12, 8, 9, 0, 0, 0, time.UTC))
	n := mustNewsroom(t, newsroomOptions{clock: clock})
	email := n.mustStaff(herald.RoleEditor)
	c := n.anonymous()
	for i := range 5 {
		if res := c.post("/admin/sign-in", url.Values{"email": {email}, "password": {"guess number " + string(rune('a'+i))}}); res.StatusCode != http.StatusUnauthorized {
			t.Fatalf("failure %d: %d", i+1, res.StatusCode)
		}
	}
	// The account now waits before each try, even with the right password;
	// it is slowed down, not locked: after the wait the password works.
	res := c.post("/admin/sign-in", url.Values{"email": {email}, "password": {testPassword}})
	if text := body(res); res.StatusCode != http.StatusTooManyRequests || !strings.Contains(text, "Wait 1 second and try again") ||
		res.Header.Get("Retry-After") != "1" {
		t.Errorf("sixth try: %d, Retry-After %q", res.StatusCode, res.Header.Get("Retry-After"))
	}
	clock.Advance(time.Second)
	if res := c.post("/admin/sign-in", url.Values{"email": {email}, "password": {testPassword}}); res.StatusCode != http.StatusSeeOther {
		t.Errorf("the right password after the wait: %d", res.StatusCode)
	}
	// An unknown address slows down the same way, so the limit reveals nothing.
	c = n.anonymous()
	for range 5 {
		c.post("/admin/sign-in", url.Values{"email": {"ghost@newsroom.example"}, "password": {"whatever it is"}})
	}
	if res := c.post("/admin/sign-in", url.Values{"email": {"ghost@newsroom.example"}, "password": {"whatever it is"}}); res.StatusCode != http.StatusTooManyRequests {
		t.Errorf("unknown address after 5 failures: %d", res.StatusCode)
	}
	// Per client address: 20 attempts across accounts in 15 minutes.
	for i := range 10 {
		c.post("/admin/sign-in", url.Values{"email": {"spray" + string(rune('a'+i)) + "@newsroom.example"}, "password": {"whatever it is"}})
	}
	admin := n.mustStaff(herald.RoleAdmin)
	if res := c.post("/admin/sign-in", url.Values{"email": {admin}, "password": {testPassword}}); res.StatusCode != http.StatusTooManyRequests {
		t.Errorf("after 20 failures from one address, another account: %d", res.StatusCode)
	}
}

// Fifty wrong passwords at once on one account: the attempts are
// reserved before any password is checked, so no more than the free
// failures are checked and the rest wait; the person with the password
// gets in once the wait they are told has passed.
func TestSignInBurstChecksNoMoreThanTheLimit(t *testing.T) {
	clock := herald.NewFakeClock(time.Date(2026, 12, 8, 9, 0, 0, 0, time.UTC))
	n := mustNewsroom(t, newsroomOptions{clock: clock})
	email := n.mustStaff(herald.RoleEditor)
	codes := make([]int, 50)
	var wg sync.WaitGroup
	for i := range codes {
		wg.Go(func() {
			res := n.anonymous().post("/admin/sign-in", url.Values{"email": {email}, "password": {fmt.Sprintf("wrong guess %02d", i)}})
			codes[i] = res.StatusCode
			if res.StatusCode == http.StatusTooManyRequests && res.Header.Get("Retry-After") == "" {
				t.Error("a refused sign-in without Retry-After")
			}
		})
	}
	wg.Wait()
	checked, refused := 0, 0
	for _, code := range codes {
		switch code {
		case http.StatusUnauthorized, http.StatusSeeOther:
			checked++
		case http.StatusTooManyRequests:
			refused++
		default:
			t.Errorf("a sign-in answered %d", code)
		}
	}
	if checked > 5 || checked+refused != 50 {
		t.Errorf("%d passwords checked, %d refused; at most 5 may be checked", checked, refused)
	}
	res := n.anonymous().post("/admin/sign-in", url.Values{"email": {email}, "password": {testPassword}})
	wait, err := strconv.Atoi(res.Header.Get("Retry-After"))
	if res.StatusCode != http.StatusTooManyRequests || err != nil {
		t.Fatalf("the right password during the wait: %d, Retry-After %q", res.StatusCode, res.Header.Get("Retry-After"))
	}
	clock.Advance(time.Duration(wait) * time.Second)
	if res := n.anonymous().post("/admin/sign-in", url.Values{"email": {email}, "password": {testPassword}}); res.StatusCode != http.StatusSeeOther {
		t.Errorf("the right password after the wait: %d", res.StatusCode)
	}
}
