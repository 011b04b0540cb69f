package cli

import (
	"context"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/internal/app"
	"github.com/herald-news/herald/internal/app/apptest"
	"github.com/herald-news/herald/internal/sqldb"
	"github.com/herald-news/herald/internal/sqldb/sqldbtest"
	"github.com/herald-news/herald/internal/subscriberio/subscriberiotest"
)

// The demo newsroom plus 100,000 subscribers moves from SQLite to
// PostgreSQL; a copy interrupted half way through finishes when run again.
func TestDBCopyRoundTripsAndResumes(t *testing.T) {
	target := sqldbtest.MustPostgresURL(t)
	dir := t.TempDir()
	if code, _, errOut := run(t, "demo", "-data-dir", dir); code != 0 {
		t.Fatal(errOut)
	}
	list := filepath.Join(t.TempDir(), "list.csv")
	f, err := os.Create(list)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := subscriberiotest.Write(f, "plain", 100_000, 0); err != nil {
		t.Fatal(err)
	}
	f.Close()
	if code, _, errOut := run(t, "subscribers", "import", "-data-dir", dir, "-newsletter", "am", "-confirmed", list); code != 0 {
		t.Fatal(errOut)
	}
	source := filepath.Join(dir, "herald.db")

	// Interrupt the first copy once 40,000 subscribers are across.
	src, err := sqldb.Open(source)
	if err != nil {
		t.Fatal(err)
	}
	dst, err := sqldb.Open(target)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	err = src.CopyTo(ctx, dst, func(table string, copied, _ int64) {
		if table == "subscribers" && copied >= 40_000 {
			cancel()
		}
	})
	src.Close()
	dst.Close()
	if err == nil {
		t.Fatal("the interrupted copy reported success")
	}

	code, out, errOut := run(t, "db", "copy", "-from", source, "-to", target)
	if code != 0 || !strings.Contains(out, "checksums match") {
		t.Fatalf("resumed copy: %d %q %q", code, out, errOut)
	}
	// The newsroom works on PostgreSQL, and new rows get fresh ids.
	withTestAppFlags(t, []string{"-data-dir", t.TempDir(), "-database-url", target}, func(a *app.App) {
		ctx := context.Background()
		var subs, stories int
		a.DB.SQL().QueryRow(`SELECT COUNT(*) FROM subscribers`).Scan(&subs)
		a.DB.SQL().QueryRow(`SELECT COUNT(*) FROM stories`).Scan(&stories)
		if subs != 100_000 || stories < 40 {
			t.Errorf("%d subscribers, %d stories on PostgreSQL", subs, stories)
		}
		sec := &herald.Section{Slug: "new-desk", Name: "New desk"}
		if err := a.Newsroom.SaveSection(ctx, sec); err != nil {
			t.Fatalf("a new row after the copy: %v", err)
		}
		if _, err := a.Subscribers.FindSubscriberByEmail(ctx, subscriberiotest.Email(5)); err != nil {
			t.Errorf("a copied subscriber: %v", err)
		}
	})
}

