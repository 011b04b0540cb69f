package feed

import "encoding/xml"

type atomFeed struct {
	XMLName   xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	Lang      string      `xml:"xml:lang,attr,omitempty"`
	ID        string      `xml:"id"`
	Title     string      `xml:"title"`
	Subtitle  string      `xml:"subtitle,omitempty"`
	Updated   string      `xml:"updated"`
	Links     []atomLink  `xml:"link"`
	Author    atomPerson  `xml:"author"`
	Generator string      `xml:"generator"`
	Entries   []atomEntry `xml:"entry"`
}

type atomLink struct {
	Href  string `xml:"href,attr"`
	Rel   string `xml:"rel,attr"`
	Type  string `xml:"type,attr,omitempty"`
	Title string `xml:"title,attr,omitempty"`
}

type atomPerson struct {
	Name string `xml:"name"`
	URI  string `xml:"uri,omitempty"`
}

type atomText struct {
	Type string `xml:"type,attr"`
	Body string `xml:",chardata"`
}

type atomCategory struct {
	Term string `xml:"term,attr"`
}

type atomEntry struct {
	ID         string         `xml:"id"`
	Title      string         `xml:"title"`
	Published  string         `xml:"published"`
	Updated    string         `xml:"updated"`
	Authors    []atomPerson   `xml:"author"`
	Links      []atomLink     `xml:"link"`
	Categories []atomCategory `xml:"category"`
	Summary    *atomText      `xml:"summary"`
	Content    *atomText      `xml:"content"`
}

// Atom renders the feed as Atom (RFC 4287). The feed's id is its own
// address; entries take the item's tag URI, and the site is the author of
// entries that name none.
func (f *Feed) Atom() ([]byte, error) {
	doc := atomFeed{Lang: f.Language, ID: f.FeedURL, Title: f.Title, Subtitle: f.Description,
		Updated: rfc3339(f.LastUpdated()), Author: atomPerson{Name: f.Publisher}, Generator: "Herald",
		Links: []atomLink{
			{Href: f.FeedURL, Rel: "self", Type: "application/atom+xml"},
			{Href: f.HomeURL, Rel: "alternate", Type: "text/html"},
		}}
	for _, it := range f.Items {
		e := atomEntry{ID: it.ID, Title: it.Title, Published: rfc3339(it.Published), Updated: rfc3339(it.Updated),
			Links: []atomLink{{Href: it.URL, Rel: "alternate", Type: "text/html"}}}
		for _, a := range it.Authors {
			e.Authors = append(e.Authors, atomPerson{Name: a.Name, URI: a.URL})
		}
		for _, c := range it.Categories {
			e.Categories = append(e.Categories, atomCategory{Term: c})
		}
		if it.Summary != "" {
			e.Summary = &atomText{Type: "text", Body: it.Summary}
		}
		if it.ContentHTML != "" {
			e.Content = &atomText{Type: "html", Body: it.ContentHTML}
		}
		if it.Image != nil {
			e.Links = append(e.Links, atomLink{Href: it.Image.URL, Rel: "enclosure", Type: it.Image.Type, Title: it.Image.Alt})
		}
		doc.Entries = append(doc.Entries, e)
	}
	return marshalXML(doc)
}
