package cli

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/internal/app"
)

// notRunHere are the README forms this test does not run, each for a
// reason; every other form must run as the README writes it.
var notRunHere = map[string]string{
	"serve":   "runs until stopped (serve_test.go runs it)",
	"worker":  "runs until stopped (crash_test.go runs it)",
	"bench":   "takes minutes (bench_test.go runs --quick)",
	"db copy": "needs a PostgreSQL server (db_test.go runs it when HERALD_POSTGRES_SERVER names one)",
}

// Every command form the README's command table shows runs as written,
// with its placeholders filled in, against a copy of a prepared newsroom,
// both with and without its optional flags and with every alternative.
func TestEveryREADMECommandRuns(t *testing.T) {
	forms := readmeForms(t)
	n := mustREADMENewsroom(t)
	ran := 0
	for _, form := range forms {
		for _, args := range expandForm(form) {
			key := commandKey(args)
			if why, ok := notRunHere[key]; ok {
				t.Logf("not run here: %s: %s", form, why)
				continue
			}
			t.Run(strings.Join(args, " "), func(t *testing.T) {
				n.runIn(t, key, n.fill(t, key, args))
			})
			ran++
		}
	}
	if ran < 40 {
		t.Errorf("ran %d forms of the README; is the command table still under ## Commands?", ran)
	}
}

// The commands the flag package used to stop short on accept their flags
// before or after their arguments.
func TestFlagsBeforeOrAfterArguments(t *testing.T) {
	n := mustREADMENewsroom(t)
	for _, tc := range []struct {
		key        string
		flags, pos []string
	}{
		{"edition send", []string{"--wait"}, []string{"ID"}},
		{"edition test", []string{"--to", "x@example.com"}, []string{"ID"}},
		{"edition schedule", []string{"--at", "TIME"}, []string{"ID"}},
		{"edition status", []string{"--watch"}, []string{"ID"}},
		{"subscribers import", []string{"--newsletter", "am", "--confirmed"}, []string{"FILE.csv"}},
		{"user add", []string{"--role", "editor", "--name", "Ann"}, []string{"EMAIL"}},
		{"suppressions remove", []string{"--reason", "asked", "--by", "ops"}, []string{"EMAIL"}},
		{"story add", []string{"--log-level", "warn"}, []string{"FILE.md"}},
	} {
		cmd := strings.Fields(tc.key)
		for _, args := range [][]string{
			append(append(append([]string{}, cmd...), tc.pos...), tc.flags...),
			append(append(append([]string{}, cmd...), tc.flags...), tc.pos...),
		} {
			t.Run(strings.Join(args, " "), func(t *testing.T) {
				n.runIn(t, tc.key, n.fill(t, tc.key, args))
			})
		}
	}
}

// readmeForms returns the backticked `herald …` forms of the rows of the
// README's command table.
func readmeForms(t *testing.T) []string {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(raw), "\n## Commands\n")
	if !ok {
		t.Fatal("README.md has no ## Commands section")
	}
	section, _, _ = strings.Cut(section, "\n## ")
	var forms []string
	for _, line := range strings.Split(section, "\n") {
		if !strings.HasPrefix(line, "| `") {
			continue
		}
		for _, m := range regexp.MustCompile("`(herald [^`]+)`").FindAllStringSubmatch(line, -1) {
			forms = append(forms, strings.ReplaceAll(m[1], `\|`, "|"))
		}
	}
	if len(forms) == 0 {
		t.Fatal("no `herald …` forms in the README's command table")
	}
	return forms
}

// expandForm turns one README form into argument lists: without and with
// its [optional] parts, then once for each alternative of a|b|c.
func expandForm(form string) [][]string {
	bare := regexp.MustCompile(`\s*\[[^\]]*\]`).ReplaceAllString(form, "")
	full := strings.NewReplacer("[", "", "]", "").Replace(form)
	variants := []string{bare}
	if full != bare {
		variants = append(variants, full)
	}
	var out [][]string
	for _, f := range variants {
		lists := [][]string{nil}
		for _, word := range strings.Fields(f)[1:] { // without "herald"
			word = strings.TrimSuffix(word, "…")
			var next [][]string
			for _, alt := range strings.Split(word, "|") {
				for _, l := range lists {
					next = append(next, append(append([]string{}, l...), alt))
				}
			}
			lists = next
		}
		out = append(out, lists...)
	}
	return out
}

