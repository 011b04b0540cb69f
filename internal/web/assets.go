package web

import (
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"net/http"
)

// Assets are a surface's static files (stylesheets, scripts, icons),
// linked with a hash of their content in the query, so that browsers may
// keep them for a year and still fetch a changed file on the next release.
type Assets struct {
	files  fs.FS
	prefix string            // where the files are mounted, such as "/static/"
	urls   map[string]string // file name → URL with its content hash
	cache  string            // Cache-Control of hashed URLs
}

// NewAssets hashes every file of the folder dir of files once. They will
// be served under prefix; cache is the Cache-Control of a request for a
// hashed URL.
func NewAssets(embedded fs.FS, dir, prefix, cache string) *Assets {
	files, err := fs.Sub(embedded, dir)
	if err != nil {
		panic(err) // embedded at build time
	}
	a := &Assets{files: files, prefix: prefix, urls: map[string]string{}, cache: cache}
	entries, err := fs.ReadDir(files, ".")
	if err != nil {
		panic(err) // embedded at build time
	}
	for _, e := range entries {
		data, err := fs.ReadFile(files, e.Name())
		if err != nil {
			panic(err)
		}
		sum := sha256.Sum256(data)
		a.urls[e.Name()] = prefix + e.Name() + "?v=" + hex.EncodeToString(sum[:6])
	}
	return a
}

// URL is the address of the named file with its content hash. Templates
// name only files that exist, so an unknown name is a programming error.
func (a *Assets) URL(name string) string {
	u, ok := a.urls[name]
	if !ok {
		panic("web: no static file " + name)
	}
	return u
}

// Handler serves the files; mount it with the prefix stripped.
func (a *Assets) Handler() http.Handler {
	files := http.FileServerFS(a.files)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("v") != "" {
			w.Header().Set("Cache-Control", a.cache)
		}
		files.ServeHTTP(w, r)
	})
}
