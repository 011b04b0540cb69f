package storyfile

import (
	"net/url"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/herald-news/herald"
	"go.yaml.in/yaml/v3"
)

// fill reads the front matter keys into the draft and checks what can be
// checked without the newsroom.
func (p *parser) fill(f map[string]*yaml.Node) *FileError {
	d := p.d
	var fe *FileError
	text := func(key string) string {
		var s string
		if fe == nil {
			s, fe = p.str(f[key], key)
		}
		return s
	}
	texts := func(key string) []string {
		var vals []string
		if fe == nil {
			vals, d.items[key], fe = p.list(f[key], key)
		}
		return vals
	}
	d.Headline, d.Slug, d.Summary = text("headline"), text("slug"), text("summary")
	kind, status := text("kind"), text("status")
	d.Section, d.City = text("section"), text("city")
	published, updated := text("published"), text("updated")
	d.Topics, d.Authors, d.Related = texts("topics"), texts("authors"), texts("related")
	if fe != nil {
		return fe
	}
	if fe := p.checkHeadline(); fe != nil {
		return fe
	}
	d.Kind = herald.StoryKind(strings.ToLower(kind))
	if kind == "" {
		d.Kind = herald.KindNews
	} else if !d.Kind.Valid() {
		return p.errf(d.Line("kind"), "kind", "%q is not a kind; use news, analysis, opinion or gallery", kind)
	}
	switch d.Status = herald.StoryStatus(strings.ToLower(status)); d.Status {
	case "":
		d.Status = herald.StatusPublished
	case herald.StatusDraft, herald.StatusPublished:
	case herald.StatusScheduled:
		return p.errf(d.Line("status"), "status", "to schedule a story, use published with a future published time")
	default:
		return p.errf(d.Line("status"), "status", "%q is not a status; use draft or published", status)
	}
	switch {
	case d.Section == "":
		return p.errf(d.Line("section"), "section", "a story needs a section, like section: politics")
	case len(d.Authors) == 0:
		return p.errf(d.Line("authors"), "authors", "a story needs at least one author, like authors: [maya-okafor]")
	}
	if fe := p.photos(f["photo"], f["gallery"]); fe != nil {
		return fe
	}
	if fe := p.times(published, updated); fe != nil {
		return fe
	}
	return p.corrections(f["corrections"])
}

// checkHeadline checks the headline and the slug, making the slug from the
// headline when none is given.
func (p *parser) checkHeadline() *FileError {
	d := p.d
	switch {
	case d.Headline == "":
		return p.errf(d.Line("headline"), "headline", "a story needs a headline")
	case len([]rune(d.Headline)) > maxHeadline:
		return p.errf(d.Line("headline"), "headline", "keep it under %d characters (it has %d)", maxHeadline, len([]rune(d.Headline)))
	case d.Slug != "" && !herald.ValidSlug(d.Slug):
		return p.errf(d.Line("slug"), "slug", "%q is not a slug; use lower-case letters, digits and hyphens, like %s",
			d.Slug, herald.Slugify(d.Slug))
	case d.Slug == "":
		if d.Slug = herald.Slugify(d.Headline); d.Slug == "" {
			return p.errf(d.Line("headline"), "headline", "has no letters or digits to make a slug from; add a slug key")
		}
	}
	return nil
}

// photos reads the lead photo and the gallery.
func (p *parser) photos(lead, gallery *yaml.Node) *FileError {
	d := p.d
	if lead != nil && lead.Tag != "!!null" {
		ph, fe := p.photo(lead, d.Line("photo"), "photo", "the photo")
		if fe != nil {
			return fe
		}
		d.Photo = ph
	}
	if gallery != nil && gallery.Tag != "!!null" {
		if d.Kind != herald.KindGallery {
			return p.errf(d.Line("gallery"), "gallery", "only gallery stories (kind: gallery) have a gallery; use photo for a lead photo")
		}
		if gallery.Kind != yaml.SequenceNode {
			return p.errf(line(gallery), "gallery", "expected a list of photos, each starting with \"- file:\" or \"- url:\"")
		}
		for i, item := range gallery.Content {
			ph, fe := p.photo(deref(item), line(item), "gallery", "gallery photo "+strconv.Itoa(i+1))
			if fe != nil {
				return fe
			}
			d.Gallery = append(d.Gallery, ph)
		}
	}
	if d.Kind == herald.KindGallery && len(d.Gallery) == 0 {
		at := d.Line("gallery")
		if _, ok := d.Lines["gallery"]; !ok {
			at = d.Line("kind")
		}
		return p.errf(at, "gallery", "a gallery story needs at least one photo under gallery")
	}
	return nil
}

