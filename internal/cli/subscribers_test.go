package cli

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/internal/app"
	"github.com/herald-news/herald/internal/subscriberio/subscriberiotest"
)

// mustNewsletterDir is mustDataDir with an "am" newsletter.
func mustNewsletterDir(t *testing.T) string {
	t.Helper()
	dir := mustDataDir(t)
	withTestApp(t, dir, func(a *app.App) {
		err := a.Newsroom.SaveNewsletter(context.Background(), &herald.Newsletter{Slug: "am", Name: "Herald AM",
			TimeZone: "America/New_York", SendTime: "06:00"})
		if err != nil {
			t.Fatal(err)
		}
	})
	return dir
}

func withTestApp(t testing.TB, dir string, fn func(a *app.App)) {
	t.Helper()
	withTestAppFlags(t, []string{"-data-dir", dir}, fn)
}

// withTestAppFlags opens Herald configured by flags for fn.
func withTestAppFlags(t testing.TB, flags []string, fn func(a *app.App)) {
	t.Helper()
	cfg, _, err := parseFlags(env{stderr: io.Discard, getenv: func(string) string { return "" }}, "test", flags, nil)
	if err != nil {
		t.Fatal(err)
	}
	a, err := app.Open(context.Background(), cfg, app.Options{Logs: io.Discard})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	fn(a)
}

func run(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := Run(context.Background(), args, &out, &errOut, func(string) string { return "" })
	return code, out.String(), errOut.String()
}

var reportLine = regexp.MustCompile(`(\d+) rows, (\d+) added or changed .*, (\d+) already there, (\d+) duplicates, (\d+) bad`)

func TestSubscribersImportEveryLayoutTwice(t *testing.T) {
	const rows = 100_000
	for _, layout := range []string{"mailchimp", "substack", "ghost", "listmonk"} {
		t.Run(layout, func(t *testing.T) {
			dir := mustNewsletterDir(t)
			file := filepath.Join(t.TempDir(), layout+".csv")
			f, err := os.Create(file)
			if err != nil {
				t.Fatal(err)
			}
			stats, err := subscriberiotest.Write(f, layout, rows, 100)
			f.Close()
			if err != nil {
				t.Fatal(err)
			}
			code, out, errOut := run(t, "subscribers", "import", "-data-dir", dir, "-newsletter", "am", file)
			if code != 0 {
				t.Fatalf("import exit %d: %s", code, errOut)
			}
			var lines []int
			for _, l := range strings.Split(out, "\n") {
				if n, ok := strings.CutPrefix(l, "line "); ok {
					num, _ := strconv.Atoi(n[:strings.IndexByte(n, ':')])
					lines = append(lines, num)
				}
			}
			if fmt.Sprint(lines) != fmt.Sprint(stats.BadLines) {
				t.Errorf("reported %d bad lines, want %d (first: %v vs %v)", len(lines), len(stats.BadLines), head(lines), head(stats.BadLines))
			}
			m := reportLine.FindStringSubmatch(out)
			if m == nil || m[2] != strconv.Itoa(stats.Good()) || m[5] != strconv.Itoa(stats.Bad) {
				t.Fatalf("first import summary %q, want %d changed, %d bad", m, stats.Good(), stats.Bad)
			}
			_, out, _ = run(t, "subscribers", "import", "-data-dir", dir, "-newsletter", "am", file)
			if m := reportLine.FindStringSubmatch(out); m == nil || m[2] != "0" || m[3] != strconv.Itoa(stats.Good()) {
				t.Errorf("second import summary %q, want nothing changed", m)
			}
		})
	}
}

func head(s []int) []int { return s[:min(len(s), 5)] }

func TestSubscribersExportAndDelete(t *testing.T) {
	dir := mustNewsletterDir(t)
	file := filepath.Join(t.TempDir(), "list.csv")
	if err := os.WriteFile(file, []byte("email,name\nann@example.com,Ann\n=bad@example.com,Evil\nbo@Example.COM,Bo\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if code, _, errOut := run(t, "subscribers", "import", "-data-dir", dir, "-newsletter", "am", "-confirmed", file); code != 0 {
		t.Fatal(errOut)
	}
	out := filepath.Join(t.TempDir(), "export.csv")
	if code, _, errOut := run(t, "subscribers", "export", "-data-dir", dir, "-output", out); code != 0 {
		t.Fatal(errOut)
	}
	f, err := os.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	records, err := csv.NewReader(f).ReadAll()
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	byEmail := map[string][]string{}
	for _, r := range records[1:] {
		byEmail[r[0]] = r
	}
	if len(records) != 4 || byEmail["bo@example.com"][3] != "am:active" || byEmail["ann@example.com"][1] != "Ann" {
		t.Errorf("export = %q", records)
	}
	if _, ok := byEmail["'=bad@example.com"]; !ok {
		t.Errorf("a formula-like cell was not defused: %q", records)
	}
	if code, _, errOut := run(t, "subscribers", "delete", "-data-dir", dir, "ann@example.com"); code != 0 {
		t.Fatal(errOut)
	}
	if code, out, _ := run(t, "subscribers", "import", "-data-dir", dir, "-newsletter", "am", file); code != 0 || !strings.Contains(out, "0 added or changed") {
		t.Errorf("re-import after delete: %q", out)
	}
	withTestApp(t, dir, func(a *app.App) {
		if _, err := a.Subscribers.FindSubscriberByEmail(context.Background(), "ann@example.com"); herald.ErrorCode(err) != herald.ENOTFOUND {
			t.Errorf("erased reader came back: %v", err)
		}
	})
	if code, _, errOut := run(t, "subscribers", "delete", "-data-dir", dir, "nobody@example.com"); code != 1 || !strings.Contains(errOut, "No subscriber") {
		t.Errorf("delete unknown: %d %q", code, errOut)
	}
}
