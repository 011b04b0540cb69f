package feed

import "github.com/herald-news/herald"

// schemaContext is the @context of every JSON-LD document here.
const schemaContext = "https://schema.org"

// The types below are schema.org things as search engines read them from
// JSON-LD. Pages embed them through html/template, whose JSON encoding
// escapes <, > and &, so no text in them can end the script element.

// NewsArticle is a story as schema.org describes it.
type NewsArticle struct {
	Context          string              `json:"@context"`
	Type             string              `json:"@type"`
	Headline         string              `json:"headline"`
	Description      string              `json:"description,omitempty"`
	URL              string              `json:"url"`
	MainEntityOfPage WebPage             `json:"mainEntityOfPage"`
	Image            []ImageObject       `json:"image,omitempty"`
	DatePublished    string              `json:"datePublished"`
	DateModified     string              `json:"dateModified"`
	Author           []Person            `json:"author"`
	Publisher        Organization        `json:"publisher"`
	ArticleSection   string              `json:"articleSection,omitempty"`
	Keywords         []string            `json:"keywords,omitempty"`
	InLanguage       string              `json:"inLanguage,omitempty"`
	Correction       []CorrectionComment `json:"correction,omitempty"`
}

// WebPage names the page an article is the main content of.
type WebPage struct {
	Type string `json:"@type"`
	ID   string `json:"@id"`
}

// ImageObject is a photo with its caption and credit.
type ImageObject struct {
	Type       string `json:"@type"`
	URL        string `json:"url"`
	Caption    string `json:"caption,omitempty"`
	CreditText string `json:"creditText,omitempty"`
	Width      int    `json:"width,omitempty"`
	Height     int    `json:"height,omitempty"`
}

// Person is an author.
type Person struct {
	Type        string `json:"@type"`
	Name        string `json:"name"`
	URL         string `json:"url,omitempty"`
	JobTitle    string `json:"jobTitle,omitempty"`
	Description string `json:"description,omitempty"`
	Image       string `json:"image,omitempty"`
}

// Organization is the publisher: the site.
type Organization struct {
	Type string `json:"@type"`
	Name string `json:"name"`
	URL  string `json:"url"`
}

// CorrectionComment is a correction note on an article.
type CorrectionComment struct {
	Type          string `json:"@type"`
	Text          string `json:"text"`
	DatePublished string `json:"datePublished"`
}

// ProfilePage is an author's page, about them.
type ProfilePage struct {
	Context    string `json:"@context"`
	Type       string `json:"@type"`
	URL        string `json:"url"`
	MainEntity Person `json:"mainEntity"`
}

// Article describes a story on the site at base (absolute, no trailing
// slash) for search engines.
func Article(st *herald.Story, site *herald.Site, base string) NewsArticle {
	canonical := base + st.Path()
	a := NewsArticle{
		Context: schemaContext, Type: "NewsArticle", Headline: st.Headline, Description: st.CardSummary(),
		URL: canonical, MainEntityOfPage: WebPage{Type: "WebPage", ID: canonical},
		DatePublished: rfc3339(st.PublishedAt), DateModified: rfc3339(st.ShownTime()),
		Author:     []Person{},
		Publisher:  Organization{Type: "Organization", Name: site.Name, URL: base + "/"},
		InLanguage: site.Language,
	}
	photos := st.Gallery
	if st.Photo != nil {
		photos = append([]*herald.Photo{st.Photo}, photos...)
	}
	for _, p := range photos {
		if p.Src() == "" {
			continue
		}
		a.Image = append(a.Image, ImageObject{Type: "ImageObject", URL: Absolute(base, p.Src()),
			Caption: p.Caption, CreditText: p.Credit, Width: p.Width, Height: p.Height})
	}
	for _, au := range st.Authors {
		a.Author = append(a.Author, Person{Type: "Person", Name: au.Name, URL: base + au.Path()})
	}
	if st.Section != nil {
		a.ArticleSection = st.Section.Name
	}
	for _, t := range st.Topics {
		a.Keywords = append(a.Keywords, t.Name)
	}
	for _, c := range st.Corrections {
		a.Correction = append(a.Correction, CorrectionComment{Type: "CorrectionComment", Text: c.Text, DatePublished: rfc3339(c.Date)})
	}
	return a
}

// Profile describes an author's page for search engines.
func Profile(au *herald.Author, base string) ProfilePage {
	p := Person{Type: "Person", Name: au.Name, URL: base + au.Path(), JobTitle: au.Title, Description: au.Bio}
	if au.Photo != nil && au.Photo.Src() != "" {
		p.Image = Absolute(base, au.Photo.Src())
	}
	return ProfilePage{Context: schemaContext, Type: "ProfilePage", URL: base + au.Path(), MainEntity: p}
}