// photo reads one photo; field names it in messages ("photo", "gallery").
func (p *parser) photo(n *yaml.Node, at int, field, what string) (*PhotoDraft, *FileError) {
	lines := map[string]int{}
	f, fe := p.fields(n, field+".", photoKeys, lines)
	if fe != nil {
		return nil, fe
	}
	vals := map[string]string{}
	for _, key := range photoKeys {
		if vals[key], fe = p.str(f[key], field+"."+key); fe != nil {
			return nil, fe
		}
	}
	ph := &PhotoDraft{File: vals["file"], URL: vals["url"], Alt: vals["alt"], Caption: vals["caption"], Credit: vals["credit"],
		Line: at, FileLine: at}
	if lines["file"] > 0 {
		ph.FileLine = lines["file"]
	}
	switch {
	case ph.File != "" && ph.URL != "":
		return nil, p.errf(at, field, "%s has both a file and a url; give one", what)
	case ph.File == "" && ph.URL == "":
		return nil, p.errf(at, field, "%s needs a file (a path next to the story) or a url", what)
	case ph.File != "" && (path.IsAbs(ph.File) || strings.Contains(ph.File, `\`)):
		return nil, p.errf(ph.FileLine, field+".file", "give a path relative to the story file, with / between folders")
	case ph.URL != "" && !webURL(ph.URL):
		return nil, p.errf(lines["url"], field+".url", "%q is not a web address starting with https:// or http://", ph.URL)
	case ph.Alt == "":
		return nil, p.errf(at, field+".alt", "%s needs alt text that describes it for readers who cannot see it", what)
	case ph.Credit == "":
		return nil, p.errf(at, field+".credit", "%s needs a credit, like \"Jo Lee/The Herald\"", what)
	}
	return ph, nil
}

// webURL reports whether s is an absolute http or https address.
func webURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != ""
}

// times reads the published and updated times and settles the status.
func (p *parser) times(published, updated string) *FileError {
	d := p.d
	var err error
	if d.Status == herald.StatusDraft && published != "" {
		return p.errf(d.Line("published"), "published", "a draft has no publish time; remove it, or set status: published")
	}
	if d.Status == herald.StatusDraft && updated != "" {
		return p.errf(d.Line("updated"), "updated", "a draft has not been published, so it has no update time")
	}
	d.PublishedAt = p.now
	if published != "" {
		if d.PublishedAt, err = parseTime(published, p.now); err != nil {
			return p.errf(d.Line("published"), "published", "%v", err)
		}
	}
	if d.Status == herald.StatusDraft {
		d.PublishedAt = time.Time{}
	} else if d.PublishedAt.After(p.now) {
		d.Status = herald.StatusScheduled
	}
	if updated != "" {
		if d.UpdatedAt, err = parseTime(updated, p.now); err != nil {
			return p.errf(d.Line("updated"), "updated", "%v", err)
		}
		if d.UpdatedAt.Before(d.PublishedAt) {
			return p.errf(d.Line("updated"), "updated", "%s is before the publish time %s",
				d.UpdatedAt.Format(time.RFC3339), d.PublishedAt.Format(time.RFC3339))
		}
	}
	return nil
}

// corrections reads the list of corrections.
func (p *parser) corrections(n *yaml.Node) *FileError {
	if n == nil || n.Tag == "!!null" {
		return nil
	}
	if n.Kind != yaml.SequenceNode {
		return p.errf(line(n), "corrections", "expected a list, each item starting with \"- date:\" or \"- text:\"")
	}
	for _, item := range n.Content {
		lines := map[string]int{}
		f, fe := p.fields(deref(item), "corrections.", correctionKeys, lines)
		if fe != nil {
			return fe
		}
		c := &CorrectionDraft{Line: line(item)}
		date, fe := p.str(f["date"], "corrections.date")
		if fe != nil {
			return fe
		}
		if c.Text, fe = p.str(f["text"], "corrections.text"); fe != nil {
			return fe
		}
		if c.Text == "" {
			return p.errf(c.Line, "corrections.text", "a correction needs a text saying what was wrong")
		}
		if date != "" {
			var err error
			if c.Date, err = parseTime(date, p.now); err != nil {
				return p.errf(lines["date"], "corrections.date", "%v", err)
			}
		}
		p.d.Corrections = append(p.d.Corrections, c)
	}
	return nil
}