// commandKey is the command and, for commands that have them, the
// subcommand: "edition send", "demo".
func commandKey(args []string) string {
	switch args[0] {
	case "serve", "migrate", "demo", "worker", "bench", "version":
		return args[0]
	}
	if len(args) > 1 {
		return args[0] + " " + args[1]
	}
	return args[0]
}

var placeholder = regexp.MustCompile(`^[A-Z][A-Z_-]*(\.[a-z]+)?$`)

// fill replaces the placeholders of args with values the newsroom has.
func (n *readmeNewsroom) fill(t *testing.T, key string, args []string) []string {
	t.Helper()
	out := make([]string, len(args))
	for i, a := range args {
		out[i] = a
		if !placeholder.MatchString(a) {
			continue
		}
		v, ok := n.value(key, a)
		if !ok {
			t.Fatalf("%s: no value for the README placeholder %s; teach this test one", strings.Join(args, " "), a)
		}
		out[i] = v
	}
	return out
}

func (n *readmeNewsroom) value(key, ph string) (string, bool) {
	switch ph {
	case "ID":
		v, ok := n.ids[key]
		return v, ok
	case "EMAIL":
		switch key {
		case "subscribers delete":
			return "reader0002@example.com", true
		case "suppressions remove":
			return "reader0001@example.com", true
		case "edition test":
			return "you@example.com", true
		case "user add":
			n.added++
			return fmt.Sprintf("staff%d@herald.example", n.added), true
		case "user role", "user disable", "user enable", "user password":
			return "editor@herald.example", true
		}
	case "FILE.csv":
		if key == "subscribers import" {
			return n.csv, true
		}
		return "out.csv", true // --output, in the folder the command runs in
	case "FILE.md":
		return n.story, true
	case "DIR":
		return n.stories, true
	case "FILE.eml":
		return n.eml, true
	case "SLUG":
		return "am", true
	case "TEXT", "NAME":
		return "Readme Test", true
	case "TIME":
		return time.Now().Add(48 * time.Hour).Format("2006-01-02T15:04"), true // in the newsletter's zone
	case "YYYY-MM-DD":
		return "2027-03-01", true
	}
	return "", false
}

// runIn runs args from a folder holding a copy of the newsroom's database
// (none for demo) in herald-data, the default data folder, so the command
// and its relative paths work as written, and fails the test unless the
// command succeeds. The demo's photos are not copied: no command needs them.
func (n *readmeNewsroom) runIn(t *testing.T, key string, args []string) {
	dir := t.TempDir()
	if key != "demo" {
		files, err := filepath.Glob(filepath.Join(n.dir, "herald-data", "herald.db*"))
		if err != nil || len(files) == 0 {
			t.Fatalf("no database to copy: %v", err)
		}
		for _, f := range files {
			raw, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			mustWrite(t, filepath.Join(dir, "herald-data", filepath.Base(f)), string(raw))
		}
	}
	t.Chdir(dir)
	if key == "user add" || key == "user password" {
		// --password-stdin reads the password from standard input.
		mustStdin(t, "a long and new password for staff\n")
	}
	code, out, errOut := run(t, args...)
	if code != 0 {
		t.Fatalf("exit %d\nstdout: %s\nstderr: %s", code, out, errOut)
	}
}

// mustStdin makes text standard input until the test ends.
func mustStdin(t *testing.T, text string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "stdin")
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	old := os.Stdin
	os.Stdin = f
	t.Cleanup(func() { os.Stdin = old; f.Close() })
}

// readmeNewsroom is a prepared data folder, copied for each command, and
// the values the README's placeholders stand for in it.
type readmeNewsroom struct {
	dir                      string // holds herald-data, the default data folder
	csv, story, stories, eml string
	ids                      map[string]string // "edition pause": an edition that can be paused
	added                    int
}

