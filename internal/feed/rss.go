package feed

import (
	"encoding/xml"
	"fmt"
	"time"
)

// Namespaces of the RSS extensions used here.
const (
	nsAtom    = "http://www.w3.org/2005/Atom"
	nsContent = "http://purl.org/rss/1.0/modules/content/"
	nsDC      = "http://purl.org/dc/elements/1.1/"
)

// encoding/xml cannot choose namespace prefixes, so the extension elements
// are named with their prefix and the prefixes are declared on <rss>.
type rssDoc struct {
	XMLName   xml.Name   `xml:"rss"`
	Version   string     `xml:"version,attr"`
	XMLNSAtom string     `xml:"xmlns:atom,attr"`
	XMLNSCont string     `xml:"xmlns:content,attr"`
	XMLNSDC   string     `xml:"xmlns:dc,attr"`
	Channel   rssChannel `xml:"channel"`
}

type rssChannel struct {
	Title         string    `xml:"title"`
	Link          string    `xml:"link"`
	Description   string    `xml:"description"`
	Language      string    `xml:"language,omitempty"`
	LastBuildDate string    `xml:"lastBuildDate,omitempty"`
	Generator     string    `xml:"generator"`
	Self          rssLink   `xml:"atom:link"`
	Items         []rssItem `xml:"item"`
}

type rssLink struct {
	Href string `xml:"href,attr"`
	Rel  string `xml:"rel,attr"`
	Type string `xml:"type,attr"`
}

type rssItem struct {
	Title       string        `xml:"title"`
	Link        string        `xml:"link"`
	GUID        rssGUID       `xml:"guid"`
	PubDate     string        `xml:"pubDate"`
	Updated     string        `xml:"atom:updated,omitempty"`
	Creators    []string      `xml:"dc:creator"`
	Categories  []string      `xml:"category"`
	Description string        `xml:"description"`
	Content     string        `xml:"content:encoded,omitempty"`
	Enclosure   *rssEnclosure `xml:"enclosure"`
}

type rssGUID struct {
	Value       string `xml:",chardata"`
	IsPermaLink string `xml:"isPermaLink,attr"`
}

// rssEnclosure's length is required; 0 is the accepted value for "unknown".
type rssEnclosure struct {
	URL    string `xml:"url,attr"`
	Length string `xml:"length,attr"`
	Type   string `xml:"type,attr"`
}

// RFC 822 dates, with four-digit years as RSS 2.0 recommends.
func rssDate(t time.Time) string { return t.UTC().Format(time.RFC1123Z) }

// RSS renders the feed as RSS 2.0. Item guids are the tag URIs, marked as
// not being links; authors go in dc:creator, since RSS's own author
// element wants an email address.
func (f *Feed) RSS() ([]byte, error) {
	doc := rssDoc{Version: "2.0", XMLNSAtom: nsAtom, XMLNSCont: nsContent, XMLNSDC: nsDC, Channel: rssChannel{
		Title: f.Title, Link: f.HomeURL, Description: f.Description, Language: f.Language,
		Generator: "Herald", Self: rssLink{Href: f.FeedURL, Rel: "self", Type: "application/rss+xml"},
	}}
	if last := f.LastUpdated(); !last.IsZero() {
		doc.Channel.LastBuildDate = rssDate(last)
	}
	for _, it := range f.Items {
		item := rssItem{Title: it.Title, Link: it.URL, GUID: rssGUID{Value: it.ID, IsPermaLink: "false"},
			PubDate: rssDate(it.Published), Description: it.Summary, Content: it.ContentHTML, Categories: it.Categories}
		if it.Updated.After(it.Published) {
			item.Updated = rfc3339(it.Updated)
		}
		for _, a := range it.Authors {
			item.Creators = append(item.Creators, a.Name)
		}
		if it.Image != nil && it.Image.Type != "" {
			item.Enclosure = &rssEnclosure{URL: it.Image.URL, Length: "0", Type: it.Image.Type}
		}
		doc.Channel.Items = append(doc.Channel.Items, item)
	}
	return marshalXML(doc)
}

// marshalXML writes v as an indented XML document with its declaration.
func marshalXML(v any) ([]byte, error) {
	out, err := xml.MarshalIndent(v, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("feed: %w", err)
	}
	return append([]byte(xml.Header), append(out, '\n')...), nil
}

func rfc3339(t time.Time) string { return t.UTC().Format(time.RFC3339) }
