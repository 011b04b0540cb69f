package media_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"maps"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/internal/media"
)

// photo returns an opaque w×h gradient, encoded by enc.
func photo(t *testing.T, w, h int, enc func(*bytes.Buffer, image.Image) error) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, color.RGBA{uint8(x), uint8(y), 128, 255})
		}
	}
	var buf bytes.Buffer
	if err := enc(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func encJPEG(b *bytes.Buffer, img image.Image) error { return jpeg.Encode(b, img, nil) }
func encPNG(b *bytes.Buffer, img image.Image) error  { return png.Encode(b, img) }
func encGIF(b *bytes.Buffer, img image.Image) error  { return gif.Encode(b, img, nil) }

// webpOf returns a lossless WebP of w×h pixels of one colour. Go has no WebP
// encoder, but VP8L needs no bits at all for pixels when each of its five
// prefix codes has a single symbol, so a few bytes make an image of any size.
func webpOf(w, h int, c color.NRGBA) []byte {
	var acc uint64
	var n uint
	var out []byte
	put := func(v uint64, bits uint) {
		acc |= v << n
		for n += bits; n >= 8; n -= 8 {
			out, acc = append(out, byte(acc)), acc>>8
		}
	}
	put(0x2f, 8)
	put(uint64(w-1), 14)
	put(uint64(h-1), 14)
	put(1, 1) // alpha hint
	put(0, 3) // version
	put(0, 3) // no transform, no colour cache, no meta prefix codes
	for _, sym := range []uint8{c.G, c.R, c.B, c.A} {
		put(1|0<<1|1<<2|uint64(sym)<<3, 11) // simple code: one 8-bit symbol
	}
	put(1, 4) // distance code: simple, one 1-bit symbol, 0
	out = append(out, byte(acc), 0, 0, 0)
	chunk := binary.LittleEndian.AppendUint32([]byte("VP8L"), uint32(len(out)))
	chunk = append(chunk, out...)
	riff := binary.LittleEndian.AppendUint32([]byte("RIFF"), uint32(4+len(chunk)))
	return append(append(riff, "WEBP"...), chunk...)
}

// withOrientation inserts an EXIF APP1 segment with orientation o after the
// JPEG's start-of-image marker.
func withOrientation(jpg []byte, o byte) []byte {
	exif := append([]byte("Exif\x00\x00MM\x00\x2a\x00\x00\x00\x08\x00\x01"),
		0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, o, 0, 0, 0, 0, 0, 0)
	seg := binary.BigEndian.AppendUint16([]byte{0xff, 0xe1}, uint16(len(exif)+2))
	return slices.Concat(jpg[:2], seg, exif, jpg[2:])
}

// pngBomb is a PNG header claiming w×h 8-bit RGB pixels, with no pixels
// after it.
func pngBomb(w, h uint32) []byte { return pngHeader(w, h, 8, 2) }

// pngHeader is a PNG header claiming w×h pixels of a bit depth and colour
// type (2 RGB, 6 RGBA), with no pixels after it.
func pngHeader(w, h uint32, depth, colorType byte) []byte {
	ihdr := binary.BigEndian.AppendUint32([]byte("IHDR"), w)
	ihdr = binary.BigEndian.AppendUint32(ihdr, h)
	ihdr = append(ihdr, depth, colorType, 0, 0, 0)
	b := binary.BigEndian.AppendUint32([]byte("\x89PNG\r\n\x1a\n"), 13)
	return binary.BigEndian.AppendUint32(append(b, ihdr...), crc32.ChecksumIEEE(ihdr))
}

func TestSavePhotoStoresResizedVariants(t *testing.T) {
	tests := []struct {
		name     string
		data     []byte
		format   string // of every stored file
		w, h     int
		variants []int
	}{
		{"wide JPEG", photo(t, 2000, 1000, encJPEG), "jpeg", 2000, 1000, []int{480, 960, 1600}},
		{"small PNG is never enlarged", photo(t, 700, 300, encPNG), "png", 700, 300, []int{480}},
		{"PNG exactly 480 wide", photo(t, 480, 480, encPNG), "png", 480, 480, nil},
		{"opaque WebP becomes JPEG", webpOf(1000, 500, color.NRGBA{200, 30, 30, 255}), "jpeg", 1000, 500, []int{480, 960}},
		{"transparent WebP becomes PNG", webpOf(600, 400, color.NRGBA{200, 30, 30, 128}), "png", 600, 400, []int{480}},
		{"JPEG turned upright by EXIF", withOrientation(photo(t, 1000, 500, encJPEG), 6), "jpeg", 500, 1000, []int{480}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			store := &media.Store{Dir: t.TempDir()}
			p, err := store.SavePhoto(context.Background(), tt.data)
			if err != nil {
				t.Fatal(err)
			}
			if p.Width != tt.w || p.Height != tt.h {
				t.Errorf("size = %d×%d, want %d×%d", p.Width, p.Height, tt.w, tt.h)
			}
			if got := slices.Sorted(maps.Keys(p.Variants)); !slices.Equal(got, tt.variants) {
				t.Errorf("variant widths = %v, want %v", got, tt.variants)
			}
			mustStored(t, store, p.Path, tt.format, tt.w, tt.h)
			for w, rel := range p.Variants {
				if want := media.VariantPath(p.Path, w); rel != want {
					t.Errorf("variant %d at %q, want %q", w, rel, want)
				}
				mustStored(t, store, rel, tt.format, w, (tt.h*w+tt.w/2)/tt.w)
			}
			if got := store.Variants(p.Path); !maps.Equal(got, p.Variants) {
				t.Errorf("Variants(%q) = %v, want %v", p.Path, got, p.Variants)
			}
			again, err := store.SavePhoto(context.Background(), tt.data)
			if err != nil || again.Path != p.Path || !maps.Equal(again.Variants, p.Variants) {
				t.Errorf("saved again: %+v, %v; want %+v", again, err, p)
			}
		})
	}
}

