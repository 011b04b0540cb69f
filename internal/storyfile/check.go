package storyfile

import (
	"context"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"

	"github.com/herald-news/herald"
)

// maxKnown is how many known slugs a message lists.
const maxKnown = 10

// plan is a checked story, ready to store.
type plan struct {
	draft   *Draft
	story   *herald.Story // topics new to the newsroom have ID 0
	images  []pendingImage
	related []relatedRef
}

// pendingImage is a photo file, read and checked, saved only when storing.
type pendingImage struct {
	photo *herald.Photo
	data  []byte
	field string
	line  int
}

// relatedRef is a related story: known by ID, or by the slug of a story
// stored earlier in the same batch.
type relatedRef struct {
	id   int64
	slug string
}

// directory is the newsroom's sections, cities, authors and topics.
type directory struct {
	sections map[string]*herald.Section
	cities   map[string]*herald.City
	authors  map[string]*herald.Author
	topics   map[string]*herald.Topic // by slug and by lower-case name
}

// loadDirectory reads what story files refer to, once per import.
func (im *Importer) loadDirectory(ctx context.Context) (*directory, error) {
	dir := &directory{sections: map[string]*herald.Section{}, cities: map[string]*herald.City{},
		authors: map[string]*herald.Author{}, topics: map[string]*herald.Topic{}}
	sections, err := im.Newsroom.Sections(ctx)
	if err != nil {
		return nil, fmt.Errorf("storyfile: sections: %w", err)
	}
	for _, s := range sections {
		dir.sections[s.Slug] = s
	}
	cities, err := im.Newsroom.Cities(ctx)
	if err != nil {
		return nil, fmt.Errorf("storyfile: cities: %w", err)
	}
	for _, c := range cities {
		dir.cities[c.Slug] = c
	}
	authors, err := im.Newsroom.Authors(ctx)
	if err != nil {
		return nil, fmt.Errorf("storyfile: authors: %w", err)
	}
	for _, a := range authors {
		dir.authors[a.Slug] = a
	}
	topics, err := im.Newsroom.Topics(ctx)
	if err != nil {
		return nil, fmt.Errorf("storyfile: topics: %w", err)
	}
	for _, t := range topics {
		dir.topics[strings.ToLower(t.Name)] = t
	}
	for _, t := range topics { // slugs win over names
		dir.topics[t.Slug] = t
	}
	return dir, nil
}

// find looks v up by slug, then as a slug made of it ("Politics" finds
// politics).
func find[T any](m map[string]*T, v string) *T {
	if x, ok := m[v]; ok {
		return x
	}
	return m[herald.Slugify(v)]
}

// known lists the keys of m for a message, cut after maxKnown.
func known[T any](m map[string]*T, what string) string {
	if len(m) == 0 {
		return "there are no " + what + " yet"
	}
	slugs := make([]string, 0, len(m))
	for k := range m {
		slugs = append(slugs, k)
	}
	slices.Sort(slugs)
	if len(slugs) > maxKnown {
		return "known: " + strings.Join(slugs[:maxKnown], ", ") + ", …"
	}
	return "known: " + strings.Join(slugs, ", ")
}

// batch is the files of one import, in the order they are stored.
type batch struct {
	names []string
	slugs map[string]int // the position of the first file with each slug
}

