package storyfile_test

import (
	"context"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/herald-news/herald/internal/storyfile"
)

// goodStory is valid; each rejection case breaks it in one way. The new
// topic and the photo file make sure nothing is created before all
// checks pass.
const goodStory = `---
headline: Council votes on bike lanes
section: local
city: denver
authors: [maya-okafor]
topics: [New Topic]
photo:
  file: photos/bikes.png
  alt: Riders on Broadway
  credit: Jo Lee/The Herald
published: -1h
related: [older-story]
---
Body text.
`

func TestAddFileRejectsAndStoresNothing(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	photo := pngBytes(t, 40, 30)
	tests := []struct {
		name      string
		old, new  string // replaced in goodStory
		photo     []byte // the photo file, when not a good PNG
		field     string
		line      int
		inMessage string
	}{
		{name: "missing headline", old: "headline: Council votes on bike lanes\n", field: "headline", line: 1},
		{name: "unknown section", old: "section: local", new: "section: sprots", field: "section", line: 3,
			inMessage: `no section "sprots" (known: local, politics, world)`},
		{name: "unknown city", old: "city: denver", new: "city: gotham", field: "city", line: 4, inMessage: "denver"},
		{name: "unknown author", old: "[maya-okafor]", new: "[maya-okafor, no-one]", field: "authors", line: 5,
			inMessage: `"no-one" (known: ana-ruiz, maya-okafor)`},
		{name: "no closing delimiter", old: "\n---\nBody", new: "\nBody", field: "front matter", line: 1},
		{name: "bad YAML indentation", old: "  alt: Riders", new: " alt: Riders", field: "front matter", line: 9},
		{name: "photo without alt", old: "  alt: Riders on Broadway\n", field: "photo.alt", line: 7},
		{name: "photo without credit", old: "  credit: Jo Lee/The Herald\n", field: "photo.credit", line: 7},
		{name: "photo with file and url", old: "  alt:", new: "  url: https://example.com/a.jpg\n  alt:", field: "photo", line: 7},
		{name: "unknown key", old: "city: denver", new: "sectoin: local\ncity: denver", field: "sectoin", line: 4,
			inMessage: "did you mean section?"},
		{name: "bad kind", old: "city: denver", new: "kind: rumour\ncity: denver", field: "kind", line: 4},
		{name: "bad published time", old: "published: -1h", new: "published: yesterday", field: "published", line: 11},
		{name: "updated before published", old: "published: -1h", new: "published: -1h\nupdated: -2h", field: "updated", line: 12},
		{name: "unknown related slug", old: "[older-story]", new: "[no-such-story]", field: "related", line: 12},
		{name: "duplicate slug", old: "city: denver", new: "slug: earlier-report\ncity: denver", field: "slug", line: 4},
		{name: "duplicate slug from headline", old: "Council votes on bike lanes", new: "Earlier report", field: "slug", line: 2},
		{name: "headline too long", old: "Council votes on bike lanes", new: strings.Repeat("Long ", 41), field: "headline", line: 2},
		{name: "gallery on a news story", old: "related: [older-story]\n",
			new:   "related: [older-story]\ngallery:\n  - url: https://example.com/a.jpg\n    alt: A\n    credit: B\n",
			field: "gallery", line: 13},
		{name: "non-image photo file", photo: []byte("this is not a picture"), field: "photo.file", line: 8,
			inMessage: "not a JPEG, PNG, WebP or GIF image"},
		{name: "missing photo file", old: "photos/bikes.png", new: "photos/nope.png", field: "photo.file", line: 8},
		{name: "file over 1 MB", old: "Body text.", new: strings.Repeat("word ", 220_000), line: 0},
		{name: "body past the Markdown limit", old: "Body text.", new: strings.Repeat("[a](", 100_000), field: "body", line: 0,
			inMessage: "The body is 400,000 characters; the limit is 100,000."},
	}
	before := e.counts(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !strings.Contains(goodStory, tt.old) {
				t.Fatalf("%q is not in the good story", tt.old)
			}
			fsys := fstest.MapFS{
				"stories/x.md":             {Data: []byte(strings.Replace(goodStory, tt.old, tt.new, 1))},
				"stories/photos/bikes.png": {Data: photo},
			}
			if tt.photo != nil {
				fsys["stories/photos/bikes.png"] = &fstest.MapFile{Data: tt.photo}
			}
			st, err := e.im.AddFile(ctx, fsys, "stories/x.md")
			fe, ok := err.(*storyfile.FileError)
			if !ok {
				t.Fatalf("AddFile = %v, %v; want one *FileError", st, err)
			}
			if fe.File != "stories/x.md" || fe.Field != tt.field || fe.Line != tt.line || fe.Message == "" {
				t.Errorf("error %q: file %q field %q line %d, want field %q line %d", fe, fe.File, fe.Field, fe.Line, tt.field, tt.line)
			}
			t.Log(fe)
			if !strings.Contains(fe.Message, tt.inMessage) {
				t.Errorf("message %q does not mention %q", fe.Message, tt.inMessage)
			}
			if after := e.counts(t); after != before {
				t.Errorf("database or media changed: %+v, was %+v", after, before)
			}
		})
	}
	// The good story itself goes in, so each case failed for its own reason.
	fsys := fstest.MapFS{"stories/x.md": {Data: []byte(goodStory)}, "stories/photos/bikes.png": {Data: photo}}
	if _, err := e.im.AddFile(ctx, fsys, "stories/x.md"); err != nil {
		t.Fatalf("good story: %v", err)
	}
	want := counts{stories: before.stories + 1, photos: before.photos + 1, topics: before.topics + 1, mediaFiles: 1}
	if after := e.counts(t); after != want {
		t.Errorf("after the good story: %+v, want %+v", after, want)
	}
}
