package storyfile_test

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/png"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
	"testing/fstest"
	"time"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/internal/media"
	"github.com/herald-news/herald/internal/sqldb"
	"github.com/herald-news/herald/internal/sqldb/sqldbtest"
	"github.com/herald-news/herald/internal/storyfile"
)

// now is the fixed time relative times in test files resolve against.
var now = time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)

// env is a small newsroom with an importer over it.
type env struct {
	db       *sqldb.DB
	newsroom *sqldb.NewsroomService
	stories  *sqldb.StoryService
	mediaDir string
	im       *storyfile.Importer
	climate  *herald.Topic
	older    *herald.Story // slug older-story, published two hours ago; earlier-report is a draft
}

func newEnv(t *testing.T) *env {
	t.Helper()
	ctx := context.Background()
	db := sqldbtest.MustOpen(t)
	clock := herald.NewFakeClock(now)
	db.Clock = clock
	e := &env{db: db, newsroom: sqldb.NewNewsroomService(db), stories: sqldb.NewStoryService(db),
		mediaDir: filepath.Join(t.TempDir(), "media"), climate: &herald.Topic{Slug: "climate", Name: "Climate"}}
	e.im = &storyfile.Importer{Newsroom: e.newsroom, Stories: e.stories, Media: &media.Store{Dir: e.mediaDir}, Clock: clock}
	local := &herald.Section{Slug: "local", Name: "Local"}
	for _, err := range []error{
		e.newsroom.SaveSection(ctx, local),
		e.newsroom.SaveSection(ctx, &herald.Section{Slug: "politics", Name: "Politics & Policy"}),
		e.newsroom.SaveSection(ctx, &herald.Section{Slug: "world", Name: "World"}),
		e.newsroom.SaveCity(ctx, &herald.City{Slug: "denver", Name: "Denver", TimeZone: "America/Denver"}),
		e.newsroom.SaveTopic(ctx, e.climate),
		e.newsroom.SaveAuthor(ctx, &herald.Author{Slug: "maya-okafor", Name: "Maya Okafor", Kind: herald.AuthorStaff}),
		e.newsroom.SaveAuthor(ctx, &herald.Author{Slug: "ana-ruiz", Name: "Ana Ruiz", Kind: herald.AuthorStaff}),
	} {
		if err != nil {
			t.Fatal(err)
		}
	}
	author, err := e.newsroom.FindAuthor(ctx, "maya-okafor")
	if err != nil {
		t.Fatal(err)
	}
	e.older = &herald.Story{Headline: "Older story", Kind: herald.KindNews, Status: herald.StatusPublished,
		Body: "A lede.", Section: local, Authors: []*herald.Author{author}, PublishedAt: now.Add(-2 * time.Hour)}
	earlier := &herald.Story{Headline: "Earlier report", Kind: herald.KindNews, Status: herald.StatusDraft,
		Body: "A lede.", Section: local, Authors: []*herald.Author{author}}
	for _, st := range []*herald.Story{e.older, earlier} {
		if err := e.stories.CreateStory(ctx, st); err != nil {
			t.Fatal(err)
		}
	}
	return e
}

// counts is what a rejected file must leave unchanged.
type counts struct{ stories, photos, topics, mediaFiles int }

func (e *env) counts(t *testing.T) counts {
	t.Helper()
	ctx := context.Background()
	var c counts
	_, n, err := e.stories.FindStories(ctx, herald.StoryFilter{})
	if err != nil {
		t.Fatal(err)
	}
	c.stories = n
	if err := e.db.SQL().QueryRowContext(ctx, `SELECT COUNT(*) FROM photos`).Scan(&c.photos); err != nil {
		t.Fatal(err)
	}
	topics, err := e.newsroom.Topics(ctx)
	if err != nil {
		t.Fatal(err)
	}
	c.topics = len(topics)
	_ = filepath.WalkDir(e.mediaDir, func(_ string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			c.mediaFiles++
		}
		return nil
	})
	return c
}

