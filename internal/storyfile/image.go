package storyfile

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"io/fs"
	"slices"

	"github.com/herald-news/herald/internal/media"
)

// imageFormats are the formats media.Store accepts.
var imageFormats = []string{"png", "jpeg", "gif", "webp"}

// checkedImage is a photo file that decodes as an image Herald accepts.
type checkedImage struct {
	data []byte
	cfg  image.Config
}

// readImage reads and checks a photo file without storing it; the message
// is for the editor when it is unusable.
func (im *Importer) readImage(fsys fs.FS, name, written string) (checkedImage, string) {
	if !fs.ValidPath(name) {
		return checkedImage{}, fmt.Sprintf("%q is outside the folder being imported", written)
	}
	if im.Media == nil {
		return checkedImage{}, "this import has no media store for photo files; use a url"
	}
	data, err := fs.ReadFile(fsys, name)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return checkedImage{}, fmt.Sprintf("no file %q next to the story", written)
	case err != nil:
		return checkedImage{}, fmt.Sprintf("cannot read %q: %v", written, err)
	case len(data) > media.MaxImageBytes:
		return checkedImage{}, fmt.Sprintf("%q is larger than %d MB", written, media.MaxImageBytes>>20)
	}
	cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil || !slices.Contains(imageFormats, format) {
		return checkedImage{}, fmt.Sprintf("%q is not a JPEG, PNG, WebP or GIF image", written)
	}
	return checkedImage{data: data, cfg: cfg}, ""
}
