package storyfile_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/herald-news/herald/internal/storyfile"
)

// storyFile writes a minimal story file.
func storyFile(headline, extra string) *fstest.MapFile {
	return &fstest.MapFile{Data: fmt.Appendf(nil, "---\nheadline: %s\nsection: local\nauthors: [maya-okafor]\ntopics: [Transit]\n%s---\nBody of %s.\n",
		headline, extra, headline)}
}

func TestImportDirStoresAllWithRelations(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	fsys := fstest.MapFS{
		"stories/a.md":       storyFile("First story", "published: -3h\n"),
		"stories/b.md":       storyFile("Second story", "published: -2h\nrelated: [older-story]\n"),
		"stories/more/c.md":  storyFile("Third story", "published: -1h\nrelated: [first-story, older-story]\n"),
		"stories/notes.txt":  {Data: []byte("not a story")},
		"stories/.draft.md":  {Data: []byte("hidden, skipped")},
		"elsewhere/other.md": {Data: []byte("outside the folder")},
	}
	stories, err := e.im.ImportDir(ctx, fsys, "stories")
	if err != nil {
		t.Fatal(err)
	}
	if len(stories) != 3 || stories[0].Slug != "first-story" || stories[2].Slug != "third-story" {
		t.Fatalf("stored %d stories: %v", len(stories), stories)
	}
	third, err := e.stories.FindStoryBySlug(ctx, "third-story")
	if err != nil {
		t.Fatal(err)
	}
	if len(third.RelatedIDs) != 2 || third.RelatedIDs[0] != stories[0].ID || third.RelatedIDs[1] != e.older.ID {
		t.Errorf("related = %v, want [%d %d]", third.RelatedIDs, stories[0].ID, e.older.ID)
	}
	topics, _ := e.newsroom.Topics(ctx)
	if len(topics) != 2 || third.Topics[0].ID != stories[0].Topics[0].ID {
		t.Errorf("topics %d; the batch's new topic should be created once and shared", len(topics))
	}
}

func TestImportDirStoresNothingWhenAnyFileIsBad(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	before := e.counts(t)
	fsys := fstest.MapFS{
		"stories/a.md": storyFile("First story", ""),
		"stories/b.md": {Data: []byte("---\nheadline: Bad story\nsection: sprots\nauthors: [maya-okafor]\n---\nBody.\n")},
		"stories/c.md": storyFile("Third story", "related: [first-story]\n"),
	}
	stories, err := e.im.ImportDir(ctx, fsys, "stories")
	if err == nil || len(stories) != 0 {
		t.Fatalf("ImportDir = %d stories, %v; want an error and none", len(stories), err)
	}
	if !strings.Contains(err.Error(), "stories/b.md:3: section:") {
		t.Errorf("error %q does not name the bad file and line", err)
	}
	if after := e.counts(t); after != before {
		t.Errorf("database or media changed: %+v, was %+v", after, before)
	}
}

func TestImportDirListsEveryProblem(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	fsys := fstest.MapFS{
		"stories/a.md": storyFile("First story", "related: [third-story]\n"),
		"stories/b.md": storyFile("First story", ""),
		"stories/c.md": storyFile("Third story", "authors: [nobody]\n"),
	}
	_, err := e.im.ImportDir(ctx, fsys, "stories")
	var problems []string
	if joined, ok := err.(interface{ Unwrap() []error }); ok {
		for _, err := range joined.Unwrap() {
			var fe *storyfile.FileError
			if !errors.As(err, &fe) {
				t.Errorf("%v is not a *FileError", err)
			}
			problems = append(problems, fe.File+" "+fe.Field)
		}
	}
	want := "stories/a.md related,stories/b.md slug,stories/c.md authors"
	if got := strings.Join(problems, ","); got != want {
		t.Errorf("problems = %s, want %s (error: %v)", got, want, err)
	}
}