// pngBytes paints a w×h PNG.
func pngBytes(t *testing.T, w, h int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for x := range w {
		img.Set(x, x%h, color.RGBA{R: 200, G: 40, B: 40, A: 255})
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

const fullStory = `---
headline: Denver approves a 40-mile protected bike network
slug: denver-protected-bike-network
kind: analysis
status: published
section: local
topics: [transportation, Climate, Street Safety]
city: denver
authors: [maya-okafor, ana-ruiz]
summary: The council voted 9-4 for the network.
photo:
  file: photos/bikes.png
  alt: Riders in a protected lane on Broadway
  caption: Riders on Broadway.
  credit: Jo Lee/The Herald
published: -51m
updated: -10m
related: [older-story]
corrections:
  - date: -5m
    text: An earlier version misstated the length of the network.
---

Denver will build 40 miles of protected bike lanes by 2030.

**Why it matters:** Traffic deaths are up.
`

const galleryStory = `---
headline: "In photos: Denver's first snow"
kind: gallery
section: local
authors: maya-okafor
published: 2026-11-27T14:00:00Z
gallery:
  - file: ../photos/snow.png
    alt: Snow on a bench
    credit: Jo Lee/The Herald
  - url: https://images.example.com/snow2.jpg
    alt: Children sledding
    caption: Sledding in City Park.
    credit: AP
---
The season's first snow.
`

func TestAddFileRoundTrip(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	fsys := fstest.MapFS{
		"stories/bikes.md":         {Data: []byte(fullStory)},
		"stories/photos/bikes.png": {Data: pngBytes(t, 64, 48)},
		"stories/gallery/snow.md":  {Data: []byte(galleryStory)},
		"stories/photos/snow.png":  {Data: pngBytes(t, 30, 20)},
	}
	if _, err := e.im.AddFile(ctx, fsys, "stories/bikes.md"); err != nil {
		t.Fatal(err)
	}
	got, err := e.stories.FindStoryBySlug(ctx, "denver-protected-bike-network")
	if err != nil {
		t.Fatal(err)
	}
	if got.Headline != "Denver approves a 40-mile protected bike network" || got.Kind != herald.KindAnalysis ||
		got.Status != herald.StatusPublished || got.Section.Slug != "local" || got.City == nil || got.City.Slug != "denver" ||
		got.Summary != "The council voted 9-4 for the network." {
		t.Errorf("story = %+v", got)
	}
	if want := "Denver will build 40 miles of protected bike lanes by 2030.\n\n**Why it matters:** Traffic deaths are up."; got.Body != want {
		t.Errorf("body = %q, want %q", got.Body, want)
	}
	if len(got.Authors) != 2 || got.Authors[0].Slug != "maya-okafor" || got.Authors[1].Slug != "ana-ruiz" {
		t.Errorf("authors = %+v", got.Authors)
	}
	topics := map[string]string{}
	for _, tp := range got.Topics {
		topics[tp.Slug] = tp.Name
	}
	if len(topics) != 3 || topics["transportation"] != "Transportation" || topics["climate"] != "Climate" ||
		topics["street-safety"] != "Street Safety" {
		t.Errorf("topics = %v", topics)
	}
	if all, _ := e.newsroom.Topics(ctx); len(all) != 3 {
		t.Errorf("%d topics in the newsroom, want 3 (climate was known)", len(all))
	}
	p := got.Photo
	if p == nil || p.Path == "" || p.URL != "" || p.Alt != "Riders in a protected lane on Broadway" ||
		p.Caption != "Riders on Broadway." || p.Credit != "Jo Lee/The Herald" || p.Width != 64 || p.Height != 48 {
		t.Fatalf("photo = %+v", p)
	}
	if data, err := os.ReadFile(filepath.Join(e.mediaDir, filepath.FromSlash(p.Path))); err != nil ||
		!bytes.Equal(data, fsys["stories/photos/bikes.png"].Data) {
		t.Errorf("stored photo: %v", err)
	}
	if !got.PublishedAt.Equal(now.Add(-51*time.Minute)) || !got.UpdatedAt.Equal(now.Add(-10*time.Minute)) {
		t.Errorf("published %v updated %v", got.PublishedAt, got.UpdatedAt)
	}
	if len(got.RelatedIDs) != 1 || got.RelatedIDs[0] != e.older.ID {
		t.Errorf("related = %v, want [%d]", got.RelatedIDs, e.older.ID)
	}
	if len(got.Corrections) != 1 || !got.Corrections[0].Date.Equal(now.Add(-5*time.Minute)) ||
		got.Corrections[0].Text != "An earlier version misstated the length of the network." {
		t.Errorf("corrections = %+v", got.Corrections)
	}

	st, err := e.im.AddFile(ctx, fsys, "stories/gallery/snow.md")
	if err != nil {
		t.Fatal(err)
	}
	if got, err = e.stories.FindStoryByID(ctx, st.ID); err != nil {
		t.Fatal(err)
	}
	if got.Slug != "in-photos-denvers-first-snow" || got.Status != herald.StatusScheduled ||
		!got.PublishedAt.Equal(time.Date(2026, 11, 27, 14, 0, 0, 0, time.UTC)) || got.Live(now) {
		t.Errorf("gallery story %q status %s at %v", got.Slug, got.Status, got.PublishedAt)
	}
	if len(got.Gallery) != 2 || got.Gallery[0].Path == "" || got.Gallery[0].Width != 30 ||
		got.Gallery[1].URL != "https://images.example.com/snow2.jpg" || got.Gallery[1].Caption != "Sledding in City Park." {
		t.Errorf("gallery = %+v %+v", got.Gallery[0], got.Gallery[len(got.Gallery)-1])
	}
}

func TestParseResolvesTimesAndFormatsErrors(t *testing.T) {
	d, err := storyfile.Parse("x.md", []byte("---\nheadline: Soon\nsection: world\nauthors: [a]\npublished: +2h\n---\nText."), now)
	if err != nil {
		t.Fatal(err)
	}
	if d.Status != herald.StatusScheduled || !d.PublishedAt.Equal(now.Add(2*time.Hour)) || d.Slug != "soon" || d.Body != "Text." {
		t.Errorf("draft = %+v", d)
	}
	_, err = storyfile.Parse("stories/x.md", []byte("---\nheadline: H\nsection: world\nauthors: [a]\nkind: rumour\n---\n"), now)
	if want := `stories/x.md:5: kind: "rumour" is not a kind; use news, analysis, opinion or gallery`; err == nil || err.Error() != want {
		t.Errorf("err = %v, want %s", err, want)
	}
}
