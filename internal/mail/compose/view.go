package compose

import (
	"bytes"
	"embed"
	htmltemplate "html/template"
	"strconv"
	"strings"
	texttemplate "text/template"

	"github.com/herald-news/herald"
)

//go:embed templates
var templateFS embed.FS

// htmlTemplate and textTemplate are parsed once; executing them is safe for
// concurrent use.
var (
	htmlTemplate = htmltemplate.Must(htmltemplate.ParseFS(templateFS, "templates/edition.html"))
	textTemplate = texttemplate.Must(texttemplate.New("edition.txt").Funcs(texttemplate.FuncMap{
		"wrap": func(s string) string { return wrap(s, textWidth, "", "") },
		"rule": func() string { return strings.Repeat("-", textWidth) },
	}).ParseFS(templateFS, "templates/edition.txt"))
)

// preheaderPad follows the preheader so that mail clients don't fill the
// preview line with the start of the body: invisible joiners and spaces.
var preheaderPad = htmltemplate.HTML(strings.Repeat("&#847;&zwnj;&nbsp;", 24))

// Outlook for Windows ignores max-width, so it gets a fixed 600px table
// that other clients never see. html/template drops comments in templates,
// hence these values.
const (
	msoOpen  = htmltemplate.HTML(`<!--[if mso]><table role="presentation" width="600" align="center" cellpadding="0" cellspacing="0" border="0"><tr><td><![endif]-->`)
	msoClose = htmltemplate.HTML(`<!--[if mso]></td></tr></table><![endif]-->`)
)

// view is what both templates show.
type view struct {
	Lang, Subject, Preheader string
	PreheaderPad             htmltemplate.HTML
	MSOOpen, MSOClose        htmltemplate.HTML
	SiteName, NewsletterName string
	Date, BrevityCount       string
	Items                    []itemView // the opening ("1 big thing") first
	PostalLines              []string
	ArchiveURL, SubscribeURL string
	// Archive is set for the public web page: no preheader, no personal links.
	Archive bool
	// UnsubscribeURL and PreferencesURL are placeholders replaced per reader.
	UnsubscribeURL, PreferencesURL string
}

// itemView is the opening or one numbered item.
type itemView struct {
	Number       int
	Big          bool // the opening: "1 big thing"
	Headline     string
	TextHeadline string // the headline as the text part shows it, wrapped
	HTML         htmltemplate.HTML
	Text         string // the body as wrapped plain text
	URL          string
}

// newView gathers what the templates need from site and ed.
func newView(site *herald.Site, ed *herald.Edition, baseURL string) *view {
	nl := ed.Newsletter
	v := &view{
		Lang:           site.Language,
		Subject:        ed.Subject,
		Preheader:      ed.Preheader,
		PreheaderPad:   preheaderPad,
		MSOOpen:        msoOpen,
		MSOClose:       msoClose,
		SiteName:       site.Name,
		NewsletterName: nl.Name,
		// ed.Date is the newsletter's calendar date at 00:00 UTC.
		Date:         ed.Date.UTC().Format("Monday, January 2, 2006"),
		BrevityCount: ed.BrevityCount(),
		ArchiveURL:   baseURL + ed.ArchivePath(),
		SubscribeURL: baseURL + nl.Path(),
	}
	if v.Lang == "" {
		v.Lang = "en"
	}
	for _, line := range strings.Split(site.PostalAddress, "\n") {
		if line = strings.TrimSpace(line); line != "" {
			v.PostalLines = append(v.PostalLines, line)
		}
	}
	n := 0
	if op := ed.Opening; op.Headline != "" || strings.TrimSpace(op.Body) != "" {
		n++
		v.Items = append(v.Items, newItemView(op, n, true))
	}
	for _, it := range ed.Items {
		n++
		v.Items = append(v.Items, newItemView(it, n, false))
	}
	return v
}

// newItemView renders one item's body as HTML and as text.
func newItemView(it herald.EditionItem, n int, big bool) itemView {
	head := strconv.Itoa(n) + ". " + it.Headline
	if big {
		head = "1 big thing: " + it.Headline
	}
	return itemView{
		Number:       n,
		Big:          big,
		Headline:     it.Headline,
		TextHeadline: wrap(head, textWidth, "", ""),
		HTML:         herald.RenderMarkdown(it.Body),
		Text:         markdownText(it.Body),
		URL:          it.URL,
	}
}

// executeHTML runs the HTML template.
func executeHTML(v *view) (string, error) {
	var b bytes.Buffer
	if err := htmlTemplate.Execute(&b, v); err != nil {
		return "", err
	}
	return b.String(), nil
}

// executeText runs the text template.
func executeText(v *view) (string, error) {
	var b bytes.Buffer
	if err := textTemplate.Execute(&b, v); err != nil {
		return "", err
	}
	return b.String(), nil
}
