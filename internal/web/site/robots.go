package site

import (
	"net/http"
	"strings"
)

// disallowed are the paths crawlers should leave alone: personal email
// links, forms, the development inbox and the API.
var disallowed = []string{"/dev/", "/confirm/", "/unsubscribe/", "/preferences/", "/subscribe", "/api/"}

// robots serves /robots.txt: everything else may be crawled, and the
// sitemaps say where the stories are.
func (h *Handler) robots(w http.ResponseWriter, r *http.Request) {
	var b strings.Builder
	b.WriteString("User-agent: *\n")
	for _, p := range disallowed {
		b.WriteString("Disallow: " + p + "\n")
	}
	b.WriteString("Allow: /\n\n")
	b.WriteString("Sitemap: " + h.BaseURL + "/sitemap.xml\n")
	b.WriteString("Sitemap: " + h.BaseURL + "/sitemaps/news.xml\n")
	serveDocument(w, r, "text/plain", []byte(b.String()))
}
