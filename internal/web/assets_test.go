package web

import (
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"
)

func TestAssets(t *testing.T) {
	files := fstest.MapFS{"static/site.css": {Data: []byte("body{}")}, "static/app.js": {Data: []byte("1")}}
	a := NewAssets(files, "static", "/static/", "public, max-age=60")
	css := a.URL("site.css")
	if !strings.HasPrefix(css, "/static/site.css?v=") || len(css) != len("/static/site.css?v=")+12 {
		t.Fatalf("URL = %q", css)
	}
	changed := NewAssets(fstest.MapFS{"static/site.css": {Data: []byte("body{color:red}")}}, "static", "/static/", "")
	if changed.URL("site.css") == css {
		t.Error("a changed file keeps its URL: browsers would keep the old one")
	}
	w := httptest.NewRecorder()
	a.Handler().ServeHTTP(w, httptest.NewRequest("GET", "/site.css?v=x", nil))
	if w.Code != 200 || w.Body.String() != "body{}" || w.Header().Get("Cache-Control") != "public, max-age=60" {
		t.Errorf("hashed request: %d %q %q", w.Code, w.Body, w.Header().Get("Cache-Control"))
	}
	w = httptest.NewRecorder()
	a.Handler().ServeHTTP(w, httptest.NewRequest("GET", "/site.css", nil))
	if w.Header().Get("Cache-Control") != "" {
		t.Error("a request without the hash is cached for long")
	}
	defer func() {
		if recover() == nil {
			t.Error("an unknown file has a URL")
		}
	}()
	a.URL("missing.css")
}
