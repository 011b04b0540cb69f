// Package feed writes what the site tells machines about its stories: RSS
// 2.0, Atom and JSON Feed 1.1 feeds, sitemaps (the sitemaps.org protocol
// and Google News), and schema.org JSON-LD. It renders from values and does
// no I/O; the site's handlers decide which stories go in.
package feed

import (
	"net/url"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/herald-news/herald"
)

// Feed is a list of items with what every format needs to describe it.
type Feed struct {
	Title       string
	Description string
	HomeURL     string // the page the feed follows, absolute
	FeedURL     string // the feed's own address, absolute
	Language    string // BCP 47, "en-US"
	Publisher   string // the site's name, the author of items that name none
	Updated     time.Time
	Items       []Item
}

// Item is one story or edition in a feed.
type Item struct {
	ID          string // stable across edits and slug changes: a tag URI
	URL         string // the item's page, absolute
	Title       string
	Summary     string // plain text
	ContentHTML string // the whole body as sanitised HTML; empty for summary feeds
	Authors     []Author
	Published   time.Time
	Updated     time.Time // the published time when never edited
	Categories  []string
	Image       *Image
}

// Author is who wrote an item, with the address of their page.
type Author struct {
	Name string
	URL  string
}

// Image is a picture that goes with an item.
type Image struct {
	URL  string // absolute
	Type string // media type, "image/jpeg"; empty when unknown
	Alt  string
}

// LastUpdated is the newest item time, or f.Updated when there are no items.
func (f *Feed) LastUpdated() time.Time {
	var last time.Time
	for _, it := range f.Items {
		if it.Updated.After(last) {
			last = it.Updated
		}
	}
	if last.IsZero() {
		return f.Updated
	}
	return last
}

// StoryItem turns a story into a feed item; full puts the whole sanitised
// body in the item, otherwise only its summary goes out.
func StoryItem(st *herald.Story, base string, full bool) Item {
	it := Item{
		ID:        StoryID(base, st),
		URL:       base + st.Path(),
		Title:     st.Headline,
		Summary:   st.CardSummary(),
		Published: st.PublishedAt,
		Updated:   st.ShownTime(),
	}
	if full {
		it.ContentHTML = string(herald.ParseBody(st.Body).HTML())
	}
	for _, a := range st.Authors {
		it.Authors = append(it.Authors, Author{Name: a.Name, URL: base + a.Path()})
	}
	if st.Section != nil {
		it.Categories = append(it.Categories, st.Section.Name)
	}
	for _, t := range st.Topics {
		it.Categories = append(it.Categories, t.Name)
	}
	if st.Photo != nil && st.Photo.Src() != "" {
		it.Image = &Image{URL: Absolute(base, st.Photo.Src()), Type: ImageType(st.Photo.Src()), Alt: st.Photo.Alt}
	}
	return it
}

// StoryID is a story's permanent identifier, a tag URI (RFC 4151) made of
// the site's host, the day the story was created and its number, so that
// neither a new slug nor a new publish time makes readers see it twice.
func StoryID(base string, st *herald.Story) string {
	day := st.CreatedAt
	if day.IsZero() {
		day = st.PublishedAt
	}
	return TagURI(base, day, "/story/"+strconv.FormatInt(st.ID, 10))
}

// TagURI is "tag:HOST,YYYY-MM-DD:SPECIFIC" for the host of base.
func TagURI(base string, day time.Time, specific string) string {
	host := base
	if u, err := url.Parse(base); err == nil && u.Hostname() != "" {
		host = strings.ToLower(u.Hostname())
	}
	return "tag:" + host + "," + day.UTC().Format("2006-01-02") + ":" + specific
}

// Absolute makes a site path ("/media/…") absolute on base; URLs that are
// already absolute pass through.
func Absolute(base, ref string) string {
	if strings.HasPrefix(ref, "/") && !strings.HasPrefix(ref, "//") {
		return base + ref
	}
	return ref
}

// imageTypes are the media types of the image files the site serves.
var imageTypes = map[string]string{
	".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png", ".gif": "image/gif",
	".webp": "image/webp", ".avif": "image/avif", ".svg": "image/svg+xml",
}

// ImageType guesses an image's media type from its file name; "" when the
// name does not tell.
func ImageType(src string) string {
	if u, err := url.Parse(src); err == nil {
		src = u.Path
	}
	return imageTypes[strings.ToLower(path.Ext(src))]
}

// EditionItem turns a sent edition into a feed item linking to its archive
// page; contentHTML is the archived edition, or empty for summary feeds.
func EditionItem(ed *herald.Edition, base string, contentHTML string) Item {
	day := ed.CreatedAt
	if day.IsZero() {
		day = ed.Date
	}
	it := Item{
		ID:          TagURI(base, day, "/edition/"+strconv.FormatInt(ed.ID, 10)),
		URL:         base + ed.ArchivePath(),
		Title:       ed.Subject,
		Summary:     ed.Preheader,
		ContentHTML: contentHTML,
		Published:   SentAt(ed),
		Updated:     SentAt(ed),
	}
	if it.Summary == "" {
		it.Summary = ed.BrevityCount()
	}
	if c := ed.Newsletter.Curator; c != nil {
		it.Authors = []Author{{Name: c.Name, URL: base + c.Path()}}
	}
	return it
}

// SentAt is when an edition went out: when its send finished, else when
// it started, else its date.
func SentAt(ed *herald.Edition) time.Time {
	switch {
	case !ed.FinishedAt.IsZero():
		return ed.FinishedAt
	case !ed.StartedAt.IsZero():
		return ed.StartedAt
	}
	return ed.Date
}
