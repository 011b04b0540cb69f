package cli

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/internal/app"
)

// mustDataDir returns a data folder whose database holds one section, city
// and author, for story files to refer to.
func mustDataDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	cfg, _, err := parseFlags(env{ctx: context.Background(), stderr: os.Stderr, getenv: func(string) string { return "" }},
		"test", []string{"-data-dir", dir}, nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	a, err := app.Open(ctx, cfg, app.Options{Logs: io.Discard})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	for _, err := range []error{
		a.Newsroom.SaveSection(ctx, &herald.Section{Slug: "world", Name: "World"}),
		a.Newsroom.SaveCity(ctx, &herald.City{Slug: "denver", Name: "Denver", TimeZone: "America/Denver"}),
		a.Newsroom.SaveAuthor(ctx, &herald.Author{Slug: "ana-ruiz", Name: "Ana Ruiz", Kind: herald.AuthorStaff}),
	} {
		if err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// storyCount counts the stories in the data folder's database.
func storyCount(t *testing.T, dir string) int {
	t.Helper()
	var out bytes.Buffer
	cfg, _, _ := parseFlags(env{stderr: &out, getenv: func(string) string { return "" }}, "test", []string{"-data-dir", dir}, nil)
	a, err := app.Open(context.Background(), cfg, app.Options{Logs: io.Discard})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	_, n, err := a.Stories.FindStories(context.Background(), herald.StoryFilter{})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

const goodStory = `---
headline: Denver opens its first protected bike lane
section: world
city: denver
authors: [ana-ruiz]
photo:
  url: https://img.example/bike.jpg
  alt: A cyclist in a green lane.
  caption: The lane on Tuesday.
  credit: Jo Lee/Herald
---
The lane opened on Tuesday.

**Why it matters:** It is the first of 40 miles.
`

func TestStoryAddRejectsBadFilesNamingTheField(t *testing.T) {
	dir := mustDataDir(t)
	tests := []struct {
		name, from, to, field string
	}{
		{"missing headline", "headline: Denver opens its first protected bike lane\n", "", "headline"},
		{"unknown section", "section: world", "section: sprots", "section"},
		{"unknown city", "city: denver", "city: atlantis", "city"},
		{"unknown author", "authors: [ana-ruiz]", "authors: [nobody]", "authors"},
		{"malformed front matter", "---\nThe lane", "The lane", "front matter"},
		{"photo without alt text", "  alt: A cyclist in a green lane.\n", "", "alt"},
		{"photo without credit", "  credit: Jo Lee/Herald\n", "", "credit"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			file := filepath.Join(t.TempDir(), "story.md")
			bad := strings.Replace(goodStory, tt.from, tt.to, 1)
			if bad == goodStory {
				t.Fatalf("case %q changed nothing", tt.name)
			}
			if err := os.WriteFile(file, []byte(bad), 0o644); err != nil {
				t.Fatal(err)
			}
			var out, errOut bytes.Buffer
			code := Run(context.Background(), []string{"story", "add", "-data-dir", dir, file}, &out, &errOut, func(string) string { return "" })
			msg := errOut.String()
			if code != 1 || !strings.Contains(msg, "story.md:") || !strings.Contains(msg, tt.field) {
				t.Errorf("exit %d, message %q: want the file and %q named", code, msg, tt.field)
			}
			if n := storyCount(t, dir); n != 0 {
				t.Errorf("%d stories stored after a rejected file", n)
			}
		})
	}
	file := filepath.Join(t.TempDir(), "story.md")
	if err := os.WriteFile(file, []byte(goodStory), 0o644); err != nil {
		t.Fatal(err)
	}
	var out, errOut bytes.Buffer
	if code := Run(context.Background(), []string{"story", "add", "-data-dir", dir, file}, &out, &errOut, func(string) string { return "" }); code != 0 {
		t.Fatalf("good file: exit %d: %s", code, errOut.String())
	}
	if !strings.Contains(out.String(), "/local/denver/") || storyCount(t, dir) != 1 {
		t.Errorf("good file not stored: %q", out.String())
	}
}