// Staff accounts and API tokens move with the newsroom: on the copy the
// editor signs in and the token authenticates. A second run only verifies;
// after Herald has written to the copy, a run says what differs and that
// running it again will not help; a database in use is refused untouched.
func TestDBCopyMovesStaffAndTokens(t *testing.T) {
	target := sqldbtest.MustPostgresURL(t)
	dir := mustDataDir(t)
	code, out, errOut := run(t, "user", "add", "ed@example.org", "-data-dir", dir, "-role", "editor")
	pw := regexp.MustCompile(`Password \(shown once; pass it on privately\): (\S+)`).FindStringSubmatch(out)
	if code != 0 || pw == nil {
		t.Fatalf("user add: %d %q", code, errOut)
	}
	code, out, errOut = run(t, "token", "create", "-data-dir", dir, "-role", "editor", "-name", "CMS bridge")
	secret := regexp.MustCompile(`(?m)^(herald_\S{43})$`).FindStringSubmatch(out)
	if code != 0 || secret == nil {
		t.Fatalf("token create: %d %q", code, errOut)
	}
	source := filepath.Join(dir, "herald.db")
	code, out, errOut = run(t, "db", "copy", "-from", source, "-to", target)
	if code != 0 || !strings.Contains(out, "users") || !strings.Contains(out, "api_tokens") {
		t.Fatalf("copy: %d %q %q", code, out, errOut)
	}
	if code, out, errOut := run(t, "db", "copy", "-from", source, "-to", target); code != 0 || !strings.Contains(out, "checksums match") {
		t.Errorf("a second run of a finished copy: %d %q %q", code, out, errOut)
	}

	srv := apptest.Start(t, apptest.Options{Args: []string{"-database-url", target}})
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := client.PostForm(srv.URL+"/admin/sign-in", url.Values{"email": {"ed@example.org"}, "password": {pw[1]}})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Set-Cookie") == "" {
		t.Errorf("sign-in on the copy: %d", res.StatusCode)
	}
	req, _ := http.NewRequest("GET", srv.URL+"/api/v1/newsletters", nil)
	req.Header.Set("Authorization", "Bearer "+secret[1])
	res, err = client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Errorf("API token on the copy: %d", res.StatusCode)
	}

	if err := srv.App.Newsroom.SaveSection(context.Background(), &herald.Section{Slug: "late", Name: "Late"}); err != nil {
		t.Fatal(err)
	}
	code, _, errOut = run(t, "db", "copy", "-from", source, "-to", target)
	if code != 1 || !strings.Contains(errOut, "changed since the copy finished") || !strings.Contains(errOut, "sections has 1 rows in the source and 2 in the target") ||
		strings.Contains(errOut, "Run the same command again") {
		t.Errorf("a run after the copy was written to: %d %q", code, errOut)
	}

	// A database in use, never a copy's target, is left alone.
	inUse := sqldbtest.MustPostgresURL(t)
	withTestAppFlags(t, []string{"-data-dir", t.TempDir(), "-database-url", inUse}, func(a *app.App) {
		if err := a.Newsroom.SaveSection(context.Background(), &herald.Section{Slug: "ours", Name: "Ours"}); err != nil {
			t.Fatal(err)
		}
	})
	code, _, errOut = run(t, "db", "copy", "-from", source, "-to", inUse)
	if code != 1 || !strings.Contains(errOut, "already holds a newsroom (1 rows in sections)") {
		t.Errorf("copy into a database in use: %d %q", code, errOut)
	}
	withTestAppFlags(t, []string{"-data-dir", t.TempDir(), "-database-url", inUse}, func(a *app.App) {
		if _, err := a.Staff.FindUserByEmail(context.Background(), "ed@example.org"); herald.ErrorCode(err) != herald.ENOTFOUND {
			t.Errorf("the refused copy wrote staff: %v", err)
		}
	})
}

// Every table of the PostgreSQL schema is either copied from SQLite or
// left behind on purpose, so a table added by a later migration cannot be
// forgotten by the copy.
func TestDBCopyCoversEveryTable(t *testing.T) {
	ctx := context.Background()
	src, err := sqldb.Open(filepath.Join(t.TempDir(), "herald.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	dst, err := sqldb.Open(sqldbtest.MustPostgresURL(t))
	if err != nil {
		t.Fatal(err)
	}
	defer dst.Close()
	for _, db := range []*sqldb.DB{src, dst} {
		if err := db.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
	}
	copied, err := src.TablesToCopy(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, must := range []string{"users", "api_tokens", "sessions", "subscribers", "sends"} {
		if !slices.Contains(copied, must) {
			t.Errorf("%s is not copied", must)
		}
	}
	pg, err := dst.Tables(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, table := range pg {
		if _, skip := sqldb.LeftBehind(table); !skip && !slices.Contains(copied, table) {
			t.Errorf("PostgreSQL table %s is neither copied nor left behind on purpose", table)
		}
	}
	for _, table := range copied {
		if !slices.Contains(pg, table) {
			t.Errorf("copied table %s does not exist on PostgreSQL", table)
		}
	}
}
