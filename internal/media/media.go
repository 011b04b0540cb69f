// Package media stores uploaded and imported images on disk under
// content-addressed names and serves them under /media/.
package media

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"image"
	_ "image/gif"  // registers GIF for DecodeConfig
	_ "image/jpeg" // registers JPEG
	_ "image/png"  // registers PNG
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strings"

	"github.com/herald-news/herald"
	_ "golang.org/x/image/webp" // registers WebP
)

// MaxImageBytes caps one image; newsroom photos are far smaller.
const MaxImageBytes = 20 << 20

// extensions maps the image formats we accept to file extensions.
var extensions = map[string]string{"png": ".png", "jpeg": ".jpg", "gif": ".gif", "webp": ".webp"}

// Store keeps images in a folder.
type Store struct {
	Dir string
	// Budget bounds the memory photos being decoded take at once; nil is
	// DefaultBudget, shared by the whole process.
	Budget *Budget
}

// Image is a stored image.
type Image struct {
	Path          string // relative to the store, as served under /media/
	Width, Height int
}

// Save stores data if it is an image Herald accepts and returns where it
// went. The same bytes always land at the same path, so saving twice is
// harmless.
func (s *Store) Save(data []byte) (Image, error) {
	if len(data) == 0 {
		return Image{}, herald.Errorf(herald.EINVALID, "The image file is empty.")
	}
	if len(data) > MaxImageBytes {
		return Image{}, herald.Errorf(herald.EINVALID, "The image is larger than %d MB.", MaxImageBytes>>20)
	}
	cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
	ext, ok := extensions[format]
	if err != nil || !ok {
		return Image{}, herald.Errorf(herald.EINVALID, "The file is not a JPEG, PNG, WebP or GIF image.")
	}
	sum := sha256.Sum256(data)
	name := hex.EncodeToString(sum[:16])
	rel := name[:2] + "/" + name + ext
	full := filepath.Join(s.Dir, filepath.FromSlash(rel))
	if _, err := os.Stat(full); err == nil {
		return Image{Path: rel, Width: cfg.Width, Height: cfg.Height}, nil
	}
	if err := s.write(rel, data); err != nil {
		return Image{}, err
	}
	return Image{Path: rel, Width: cfg.Width, Height: cfg.Height}, nil
}

// Image returns the image stored at rel, a path as Save and SavePhoto
// return it, with its size. It returns EINVALID for a path that does not
// name a file inside the store (such as "../../etc/passwd") or a file that
// is not an image, and ENOTFOUND when nothing is stored there.
func (s *Store) Image(rel string) (Image, error) {
	if !validPath(rel) {
		return Image{}, herald.Errorf(herald.EINVALID, "%q is not the path of a stored image.", rel)
	}
	f, err := os.Open(filepath.Join(s.Dir, filepath.FromSlash(rel)))
	if errors.Is(err, fs.ErrNotExist) {
		return Image{}, herald.Errorf(herald.ENOTFOUND, "No image is stored at %q.", rel)
	} else if err != nil {
		return Image{}, fmt.Errorf("media: open: %w", err)
	}
	defer f.Close()
	cfg, _, err := image.DecodeConfig(f)
	if err != nil {
		return Image{}, herald.Errorf(herald.EINVALID, "The file at %q is not an image.", rel)
	}
	return Image{Path: rel, Width: cfg.Width, Height: cfg.Height}, nil
}

// validPath reports whether rel could be a path the store made: slash
// separated and inside the store, with no ".", ".." or hidden elements
// (uploads in progress are hidden) and no backslashes.
func validPath(rel string) bool {
	return fs.ValidPath(rel) && rel != "." && !strings.HasPrefix(rel, ".") &&
		!strings.Contains(rel, "/.") && !strings.Contains(rel, `\`)
}

// write stores data at rel, relative to the store. It writes a temporary
// file then renames it, so a crash never leaves half an image in place.
func (s *Store) write(rel string, data []byte) error {
	full := filepath.Join(s.Dir, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(full), 0o750); err != nil {
		return fmt.Errorf("media: create folder: %w", err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(full), ".upload-*")
	if err != nil {
		return fmt.Errorf("media: create: %w", err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("media: write: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("media: write: %w", err)
	}
	if err := os.Rename(tmp.Name(), full); err != nil {
		return fmt.Errorf("media: store: %w", err)
	}
	return nil
}

// Handler serves stored images. Names are content hashes, so responses can
// be cached forever; folder listings are refused.
func (s *Store) Handler() http.Handler {
	files := http.FileServer(http.Dir(s.Dir))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "" || strings.HasSuffix(r.URL.Path, "/") || strings.Contains(r.URL.Path, "/.") {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
		w.Header().Set("X-Content-Type-Options", "nosniff")
		files.ServeHTTP(w, r)
	})
}
