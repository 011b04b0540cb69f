package compose

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/PuerkitoBio/goquery"
	"github.com/vanng822/go-premailer/premailer"
)

// inline makes rendered HTML ready for mail clients: links and images that
// point into the site (Markdown bodies may hold "/2026/…" links and
// "/media/…" images) become absolute, and the CSS of the <style> block is
// moved into style attributes. Rules premailer can't inline, the media
// queries for dark mode and small screens, stay in a <style> in the head.
func inline(doc string, base *url.URL, ph placeholders) (string, error) {
	d, err := goquery.NewDocumentFromReader(strings.NewReader(doc))
	if err != nil {
		return "", fmt.Errorf("compose: parse html: %w", err)
	}
	absolutize(d, "a", "href", base, ph)
	absolutize(d, "img", "src", base, ph)
	out, err := premailer.NewPremailer(d, premailer.NewOptions()).Transform()
	if err != nil {
		return "", fmt.Errorf("compose: inline css: %w", err)
	}
	return out, nil
}

// absolutize resolves the relative URLs in attr of every tag against base,
// leaving the placeholders and in-page anchors alone.
func absolutize(d *goquery.Document, tag, attr string, base *url.URL, ph placeholders) {
	d.Find(tag + "[" + attr + "]").Each(func(_ int, s *goquery.Selection) {
		v, _ := s.Attr(attr)
		if v == "" || v[0] == '#' || v == ph[slotUnsubscribe] || v == ph[slotPreferences] {
			return
		}
		u, err := url.Parse(v)
		if err != nil || u.IsAbs() {
			return
		}
		s.SetAttr(attr, base.ResolveReference(u).String())
	})
}

// bodyContent returns what is between <body …> and </body>.
func bodyContent(doc string) string {
	start := strings.Index(doc, "<body")
	if start < 0 {
		return doc
	}
	doc = doc[start:]
	if gt := strings.IndexByte(doc, '>'); gt >= 0 {
		doc = doc[gt+1:]
	}
	if end := strings.LastIndex(doc, "</body>"); end >= 0 {
		doc = doc[:end]
	}
	return strings.TrimSpace(doc)
}
