package cli

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/internal/app"
	"github.com/herald-news/herald/internal/auth"
)

func TestUserAddPrintsAGeneratedPasswordOnceThatSignsIn(t *testing.T) {
	dir := mustDataDir(t)
	code, out, errOut := run(t, "user", "add", "Ed@Example.org", "-data-dir", dir, "-role", "editor", "-name", "Ed Itor")
	if code != 0 {
		t.Fatalf("add: %d %q", code, errOut)
	}
	pw := regexp.MustCompile(`Password \(shown once; pass it on privately\): (\S+)`).FindStringSubmatch(out)
	if pw == nil {
		t.Fatalf("no generated password in %q", out)
	}
	withTestApp(t, dir, func(a *app.App) {
		u, err := a.Staff.FindUserByEmail(context.Background(), "ed@example.org")
		if err != nil || u.Role != herald.RoleEditor || u.Name != "Ed Itor" || !passwordVerifies(u.PasswordHash, pw[1]) {
			t.Errorf("stored user %+v, %v; the printed password verifies: %v", u, err, err == nil && passwordVerifies(u.PasswordHash, pw[1]))
		}
	})
	if code, _, errOut := run(t, "user", "add", "ed@example.org", "-data-dir", dir, "-role", "writer"); code != 1 || !strings.Contains(errOut, "already has a staff account") {
		t.Errorf("second add: %d %q", code, errOut)
	}
	if code, _, errOut := run(t, "user", "add", "w@example.org", "-data-dir", dir, "-role", "owner"); code != 1 || !strings.Contains(errOut, `Unknown role "owner"`) {
		t.Errorf("bad role: %d %q", code, errOut)
	}
	if code, out, _ := run(t, "user", "role", "-data-dir", dir, "ed@example.org", "writer"); code != 0 || !strings.Contains(out, "active, writer") {
		t.Errorf("role: %d %q", code, out)
	}
	if code, out, _ := run(t, "user", "disable", "-data-dir", dir, "ed@example.org"); code != 0 || !strings.Contains(out, "disabled") {
		t.Errorf("disable: %d %q", code, out)
	}
	if _, out, _ := run(t, "user", "list", "-data-dir", dir); !strings.Contains(out, "ed@example.org") || !strings.Contains(out, "writer") || !strings.Contains(out, "disabled") {
		t.Errorf("list: %q", out)
	}
}

func TestTokenCreateListRevoke(t *testing.T) {
	dir := mustDataDir(t)
	code, out, errOut := run(t, "token", "create", "-data-dir", dir, "-role", "writer", "-name", "CMS bridge", "-expires", "30d")
	secret := regexp.MustCompile(`(?m)^(herald_\S{43})$`).FindStringSubmatch(out)
	if code != 0 || secret == nil {
		t.Fatalf("create: %d %q %q", code, out, errOut)
	}
	withTestApp(t, dir, func(a *app.App) {
		tok, err := a.Staff.FindAPIToken(context.Background(), auth.HashSecret(secret[1]))
		if err != nil || tok.Role != herald.RoleWriter || tok.ExpiresAt.Sub(a.Clock.Now()) < 29*24*60*60e9 {
			t.Errorf("stored token %+v, %v", tok, err)
		}
	})
	if _, out, _ := run(t, "token", "list", "-data-dir", dir); !strings.Contains(out, "CMS bridge") || !strings.Contains(out, secret[1][:13]) || strings.Contains(out, secret[1]) {
		t.Errorf("list shows the prefix and never the secret: %q", out)
	}
	if code, _, errOut := run(t, "token", "create", "-data-dir", dir, "-role", "writer", "-name", "x", "-expires", "soon"); code != 1 || !strings.Contains(errOut, "90d") {
		t.Errorf("bad lifetime: %d %q", code, errOut)
	}
	if code, _, _ := run(t, "token", "revoke", "-data-dir", dir, "1"); code != 0 {
		t.Errorf("revoke: %d", code)
	}
	withTestApp(t, dir, func(a *app.App) {
		if _, err := a.Staff.FindAPIToken(context.Background(), auth.HashSecret(secret[1])); herald.ErrorCode(err) != herald.EUNAUTHORIZED {
			t.Errorf("revoked token still works: %v", err)
		}
	})
}

// passwordVerifies reports whether pw matches hash.
func passwordVerifies(hash, pw string) bool {
	ok, err := auth.VerifyPassword(context.Background(), hash, pw)
	return err == nil && ok
}
