package media

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"image"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/disintegration/imaging"
	"github.com/herald-news/herald"
)

// PhotoWidths are the widths, in pixels, SavePhoto resizes a photo to for
// srcset, narrowest first.
var PhotoWidths = []int{480, 960, 1600}

// MaxPhotoPixels caps the size of a photo SavePhoto decodes: a small file can
// claim enormous dimensions, and every copy SavePhoto makes while turning
// and resizing takes 4 bytes a pixel. MaxDecodedBytes bounds the decoded
// photo itself, by its colour depth.
const MaxPhotoPixels = 40_000_000

// photoJPEGQuality is the quality of the JPEGs SavePhoto writes.
const photoJPEGQuality = 82

// Photo is an uploaded photo as stored: the full-size image and its
// narrower variants.
type Photo struct {
	Image                   // the full-size photo
	Variants map[int]string // width → path, only widths narrower than the photo
}

// SavePhoto stores an uploaded JPEG, PNG or WebP photo at full size and at
// each of PhotoWidths narrower than it (never enlarged), and returns where
// they went. It returns EINVALID, with a message for the editor, for files
// that are too large, are not such an image, or cannot be decoded, and
// EUNAVAILABLE when other photos hold the memory budget for too long.
//
// Decoding and resizing run within the store's memory budget (Store.Budget,
// or DefaultBudget): the bytes the photo will need are reserved first, from
// its dimensions and colour depth, so a burst of uploads waits its turn
// instead of multiplying the memory taken.
//
// The photo is sniffed from its content, not its name. Every version is
// re-encoded, which turns it upright by its EXIF orientation and drops its
// metadata (such as where it was taken, which can expose a source): JPEG
// stays JPEG, PNG stays PNG, WebP becomes JPEG, or PNG when it has
// transparency. Names derive from the full-size file's hash, as with Save;
// the variants sit beside it (ab/abcd….jpg, ab/abcd…-960.jpg), so
// Variants finds them from the path alone.
func (s *Store) SavePhoto(ctx context.Context, data []byte) (Photo, error) {
	if len(data) == 0 {
		return Photo{}, herald.Errorf(herald.EINVALID, "The photo file is empty.")
	}
	if len(data) > MaxImageBytes {
		return Photo{}, herald.Errorf(herald.EINVALID, "The photo is %d MB; the limit is %d MB.", (len(data)+1<<20-1)>>20, MaxImageBytes>>20)
	}
	cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil || (format != "jpeg" && format != "png" && format != "webp") {
		return Photo{}, herald.Errorf(herald.EINVALID, "This file is not a JPEG, PNG or WebP image.")
	}
	if cfg.Width <= 0 || cfg.Height <= 0 || int64(cfg.Width)*int64(cfg.Height) > MaxPhotoPixels {
		return Photo{}, herald.Errorf(herald.EINVALID, "The photo is %d × %d pixels; the limit is %d megapixels.",
			cfg.Width, cfg.Height, MaxPhotoPixels/1_000_000)
	}
	decoded, need := photoCost(cfg, format)
	if decoded > MaxDecodedBytes {
		return Photo{}, herald.Errorf(herald.EINVALID, "%s", tooMuchMemory(cfg, decoded))
	}
	release, err := s.budget().reserve(ctx, need)
	if err != nil {
		return Photo{}, err
	}
	defer release()
	img, err := imaging.Decode(bytes.NewReader(data), imaging.AutoOrientation(true))
	if err != nil {
		return Photo{}, herald.Errorf(herald.EINVALID, "The photo could not be read; the file may be damaged or incomplete.")
	}

	enc, ext := imaging.JPEG, ".jpg"
	if format == "png" || (format == "webp" && !isOpaque(img)) {
		enc, ext = imaging.PNG, ".png"
	}
	full, err := encodePhoto(img, enc)
	if err != nil {
		return Photo{}, err
	}
	sum := sha256.Sum256(full)
	name := hex.EncodeToString(sum[:16])
	b := img.Bounds()
	p := Photo{Image: Image{Path: name[:2] + "/" + name + ext, Width: b.Dx(), Height: b.Dy()}, Variants: map[int]string{}}

	// Widest first, each resized from the one before: one pass over the
	// full-size pixels instead of one per width.
	src := img
	for i := len(PhotoWidths) - 1; i >= 0; i-- {
		w := PhotoWidths[i]
		if w >= p.Width {
			continue
		}
		if err := ctx.Err(); err != nil {
			return Photo{}, fmt.Errorf("media: resize: %w", err)
		}
		src = imaging.Resize(src, w, 0, imaging.Lanczos)
		rel := VariantPath(p.Path, w)
		if err := s.writePhoto(rel, src, enc); err != nil {
			return Photo{}, err
		}
		p.Variants[w] = rel
	}
	// The full-size file goes last: once it exists, so do its variants.
	if !s.exists(p.Path) {
		if err := s.write(p.Path, full); err != nil {
			return Photo{}, err
		}
	}
	return p, nil
}

