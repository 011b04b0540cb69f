package site_test

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// htmlNode lets other test files walk nodes without importing html.
type htmlNode = html.Node

// doc is a parsed HTML page with tiny query helpers, enough to check what a
// reader would see without a selector library.
type doc struct{ root *html.Node }

func mustGet(t *testing.T, url string) (*http.Response, doc) {
	t.Helper()
	resp, err := noRedirect.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	root, err := html.Parse(strings.NewReader(string(body)))
	if err != nil {
		t.Fatalf("parse %s: %v", url, err)
	}
	return resp, doc{root}
}

var noRedirect = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

// match is one step of a query: a tag name, optionally ".class".
func matches(n *html.Node, sel string) bool {
	tag, class, _ := strings.Cut(sel, ".")
	if n.Type != html.ElementNode || (tag != "" && n.Data != tag) {
		return false
	}
	return class == "" || hasClass(n, class)
}

func hasClass(n *html.Node, class string) bool {
	for _, f := range strings.Fields(attr(n, "class")) {
		if f == class {
			return true
		}
	}
	return false
}

func attr(n *html.Node, name string) string {
	for _, a := range n.Attr {
		if a.Key == name {
			return a.Val
		}
	}
	return ""
}

// all returns the nodes under n matching a descendant chain such as
// "article.card time" (each step "tag", "tag.class" or ".class").
func all(n *html.Node, chain string) []*html.Node {
	nodes := []*html.Node{n}
	for _, sel := range strings.Fields(chain) {
		var next []*html.Node
		seen := map[*html.Node]bool{}
		for _, p := range nodes {
			walk(p, func(c *html.Node) {
				if c != p && matches(c, sel) && !seen[c] {
					seen[c] = true
					next = append(next, c)
				}
			})
		}
		nodes = next
	}
	return nodes
}

func walk(n *html.Node, fn func(*html.Node)) {
	fn(n)
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		walk(c, fn)
	}
}

// text is the whitespace-normalised text content of n.
func text(n *html.Node) string {
	var b strings.Builder
	walk(n, func(c *html.Node) {
		if c.Type == html.TextNode {
			b.WriteString(c.Data)
		}
	})
	return strings.Join(strings.Fields(b.String()), " ")
}

func (d doc) all(chain string) []*html.Node { return all(d.root, chain) }

func (d doc) first(t *testing.T, chain string) *html.Node {
	t.Helper()
	nodes := d.all(chain)
	if len(nodes) == 0 {
		t.Fatalf("no %q on the page", chain)
	}
	return nodes[0]
}

func (d doc) texts(chain string) []string {
	var out []string
	for _, n := range d.all(chain) {
		out = append(out, text(n))
	}
	return out
}
