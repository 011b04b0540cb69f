package cli

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/internal/app"
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