// budget is the store's memory budget for decoding photos.
func (s *Store) budget() *Budget {
	if s.Budget != nil {
		return s.Budget
	}
	return DefaultBudget
}

// VariantPath returns where the variant of width w of the photo at p is
// stored: "ab/abcd….jpg" → "ab/abcd…-960.jpg".
func VariantPath(p string, w int) string {
	ext := path.Ext(p)
	return strings.TrimSuffix(p, ext) + "-" + strconv.Itoa(w) + ext
}

// Variants returns the stored variants of the photo at p, width → path; it
// is empty for images stored by Save, which keeps no variants.
func (s *Store) Variants(p string) map[int]string {
	v := map[int]string{}
	if !validPath(p) {
		return v
	}
	for _, w := range PhotoWidths {
		if rel := VariantPath(p, w); s.exists(rel) {
			v[w] = rel
		}
	}
	return v
}

// Srcset returns the srcset attribute of the photo at p, width pixels wide,
// with its URLs under /media/ (as herald.Photo.Src has them); "" when the
// photo has no variants.
func (s *Store) Srcset(p string, width int) string {
	variants := s.Variants(p)
	if len(variants) == 0 {
		return ""
	}
	var parts []string
	for _, w := range PhotoWidths {
		if rel, ok := variants[w]; ok && (width <= 0 || w < width) {
			parts = append(parts, "/media/"+rel+" "+strconv.Itoa(w)+"w")
		}
	}
	if width > 0 {
		parts = append(parts, "/media/"+p+" "+strconv.Itoa(width)+"w")
	}
	return strings.Join(parts, ", ")
}

// writePhoto encodes img and stores it at rel, unless it is there already.
func (s *Store) writePhoto(rel string, img image.Image, enc imaging.Format) error {
	if s.exists(rel) {
		return nil
	}
	data, err := encodePhoto(img, enc)
	if err != nil {
		return err
	}
	return s.write(rel, data)
}

// exists reports whether a file is stored at rel.
func (s *Store) exists(rel string) bool {
	_, err := os.Stat(filepath.Join(s.Dir, filepath.FromSlash(rel)))
	return err == nil
}

// encodePhoto encodes img as JPEG or PNG.
func encodePhoto(img image.Image, enc imaging.Format) ([]byte, error) {
	var buf bytes.Buffer
	if err := imaging.Encode(&buf, img, enc, imaging.JPEGQuality(photoJPEGQuality)); err != nil {
		return nil, fmt.Errorf("media: encode: %w", err)
	}
	return buf.Bytes(), nil
}

// isOpaque reports whether img has no transparent or translucent pixel.
func isOpaque(img image.Image) bool {
	o, ok := img.(interface{ Opaque() bool })
	return ok && o.Opaque()
}
