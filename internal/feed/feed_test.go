package feed

import (
	"encoding/json"
	"encoding/xml"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/herald-news/herald"
)

const base = "https://news.example"

func TestTagURI(t *testing.T) {
	day := time.Date(2026, 11, 27, 23, 30, 0, 0, time.FixedZone("EST", -5*3600))
	for _, c := range []struct{ base, want string }{
		{"https://news.example", "tag:news.example,2026-11-28:/story/42"},
		{"http://127.0.0.1:8080", "tag:127.0.0.1,2026-11-28:/story/42"},
		{"https://News.Example:443/", "tag:news.example,2026-11-28:/story/42"},
	} {
		if got := TagURI(c.base, day, "/story/42"); got != c.want {
			t.Errorf("TagURI(%q) = %q, want %q (the UTC date, the host in lower case)", c.base, got, c.want)
		}
	}
}

func TestStoryIDSurvivesNewSlugsAndTimes(t *testing.T) {
	st := &herald.Story{ID: 42, Slug: "a", CreatedAt: time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC),
		PublishedAt: time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)}
	before := StoryID(base, st)
	st.Slug, st.PublishedAt = "b", st.PublishedAt.Add(48*time.Hour)
	if after := StoryID(base, st); after != before || before != "tag:news.example,2026-11-20:/story/42" {
		t.Errorf("StoryID %q then %q", before, after)
	}
}

func TestAbsoluteAndImageType(t *testing.T) {
	for _, c := range []struct{ src, abs, typ string }{
		{"/media/ab/x.jpg", base + "/media/ab/x.jpg", "image/jpeg"},
		{"https://img.example/a.PNG?w=600", "https://img.example/a.PNG?w=600", "image/png"},
		{"//cdn.example/b.webp", "//cdn.example/b.webp", "image/webp"},
		{"https://img.example/photo", "https://img.example/photo", ""},
	} {
		if got := Absolute(base, c.src); got != c.abs {
			t.Errorf("Absolute(%q) = %q, want %q", c.src, got, c.abs)
		}
		if got := ImageType(c.src); got != c.typ {
			t.Errorf("ImageType(%q) = %q, want %q", c.src, got, c.typ)
		}
	}
}

func TestNewsLanguage(t *testing.T) {
	for tag, want := range map[string]string{"en-US": "en", "": "en", "fr": "fr", "pt_BR": "pt", "zh-Hant-TW": "zh-tw", "zh-CN": "zh-cn", "zh": "zh-cn"} {
		if got := newsLanguage(tag); got != want {
			t.Errorf("newsLanguage(%q) = %q, want %q", tag, got, want)
		}
	}
}

// hostileFeed has text that XML and JSON must carry without breaking.
func hostileFeed() *Feed {
	text := `A & B <b>"quoted"</b> ]]> ` + "\x00\x0b" + `</script>`
	return &Feed{Title: text, Description: text, HomeURL: base + "/", FeedURL: base + "/feed.xml", Publisher: "Herald",
		Updated: time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC),
		Items: []Item{{ID: "tag:x,2026-11-27:/story/1", URL: base + "/a?b=1&c=2", Title: text, Summary: text, ContentHTML: "<p>" + text + "</p>",
			Authors: []Author{{Name: text}}, Categories: []string{text}, Image: &Image{URL: base + "/m.jpg?a=1&b=2", Type: "image/jpeg", Alt: text},
			Published: time.Date(2026, 11, 27, 1, 0, 0, 0, time.UTC), Updated: time.Date(2026, 11, 27, 2, 0, 0, 0, time.UTC)}},
	}
}

func TestFeedsStayWellFormedWhateverTheText(t *testing.T) {
	f := hostileFeed()
	for name, enc := range map[string]func() ([]byte, error){"rss": f.RSS, "atom": f.Atom, "sitemap": func() ([]byte, error) {
		return NewsSitemap(f.Title, "en", []NewsURL{{Loc: f.Items[0].URL, Title: f.Title, Published: f.Updated}})
	}} {
		out, err := enc()
		if err != nil {
			t.Fatal(err)
		}
		d := xml.NewDecoder(strings.NewReader(string(out)))
		for {
			if _, err := d.Token(); err != nil {
				if !errors.Is(err, io.EOF) {
					t.Errorf("%s is not well-formed: %v\n%s", name, err, out)
				}
				break
			}
		}
		if !strings.Contains(string(out), "A &amp; B &lt;b&gt;") {
			t.Errorf("%s does not escape the text:\n%s", name, out)
		}
	}
	out, err := f.JSON()
	if err != nil {
		t.Fatal(err)
	}
	var v map[string]any
	if err := json.Unmarshal(out, &v); err != nil {
		t.Errorf("JSON Feed does not parse: %v", err)
	}
}

func TestEmptyFeedIsStillValid(t *testing.T) {
	f := &Feed{Title: "Herald", Description: "News", HomeURL: base + "/", FeedURL: base + "/feed.json",
		Updated: time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)}
	out, err := f.JSON()
	if err != nil || !strings.Contains(string(out), `"items": []`) {
		t.Errorf("empty JSON Feed: %v\n%s", err, out)
	}
	atom, err := f.Atom()
	if err != nil || !strings.Contains(string(atom), "<updated>2026-11-27T00:00:00Z</updated>") {
		t.Errorf("empty Atom feed needs its updated time: %v\n%s", err, atom)
	}
}

func TestEditionItem(t *testing.T) {
	nl := &herald.Newsletter{Slug: "am", Name: "AM"}
	ed := &herald.Edition{ID: 9, Newsletter: nl, Date: time.Date(2026, 11, 26, 0, 0, 0, 0, time.UTC), Subject: "Hello",
		StartedAt: time.Date(2026, 11, 26, 11, 0, 0, 0, time.UTC)}
	it := EditionItem(ed, base, "")
	if it.URL != base+"/newsletters/am/2026-11-26" || it.ID != "tag:news.example,2026-11-26:/edition/9" ||
		!it.Published.Equal(ed.StartedAt) || !strings.HasPrefix(it.Summary, "Smart Brevity count:") || it.Authors != nil {
		t.Errorf("EditionItem = %+v", it)
	}
}

func TestArticleListsLeadAndGalleryPhotos(t *testing.T) {
	st := &herald.Story{ID: 1, Slug: "snow", Headline: "In photos: Snow", Section: &herald.Section{Slug: "world", Name: "World"},
		PublishedAt: time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC),
		Photo:       &herald.Photo{Path: "a/lead.jpg"}, Gallery: []*herald.Photo{{URL: "https://img.example/1.jpg", Caption: "One"}}}
	a := Article(st, &herald.Site{Name: "Herald"}, base)
	if len(a.Image) != 2 || a.Image[0].URL != base+"/media/a/lead.jpg" || a.Image[1].Caption != "One" {
		t.Errorf("images %+v", a.Image)
	}
	if len(st.Gallery) != 1 {
		t.Error("Article changed the story's gallery")
	}
	if a.DateModified != "2026-11-27T09:00:00Z" || a.Author == nil {
		t.Errorf("a never-edited story: dateModified %q, author %v", a.DateModified, a.Author)
	}
}
