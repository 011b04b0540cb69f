package demo

import (
	"io/fs"
	"path"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // the city time zones must load anywhere

	"github.com/herald-news/herald/internal/storyfile"
	"go.yaml.in/yaml/v3"
)

// Test-only mirrors of the story file schema; KnownFields catches typos.
// The newsroom file is read into newsroomFile, the type Seed uses.
type (
	testPhoto struct{ File, Alt, Caption, Credit string }
	testStory struct {
		Headline, Slug, Kind, Section, City, Summary, Status string
		Published, Updated                                   string
		Topics, Authors, Related                             []string
		Photo                                                testPhoto
		Gallery                                              []testPhoto
		Corrections                                          []struct{ Date, Text string }
		file, body                                           string
	}
)

func decodeStrict(b []byte, v any) error {
	dec := yaml.NewDecoder(strings.NewReader(string(b)))
	dec.KnownFields(true)
	return dec.Decode(v)
}

func loadNewsroom(t *testing.T) newsroomFile {
	t.Helper()
	b, err := fs.ReadFile(Content, "content/newsroom.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var n newsroomFile
	if err := decodeStrict(b, &n); err != nil {
		t.Fatalf("newsroom.yaml: %v", err)
	}
	return n
}

func loadStories(t *testing.T) []testStory {
	t.Helper()
	files, err := fs.Glob(Content, "content/stories/*.md")
	if err != nil || len(files) == 0 {
		t.Fatalf("no stories: %v", err)
	}
	var stories []testStory
	for _, f := range files {
		b, err := fs.ReadFile(Content, f)
		if err != nil {
			t.Fatal(err)
		}
		rest, ok := strings.CutPrefix(string(b), "---\n")
		front, body, ok2 := strings.Cut(rest, "\n---\n")
		if !ok || !ok2 {
			t.Errorf("%s: no front matter between --- lines", f)
			continue
		}
		var s testStory
		if err := decodeStrict([]byte(front), &s); err != nil {
			t.Errorf("%s: %v", f, err)
			continue
		}
		s.file, s.body = path.Base(f), strings.TrimSpace(body)
		stories = append(stories, s)
	}
	return stories
}

func checkPhoto(t *testing.T, where string, p testPhoto, needCaption bool) {
	t.Helper()
	if _, ok := photoStyle(p.File); !ok {
		t.Errorf("%s: photo %q has no known style", where, p.File)
	}
	if strings.TrimSpace(p.Alt) == "" {
		t.Errorf("%s: photo %q has no alt text", where, p.File)
	}
	if needCaption && (p.Caption == "" || p.Credit == "") {
		t.Errorf("%s: photo %q needs caption and credit", where, p.File)
	}
}

func TestNewsroom(t *testing.T) {
	n := loadNewsroom(t)
	if n.Site.Name == "" || n.Site.Tagline == "" || n.Site.PostalAddress == "" {
		t.Error("site needs name, tagline and postal_address")
	}
	if len(n.Sections) < 6 || len(n.Topics) < 6 {
		t.Errorf("got %d sections and %d topics, want 6+ each", len(n.Sections), len(n.Topics))
	}
	wantCities := map[string][2]string{
		"denver": {"Denver", "America/Denver"}, "des-moines": {"Des Moines", "America/Chicago"},
		"twin-cities": {"Twin Cities", "America/Chicago"}, "tampa-bay": {"Tampa Bay", "America/New_York"},
		"charlotte": {"Charlotte", "America/New_York"},
	}
	if len(n.Cities) != len(wantCities) {
		t.Errorf("got %d cities, want %d", len(n.Cities), len(wantCities))
	}
	for _, c := range n.Cities {
		if w := wantCities[c.Slug]; w != [2]string{c.Name, c.TimeZone} || c.Description == "" {
			t.Errorf("city %q = %q %q, want %q", c.Slug, c.Name, c.TimeZone, w)
		}
	}
	kinds := map[string]int{}
	for _, a := range n.Authors {
		kinds[a.Kind]++
		checkPhoto(t, "author "+a.Slug, testPhoto{File: a.Photo, Alt: a.Name}, false)
		if a.Name == "" || a.Title == "" || a.Bio == "" {
			t.Errorf("author %q needs name, title and bio", a.Slug)
		}
	}
	if kinds["staff"] < 8 || kinds["contributor"] < 4 || len(kinds) != 2 {
		t.Errorf("author kinds = %v, want 8+ staff and 4+ contributors only", kinds)
	}
	ids := slugSets(n)
	days := []string{"mon", "tue", "wed", "thu", "fri", "sat", "sun"}
	cityNewsletters := 0
	for _, nl := range n.Newsletters {
		where := "newsletter " + nl.Slug
		if !ids["author"][nl.Curator] {
			t.Errorf("%s: unknown curator %q", where, nl.Curator)
		}
		if nl.City != "" {
			cityNewsletters++
			if !ids["city"][nl.City] {
				t.Errorf("%s: unknown city %q", where, nl.City)
			}
		}
		checkRefs(t, where, ids["section"], nl.Sections)
		checkRefs(t, where, ids["topic"], nl.Topics)
		for _, d := range nl.Days {
			if !slices.Contains(days, d) {
				t.Errorf("%s: bad day %q", where, d)
			}
		}
		if _, err := time.Parse("15:04", nl.SendTime); err != nil {
			t.Errorf("%s: send_time: %v", where, err)
		}
		if _, err := time.LoadLocation(nl.TimeZone); err != nil {
			t.Errorf("%s: %v", where, err)
		}
		if nl.Name == "" || nl.Promise == "" || nl.FromName == "" || nl.SignupTitle == "" || !strings.Contains(nl.FromEmail, "@") {
			t.Errorf("%s: missing name, promise, from or signup title", where)
		}
	}
	if len(n.Newsletters) != 8 || cityNewsletters != 5 {
		t.Errorf("got %d newsletters (%d city), want 8 (5 city)", len(n.Newsletters), cityNewsletters)
	}
}

// slugSets returns the known slugs by kind; TestNewsroomSlugsUnique reports
// duplicates.
func slugSets(n newsroomFile) map[string]map[string]bool {
	sets := map[string]map[string]bool{"section": {}, "topic": {}, "city": {}, "author": {}, "contributor": {}}
	for _, s := range n.Sections {
		sets["section"][s.Slug] = true
	}
	for _, s := range n.Topics {
		sets["topic"][s.Slug] = true
	}
	for _, s := range n.Cities {
		sets["city"][s.Slug] = true
	}
	for _, s := range n.Authors {
		sets["author"][s.Slug] = true
		if s.Kind == "contributor" {
			sets["contributor"][s.Slug] = true
		}
	}
	return sets
}

func checkRefs(t *testing.T, where string, known map[string]bool, refs []string) {
	t.Helper()
	for _, r := range refs {
		if !known[r] {
			t.Errorf("%s: unknown slug %q", where, r)
		}
	}
}

func TestNewsroomSlugsUnique(t *testing.T) {
	n := loadNewsroom(t)
	var all []string
	for _, s := range n.Sections {
		all = append(all, "section "+s.Slug)
	}
	for _, s := range n.Topics {
		all = append(all, "topic "+s.Slug)
	}
	for _, s := range n.Authors {
		all = append(all, "author "+s.Slug)
	}
	for _, s := range n.Newsletters {
		all = append(all, "newsletter "+s.Slug)
	}
	seen := map[string]bool{}
	for _, s := range all {
		if seen[s] {
			t.Errorf("duplicate %s", s)
		}
		seen[s] = true
	}
}

var (
	slugRE     = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
	sentenceRE = regexp.MustCompile(`[.!?]["”]? +[A-Z]`)
)

func TestStories(t *testing.T) {
	ids := slugSets(loadNewsroom(t))
	stories := loadStories(t)
	slugs := map[string]bool{}
	for _, s := range stories {
		if slugs[s.Slug] {
			t.Errorf("%s: duplicate slug %q", s.file, s.Slug)
		}
		slugs[s.Slug] = true
	}
	kinds, cities := map[string]int{}, map[string]int{}
	var newest, oldest time.Duration = -1 << 62, 0
	dayOld := 0
	for _, s := range stories {
		where := s.file
		if !slugRE.MatchString(s.Slug) || !regexp.MustCompile(`^\d\d-`+s.Slug+`\.md$`).MatchString(s.file) {
			t.Errorf("%s: slug %q must be lower-case-hyphen and match the file name", where, s.Slug)
		}
		if s.Headline == "" || s.Summary == "" {
			t.Errorf("%s: needs headline and summary", where)
		}
		if !ids["section"][s.Section] {
			t.Errorf("%s: unknown section %q", where, s.Section)
		}
		if s.City != "" && !ids["city"][s.City] {
			t.Errorf("%s: unknown city %q", where, s.City)
		}
		checkRefs(t, where, ids["topic"], s.Topics)
		checkRefs(t, where, ids["author"], s.Authors)
		checkRefs(t, where, slugs, s.Related)
		for _, r := range s.Related {
			if i := slices.IndexFunc(stories, func(o testStory) bool { return o.Slug == r }); i >= 0 && stories[i].file >= s.file {
				t.Errorf("%s: related %q must be in an earlier file; the importer adds files in name order", where, r)
			}
		}
		if len(s.Authors) == 0 {
			t.Errorf("%s: no authors", where)
		}
		for _, a := range s.Authors {
			if (s.Kind == "opinion") != ids["contributor"][a] {
				t.Errorf("%s: %s piece by %q; opinion must be by contributors, others by staff", where, s.Kind, a)
			}
		}
		checkPhoto(t, where, s.Photo, true)
		for _, g := range s.Gallery {
			checkPhoto(t, where+" gallery", g, true)
		}
		if (s.Kind == "gallery") != (len(s.Gallery) >= 4 && len(s.Gallery) <= 6) {
			t.Errorf("%s: %s with %d gallery photos; galleries need 4-6, others none", where, s.Kind, len(s.Gallery))
		}
		if s.Kind == "gallery" && !strings.HasPrefix(s.Headline, "In photos: ") {
			t.Errorf("%s: gallery headline should start with \"In photos: \"", where)
		}
		checkBody(t, s)
		if s.Status == "draft" {
			if s.Published != "" || s.Updated != "" {
				t.Errorf("%s: a draft has no published or updated time", where)
			}
			continue // not live, so not counted
		}
		if s.Status != "" {
			t.Errorf("%s: unknown status %q", where, s.Status)
		}
		pub := mustDuration(t, where+" published", s.Published)
		if s.Updated != "" && mustDuration(t, where+" updated", s.Updated) <= pub {
			t.Errorf("%s: updated %s is not after published %s", where, s.Updated, s.Published)
		}
		for _, c := range s.Corrections {
			if mustDuration(t, where+" correction", c.Date) < pub || c.Text == "" {
				t.Errorf("%s: correction %q dated before publication or empty", where, c.Date)
			}
		}
		if pub > 0 {
			continue // scheduled, so not counted
		}
		kinds[s.Kind]++
		cities[s.City]++
		newest, oldest = max(newest, pub), min(oldest, pub)
		if pub < -24*time.Hour {
			dayOld++
		}
	}
	for kind, want := range map[string]int{"news": 28, "analysis": 6, "opinion": 5, "gallery": 4} {
		if kinds[kind] < want {
			t.Errorf("%d live %s stories, want %d+", kinds[kind], kind, want)
		}
	}
	if len(kinds) != 4 {
		t.Errorf("kinds = %v, want only news, analysis, opinion, gallery", kinds)
	}
	for city := range ids["city"] {
		if cities[city] < 3 {
			t.Errorf("%d live stories in %s, want 3+", cities[city], city)
		}
	}
	if newest < -time.Minute || oldest < -72*time.Hour || dayOld < 5 {
		t.Errorf("live stories span %v to %v with %d over a day old; want one under a minute, none over 72h, 5+ over a day", newest, oldest, dayOld)
	}
	t.Logf("live stories by kind %v, by city %v", kinds, cities)
}

// TestStoriesParse runs every story file through the importer's parser.
func TestStoriesParse(t *testing.T) {
	files, _ := fs.Glob(Content, "content/stories/*.md")
	for _, f := range files {
		b, err := fs.ReadFile(Content, f)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := storyfile.Parse(path.Base(f), b, time.Now()); err != nil {
			t.Error(err)
		}
	}
}

func mustDuration(t *testing.T, where, s string) time.Duration {
	t.Helper()
	d, err := time.ParseDuration(s)
	if err != nil {
		t.Errorf("%s: %v", where, err)
	}
	return d
}

// checkBody enforces the Smart Brevity shape: a one-sentence lede and a
// sensible length.
func checkBody(t *testing.T, s testStory) {
	t.Helper()
	lede, _, _ := strings.Cut(s.body, "\n\n")
	plain := strings.NewReplacer("St. ", "St ", "Dr. ", "Dr ", "Mr. ", "Mr ", "Ms. ", "Ms ").Replace(lede)
	if strings.ContainsAny(lede[:1], "*#->") || sentenceRE.MatchString(plain) {
		t.Errorf("%s: lede must be a single plain sentence: %q", s.file, lede)
	}
	words := len(strings.Fields(s.body))
	lo, hi := 120, 350
	switch {
	case s.Kind == "gallery":
		lo = 30
	case words > hi:
		lo, hi = 1000, 1500 // the one long read
	}
	if words < lo || words > hi {
		t.Errorf("%s: body has %d words, want %d-%d", s.file, words, lo, hi)
	}
	if s.Status != "draft" && s.Kind != "gallery" && !strings.Contains(s.body, "**Why it matters:**") {
		t.Logf("%s: no **Why it matters:** block", s.file)
	}
}

func TestContentPhotosListed(t *testing.T) {
	listed := listedPhotos()
	n := loadNewsroom(t)
	var want []string
	for _, a := range n.Authors {
		want = append(want, a.Photo)
	}
	for _, s := range loadStories(t) {
		want = append(want, s.Photo.File)
		for _, g := range s.Gallery {
			want = append(want, g.File)
		}
	}
	for _, w := range want {
		if _, ok := slices.BinarySearch(listed, w); !ok {
			t.Errorf("photo %q is not listed by Photos()", w)
		}
	}
}
