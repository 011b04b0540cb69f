package admin_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/internal/auth"
)

var shownSecret = regexp.MustCompile(`<code class="secret" id="shown-secret">([^<]+)</code>`)

func secretOn(t *testing.T, res *http.Response) string {
	t.Helper()
	page := body(res)
	m := shownSecret.FindStringSubmatch(page)
	if res.StatusCode != http.StatusOK || m == nil {
		t.Fatalf("no secret shown: %d %s", res.StatusCode, page)
	}
	return m[1]
}

func TestStaffAddAndManage(t *testing.T) {
	n := mustNewsroom(t, newsroomOptions{})
	ctx := context.Background()
	admin := n.signIn(herald.RoleAdmin)
	pw := secretOn(t, admin.post("/admin/staff", url.Values{"email": {"New.Writer@newsroom.example"}, "name": {"New Writer"}, "role": {"writer"}}))
	u, err := n.app.Staff.FindUserByEmail(ctx, "new.writer@newsroom.example")
	if err != nil || u.Role != herald.RoleWriter || strings.Contains(u.PasswordHash, pw) || !passwordVerifies(u.PasswordHash, pw) {
		t.Fatalf("added user: %v %+v", err, u)
	}
	// The shown password signs in.
	c := n.anonymous()
	if res := c.post("/admin/sign-in", url.Values{"email": {"new.writer@newsroom.example"}, "password": {pw}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign in with the shown password: %d", res.StatusCode)
	}
	if res := c.get("/admin/"); res.StatusCode != http.StatusOK {
		t.Fatalf("the new writer's dashboard: %d", res.StatusCode)
	}
	// The same address again is refused with a message.
	res := admin.post("/admin/staff", url.Values{"email": {"new.writer@newsroom.example"}, "role": {"writer"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Errorf("adding twice: %d", res.StatusCode)
	}
	if page := body(admin.get("/admin/staff")); !strings.Contains(page, "already has a staff account") {
		t.Errorf("adding twice shows no message")
	}
	// A short chosen password is refused.
	admin.post("/admin/staff", url.Values{"email": {"short@newsroom.example"}, "role": {"writer"}, "password": {"short"}})
	if _, err := n.app.Staff.FindUserByEmail(ctx, "short@newsroom.example"); err == nil {
		t.Error("added with a short password")
	}

	// Promote, then disable: each signs the writer out.
	admin.post(fmt.Sprintf("/admin/staff/%d/role", u.ID), url.Values{"role": {"editor"}})
	if u, _ = n.app.Staff.FindUserByID(ctx, u.ID); u.Role != herald.RoleEditor {
		t.Errorf("role after change: %s", u.Role)
	}
	if res := c.get("/admin/"); res.StatusCode != http.StatusSeeOther {
		t.Errorf("still signed in after a role change: %d", res.StatusCode)
	}
	admin.post(fmt.Sprintf("/admin/staff/%d/disable", u.ID), nil)
	if u, _ = n.app.Staff.FindUserByID(ctx, u.ID); u.Active() {
		t.Error("not disabled")
	}
	admin.post(fmt.Sprintf("/admin/staff/%d/enable", u.ID), nil)
	// Reset: a new generated password, the old one stops working.
	newPW := secretOn(t, admin.post(fmt.Sprintf("/admin/staff/%d/password", u.ID), nil))
	if u, _ = n.app.Staff.FindUserByID(ctx, u.ID); !u.Active() || !passwordVerifies(u.PasswordHash, newPW) || passwordVerifies(u.PasswordHash, pw) {
		t.Error("the password reset did not take")
	}

	// The last admin cannot demote themselves.
	me, _ := n.app.Staff.FindUserByEmail(ctx, n.mustStaff(herald.RoleAdmin))
	admin.post(fmt.Sprintf("/admin/staff/%d/role", me.ID), url.Values{"role": {"editor"}})
	if me, _ = n.app.Staff.FindUserByID(ctx, me.ID); me.Role != herald.RoleAdmin {
		t.Fatal("the last admin was demoted")
	}
	if page := body(admin.get("/admin/staff")); !strings.Contains(page, "last admin account") {
		t.Error("no message about the last admin")
	}
}

func TestEditorCannotReachStaff(t *testing.T) {
	n := mustNewsroom(t, newsroomOptions{})
	editor := n.signIn(herald.RoleEditor)
	if res := editor.get("/admin/staff"); res.StatusCode != http.StatusForbidden {
		t.Errorf("editor on the staff page: %d", res.StatusCode)
	}
	if res := editor.post("/admin/staff", url.Values{"email": {"sneaky@newsroom.example"}, "role": {"admin"}}); res.StatusCode != http.StatusForbidden {
		t.Errorf("editor adding staff: %d", res.StatusCode)
	}
	if _, err := n.app.Staff.FindUserByEmail(context.Background(), "sneaky@newsroom.example"); err == nil {
		t.Error("an editor added a staff account")
	}
	if page := body(editor.get("/admin/")); strings.Contains(page, `href="/admin/staff"`) {
		t.Error("the editor's menu links to staff")
	}
}

func TestAPITokenFromTheAdmin(t *testing.T) {
	n := mustNewsroom(t, newsroomOptions{})
	ctx := context.Background()
	admin := n.signIn(herald.RoleAdmin)
	secret := secretOn(t, admin.post("/admin/staff/tokens", url.Values{"name": {"CMS bridge"}, "role": {"editor"}, "expires": {"90"}}))
	tok, err := n.app.Staff.FindAPIToken(ctx, auth.HashSecret(secret))
	if err != nil || tok.Name != "CMS bridge" || tok.Role != herald.RoleEditor || tok.ExpiresAt.IsZero() || !strings.HasPrefix(secret, tok.Prefix) {
		t.Fatalf("token: %v %+v", err, tok)
	}
	if page := body(admin.get("/admin/staff")); strings.Contains(page, secret) || !strings.Contains(page, tok.Prefix+"…") {
		t.Error("the staff page shows the secret, or not the prefix")
	}
	if res := admin.post(fmt.Sprintf("/admin/staff/tokens/%d/revoke", tok.ID), nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("revoke: %d", res.StatusCode)
	}
	if _, err := n.app.Staff.FindAPIToken(ctx, auth.HashSecret(secret)); herald.ErrorCode(err) != herald.EUNAUTHORIZED {
		t.Errorf("the revoked token still works: %v", err)
	}
	// A nameless token is refused with a message.
	admin.post("/admin/staff/tokens", url.Values{"role": {"editor"}, "expires": {"0"}})
	if page := body(admin.get("/admin/staff")); !strings.Contains(page, "A token needs a name") {
		t.Error("a nameless token shows no message")
	}
}

// passwordVerifies reports whether pw matches hash.
func passwordVerifies(hash, pw string) bool {
	ok, err := auth.VerifyPassword(context.Background(), hash, pw)
	return err == nil && ok
}
