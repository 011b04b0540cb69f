package feed

import (
	"encoding/xml"
	"strings"
	"time"
)

// Limits of one sitemap file: the sitemaps.org protocol's, and Google
// News's.
const (
	SitemapMaxURLs     = 50000
	NewsSitemapMaxURLs = 1000
)

// Namespaces of the sitemap formats.
const (
	nsSitemap = "http://www.sitemaps.org/schemas/sitemap/0.9"
	nsNews    = "http://www.google.com/schemas/sitemap-news/0.9"
)

// URL is one page in a sitemap.
type URL struct {
	Loc     string    // absolute
	LastMod time.Time // zero when there is no honest answer
}

type urlSet struct {
	XMLName xml.Name  `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 urlset"`
	URLs    []siteURL `xml:"url"`
}

type siteURL struct {
	Loc     string `xml:"loc"`
	LastMod string `xml:"lastmod,omitempty"`
}

// Sitemap renders a urlset of the pages.
func Sitemap(urls []URL) ([]byte, error) {
	doc := urlSet{}
	for _, u := range urls {
		doc.URLs = append(doc.URLs, siteURL{Loc: u.Loc, LastMod: lastmod(u.LastMod)})
	}
	return marshalXML(doc)
}

type sitemapIndex struct {
	XMLName  xml.Name  `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 sitemapindex"`
	Sitemaps []siteURL `xml:"sitemap"`
}

// SitemapIndex renders a sitemap index of the sitemap files.
func SitemapIndex(files []URL) ([]byte, error) {
	doc := sitemapIndex{}
	for _, u := range files {
		doc.Sitemaps = append(doc.Sitemaps, siteURL{Loc: u.Loc, LastMod: lastmod(u.LastMod)})
	}
	return marshalXML(doc)
}

// NewsURL is one article in a Google News sitemap.
type NewsURL struct {
	Loc       string // absolute
	Title     string
	Published time.Time
}

type newsSet struct {
	XMLName   xml.Name  `xml:"urlset"`
	XMLNS     string    `xml:"xmlns,attr"`
	XMLNSNews string    `xml:"xmlns:news,attr"`
	URLs      []newsURL `xml:"url"`
}

type newsURL struct {
	Loc  string   `xml:"loc"`
	News newsNews `xml:"news:news"`
}

type newsNews struct {
	Publication struct {
		Name     string `xml:"news:name"`
		Language string `xml:"news:language"`
	} `xml:"news:publication"`
	PublicationDate string `xml:"news:publication_date"`
	Title           string `xml:"news:title"`
}

// NewsSitemap renders a Google News sitemap of the articles, published by
// the publication name in language (a BCP 47 tag; Google wants the ISO 639
// code, so "en-US" goes out as "en").
func NewsSitemap(name, language string, articles []NewsURL) ([]byte, error) {
	doc := newsSet{XMLNS: nsSitemap, XMLNSNews: nsNews}
	lang := newsLanguage(language)
	for _, a := range articles {
		u := newsURL{Loc: a.Loc}
		u.News.Publication.Name, u.News.Publication.Language = name, lang
		u.News.PublicationDate, u.News.Title = rfc3339(a.Published), a.Title
		doc.URLs = append(doc.URLs, u)
	}
	return marshalXML(doc)
}

// newsLanguage is the ISO 639 code Google News expects; Chinese keeps its
// script (zh-cn, zh-tw) as Google asks.
func newsLanguage(tag string) string {
	tag = strings.ToLower(strings.ReplaceAll(tag, "_", "-"))
	switch {
	case tag == "":
		return "en"
	case strings.HasPrefix(tag, "zh-tw"), strings.HasPrefix(tag, "zh-hant"), strings.HasPrefix(tag, "zh-hk"):
		return "zh-tw"
	case strings.HasPrefix(tag, "zh"):
		return "zh-cn"
	}
	primary, _, _ := strings.Cut(tag, "-")
	return primary
}

func lastmod(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return rfc3339(t)
}