// mustStored checks that the file at rel in store is a w×h image in format.
func mustStored(t *testing.T, store *media.Store, rel, format string, w, h int) {
	t.Helper()
	wantExt := map[string]string{"jpeg": ".jpg", "png": ".png"}[format]
	if path.Ext(rel) != wantExt {
		t.Errorf("%s: extension %q, want %q", rel, path.Ext(rel), wantExt)
	}
	data, err := os.ReadFile(filepath.Join(store.Dir, filepath.FromSlash(rel)))
	if err != nil {
		t.Fatal(err)
	}
	cfg, got, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil || got != format || cfg.Width != w || cfg.Height < h-1 || cfg.Height > h+1 {
		t.Errorf("%s: %s %d×%d (%v), want %s %d×%d", rel, got, cfg.Width, cfg.Height, err, format, w, h)
	}
	if bytes.Contains(data, []byte("Exif")) {
		t.Errorf("%s keeps its EXIF metadata", rel)
	}
}

func TestSavePhotoRejectsBadUploads(t *testing.T) {
	pngData := photo(t, 200, 100, encPNG)
	jpegData := photo(t, 200, 100, encJPEG)
	tests := []struct {
		name, message string
		data          []byte
	}{
		{"empty", "The photo file is empty.", nil},
		{"too large", "The photo is 21 MB; the limit is 20 MB.", append(slices.Clone(pngData), make([]byte, 20<<20)...)},
		{"text", "This file is not a JPEG, PNG or WebP image.", []byte("hello, world")},
		{"HTML named photo.jpg", "This file is not a JPEG, PNG or WebP image.", []byte("<html><script>alert(1)</script></html>")},
		{"GIF", "This file is not a JPEG, PNG or WebP image.", photo(t, 20, 20, encGIF)},
		{"JPEG header only", "This file is not a JPEG, PNG or WebP image.", jpegData[:2]},
		{"truncated PNG", "The photo could not be read; the file may be damaged or incomplete.", pngData[:len(pngData)/2]},
		{"truncated JPEG", "The photo could not be read; the file may be damaged or incomplete.", jpegData[:len(jpegData)/2]},
		{"PNG claiming 100000×100000", "The photo is 100000 × 100000 pixels; the limit is 40 megapixels.", pngBomb(100000, 100000)},
		{"16-bit PNG of 40 megapixels", "The photo is 7700 × 5190 pixels with 16 bits a colour; opening it would take " +
			"305 MB of memory, and the limit is 192 MB a photo. Save it at a smaller size or with 8 bits a colour (as a JPEG, say) " +
			"and upload it again.", pngHeader(7700, 5190, 16, 6)},
		{"WebP of 268 megapixels in 60 bytes", "The photo is 16384 × 16384 pixels; the limit is 40 megapixels.", webpOf(16384, 16384, color.NRGBA{A: 255})},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			store := &media.Store{Dir: t.TempDir()}
			_, err := store.SavePhoto(context.Background(), tt.data)
			if herald.ErrorCode(err) != herald.EINVALID || herald.ErrorMessage(err) != tt.message {
				t.Errorf("err = %v, want invalid: %q", err, tt.message)
			}
			if files, _ := os.ReadDir(store.Dir); len(files) != 0 {
				t.Errorf("a rejected photo left %d files in the store", len(files))
			}
		})
	}
}

func TestSavePhotoStopsWhenCanceled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	store := &media.Store{Dir: t.TempDir()}
	_, err := store.SavePhoto(ctx, photo(t, 1000, 500, encJPEG))
	if !errors.Is(err, context.Canceled) || herald.ErrorCode(err) != herald.EINTERNAL {
		t.Errorf("err = %v, want canceled", err)
	}
}

func TestSrcset(t *testing.T) {
	store := &media.Store{Dir: t.TempDir()}
	p, err := store.SavePhoto(context.Background(), photo(t, 2000, 1000, encJPEG))
	if err != nil {
		t.Fatal(err)
	}
	base := "/media/" + strings.TrimSuffix(p.Path, ".jpg")
	want := base + "-480.jpg 480w, " + base + "-960.jpg 960w, " + base + "-1600.jpg 1600w, " + base + ".jpg 2000w"
	if got := store.Srcset(p.Path, p.Width); got != want {
		t.Errorf("Srcset = %q, want %q", got, want)
	}

	// Images stored by Save, and paths that are not the store's, have none.
	plain, err := store.Save(photo(t, 2000, 1000, encPNG))
	if err != nil {
		t.Fatal(err)
	}
	for _, rel := range []string{plain.Path, "", "../" + p.Path, "/etc/passwd"} {
		if v, s := store.Variants(rel), store.Srcset(rel, 2000); len(v) != 0 || s != "" {
			t.Errorf("%q: variants %v, srcset %q; want none", rel, v, s)
		}
	}
}