// check turns the i-th draft of b into a plan, listing every problem found.
func (im *Importer) check(ctx context.Context, fsys fs.FS, d *Draft, dir *directory, b *batch, i int) (*plan, []*FileError, error) {
	var problems []*FileError
	bad := func(line int, field, format string, args ...any) {
		problems = append(problems, &FileError{File: d.File, Line: line, Field: field, Message: fmt.Sprintf(format, args...)})
	}
	st := &herald.Story{Slug: d.Slug, Headline: d.Headline, Kind: d.Kind, Status: d.Status, Summary: d.Summary,
		Body: d.Body, PublishedAt: d.PublishedAt, UpdatedAt: d.UpdatedAt}
	pl := &plan{draft: d, story: st}
	if err := herald.CheckMarkdown("body", d.Body, herald.MaxStoryBodyChars); err != nil {
		bad(0, "body", "%s", herald.ErrorMessage(err))
	}
	if st.Section = find(dir.sections, d.Section); st.Section == nil {
		bad(d.Line("section"), "section", "no section %q (%s)", d.Section, known(dir.sections, "sections"))
	}
	if d.City != "" {
		if st.City = find(dir.cities, d.City); st.City == nil {
			bad(d.Line("city"), "city", "no city %q (%s)", d.City, known(dir.cities, "cities"))
		}
	}
	for j, slug := range d.Authors {
		if a := find(dir.authors, slug); a == nil {
			bad(d.itemLine("authors", j), "authors", "no author %q (%s)", slug, known(dir.authors, "authors"))
		} else if !slices.Contains(st.Authors, a) {
			st.Authors = append(st.Authors, a)
		}
	}
	for j, name := range d.Topics {
		t := dir.topics[name]
		if t == nil {
			t = dir.topics[strings.ToLower(name)]
		}
		if t == nil {
			t = dir.topics[herald.Slugify(name)]
		}
		if t == nil {
			t = newTopic(name)
		}
		if t == nil {
			bad(d.itemLine("topics", j), "topics", "%q has no letters or digits to make a topic of", name)
		} else if !slices.ContainsFunc(st.Topics, func(x *herald.Topic) bool { return x.Slug == t.Slug }) {
			st.Topics = append(st.Topics, t)
		}
	}
	photos := append([]*PhotoDraft{d.Photo}, d.Gallery...)
	for j, ph := range photos {
		if ph == nil {
			continue
		}
		field := "photo"
		if j > 0 {
			field = "gallery"
		}
		p := &herald.Photo{URL: ph.URL, Alt: ph.Alt, Caption: ph.Caption, Credit: ph.Credit}
		if j == 0 {
			st.Photo = p
		} else {
			st.Gallery = append(st.Gallery, p)
		}
		if ph.File == "" {
			continue
		}
		img, msg := im.readImage(fsys, path.Join(path.Dir(d.File), ph.File), ph.File)
		if msg != "" {
			bad(ph.FileLine, field+".file", "%s", msg)
			continue
		}
		p.Width, p.Height = img.cfg.Width, img.cfg.Height
		pl.images = append(pl.images, pendingImage{photo: p, data: img.data, field: field + ".file", line: ph.FileLine})
	}
	for _, c := range d.Corrections {
		st.Corrections = append(st.Corrections, &herald.Correction{Date: c.Date, Text: c.Text})
	}
	var err error
	if pl.related, err = im.checkRelated(ctx, d, b, i, bad); err != nil {
		return nil, nil, err
	}
	if err := im.checkSlug(ctx, d, b, i, bad); err != nil {
		return nil, nil, err
	}
	return pl, problems, nil
}

// newTopic is a topic a story file names that the newsroom lacks: named
// as written, or after its slug when a slug is written. Nil when the name
// makes no slug.
func newTopic(name string) *herald.Topic {
	slug := herald.Slugify(name)
	if slug == "" {
		return nil
	}
	if name == slug {
		words := strings.Split(slug, "-")
		for i, w := range words {
			words[i] = strings.ToUpper(w[:1]) + w[1:]
		}
		name = strings.Join(words, " ")
	}
	return &herald.Topic{Slug: slug, Name: name}
}

// checkRelated resolves related slugs to stored stories or to stories
// earlier in the batch.
func (im *Importer) checkRelated(ctx context.Context, d *Draft, b *batch, i int,
	bad func(int, string, string, ...any)) ([]relatedRef, error) {
	var refs []relatedRef
	for j, slug := range d.Related {
		at := d.itemLine("related", j)
		if k, ok := b.slugs[slug]; ok {
			switch {
			case k == i:
				bad(at, "related", "a story cannot be related to itself")
			case k > i:
				bad(at, "related", "%q comes later in this import (%s); files are added in name order, so relate the later story to this one instead", slug, b.names[k])
			default:
				refs = append(refs, relatedRef{slug: slug})
			}
			continue
		}
		other, err := im.Stories.FindStoryBySlug(ctx, slug)
		switch {
		case herald.ErrorCode(err) == herald.ENOTFOUND:
			bad(at, "related", "no story %q", slug)
		case err != nil:
			return nil, fmt.Errorf("storyfile: find related story %q: %w", slug, err)
		default:
			refs = append(refs, relatedRef{id: other.ID})
		}
	}
	return refs, nil
}

// checkSlug makes sure no stored story and no earlier file of the batch
// has the draft's slug.
func (im *Importer) checkSlug(ctx context.Context, d *Draft, b *batch, i int,
	bad func(int, string, string, ...any)) error {
	at := d.slugLine()
	if k, ok := b.slugs[d.Slug]; ok && k != i {
		bad(at, "slug", "%s has the same slug %q; give one of them another slug", b.names[k], d.Slug)
		return nil
	}
	_, err := im.Stories.FindStoryBySlug(ctx, d.Slug)
	switch {
	case err == nil:
		bad(at, "slug", "another story already uses %q; give this one another slug", d.Slug)
	case herald.ErrorCode(err) != herald.ENOTFOUND:
		return fmt.Errorf("storyfile: check slug %q: %w", d.Slug, err)
	}
	return nil
}