// mustREADMENewsroom prepares the demo newsroom with readers (one of them
// bounced, one alert), a member of staff, an API token, and editions in
// every state a command needs.
func mustREADMENewsroom(t *testing.T) *readmeNewsroom {
	t.Helper()
	tmp := t.TempDir()
	n := &readmeNewsroom{dir: filepath.Join(tmp, "newsroom"), csv: filepath.Join(tmp, "readers.csv"),
		story: filepath.Join(tmp, "readme-story.md"), stories: filepath.Join(tmp, "stories"), ids: map[string]string{}}
	var err error
	if n.eml, err = filepath.Abs(sample("dsn-delayed.eml")); err != nil {
		t.Fatal(err)
	}
	data := []string{"-data-dir", filepath.Join(n.dir, "herald-data"), "-log-level", "warn"}
	must := func(args ...string) string {
		t.Helper()
		code, out, errOut := run(t, append(args, data...)...)
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", strings.Join(args, " "), code, errOut)
		}
		return out
	}
	mustWrite(t, n.csv, "email\nreader0001@example.com\nreader0002@example.com\nreader0003@example.com\n")
	mustWrite(t, n.story, readmeStory("readme-story", "A story added from the README"))
	mustWrite(t, filepath.Join(n.stories, "imported.md"), readmeStory("readme-imported", "A story imported from the README"))
	must("demo")
	must("subscribers", "import", n.csv, "--newsletter", "am", "--confirmed")
	must("subscribers", "import", n.csv, "--newsletter", "pm", "--confirmed")
	bounced, _ := filepath.Abs(sample("dsn-malformed.eml"))
	policy, _ := filepath.Abs(sample("dsn-5.7.26.eml"))
	must("bounce", "process", bounced, policy)
	n.ids["bounce alerts"] = firstMatch(t, `(?m)^(\d+) `, must("bounce", "alerts"))
	mustStdin(t, "a long and new password for staff\n")
	must("user", "add", "editor@herald.example", "--role", "editor")
	n.ids["token revoke"] = firstMatch(t, `Created API token (\d+)`, must("token", "create", "--role", "editor", "--name", "README"))
	// The editions are of pm, written rather than drafted, so that the
	// demo's stories are left for `edition draft --newsletter am`.
	var drafts []string
	withTestAppFlags(t, data, func(a *app.App) {
		ctx := context.Background()
		nl, err := a.Newsroom.FindNewsletter(ctx, "pm")
		if err != nil {
			t.Fatal(err)
		}
		for day := range 5 {
			ed := &herald.Edition{NewsletterID: nl.ID, Newsletter: nl, Date: time.Date(2027, 1, 1+day, 0, 0, 0, 0, time.UTC),
				Subject: "README test", Opening: herald.EditionItem{Headline: "One", Body: "Body."}}
			if err := a.Editions.CreateEdition(ctx, ed); err != nil {
				t.Fatal(err)
			}
			drafts = append(drafts, strconv.FormatInt(ed.ID, 10))
		}
	})
	sent, sending, paused, scheduled, fresh := drafts[0], drafts[1], drafts[2], drafts[3], drafts[4]
	must("edition", "send", sent, "--wait") // first: it sends every edition that is sending
	must("edition", "send", sending)
	must("edition", "send", paused)
	must("edition", "pause", paused)
	must("edition", "schedule", scheduled, "--at", time.Now().Add(72*time.Hour).UTC().Format(time.RFC3339))
	for key, id := range map[string]string{"show": fresh, "test": fresh, "send": fresh, "schedule": fresh, "status": sent,
		"pause": sending, "cancel": sending, "resume": paused, "unschedule": scheduled} {
		n.ids["edition "+key] = id
	}
	return n
}

func readmeStory(slug, headline string) string {
	return "---\nheadline: " + headline + "\nslug: " + slug + "\nkind: news\nsection: local\ncity: tampa-bay\n" +
		"authors: [rosa-delgado]\nsummary: A story for the README test.\npublished: -1h\n---\nThe first paragraph.\n"
}

func mustWrite(t *testing.T, path, text string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
}

// firstMatch returns the first group of pattern in out.
func firstMatch(t *testing.T, pattern, out string) string {
	t.Helper()
	m := regexp.MustCompile(pattern).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("no %s in %q", pattern, out)
	}
	return m[1]
}
