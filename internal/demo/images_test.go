package demo

import (
	"bytes"
	"errors"
	"image"
	"image/png"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
	"testing/fstest"
	"time"
)

func TestPhotoEveryStyle(t *testing.T) {
	for _, style := range PhotoStyles() {
		t.Run(style, func(t *testing.T) {
			name := "photos/" + style + "-test.png"
			start := time.Now()
			b, err := Photo(name)
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("%s: %d bytes in %v", name, len(b), time.Since(start))
			img, err := png.Decode(bytes.NewReader(b))
			if err != nil {
				t.Fatalf("decode: %v", err)
			}
			want := image.Rect(0, 0, photoWidth, photoHeight)
			if style == "portrait" {
				want = image.Rect(0, 0, portraitSize, portraitSize)
			}
			if img.Bounds() != want {
				t.Errorf("bounds = %v, want %v", img.Bounds(), want)
			}
		})
	}
}

func TestPhotoDeterministic(t *testing.T) {
	for _, style := range PhotoStyles() {
		a, err := Photo("photos/" + style + "-one.png")
		if err != nil {
			t.Fatal(err)
		}
		b, _ := Photo("photos/" + style + "-one.png")
		if !bytes.Equal(a, b) {
			t.Errorf("%s: same name rendered different bytes", style)
		}
		c, _ := Photo("photos/" + style + "-two.png")
		if bytes.Equal(a, c) {
			t.Errorf("%s: different names rendered identical bytes", style)
		}
	}
}

func TestPhotoUnknown(t *testing.T) {
	for _, name := range []string{
		"photos/unicorn-denver.png",
		"photos/skyline-denver.jpg",
		"photos/skyline.png",
		"photos/skyline-.png",
		"skyline-denver.png",
		"photos/extra/skyline-denver.png",
		"",
	} {
		if _, err := Photo(name); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("Photo(%q) error = %v, want fs.ErrNotExist", name, err)
		}
		if _, err := fs.ReadFile(Photos(), name); err == nil {
			t.Errorf("ReadFile(%q) succeeded", name)
		}
	}
}

func TestPhotosFS(t *testing.T) {
	fsys := Photos()
	b, err := fs.ReadFile(fsys, "photos/water-anything.png")
	if err != nil {
		t.Fatal(err)
	}
	want, _ := Photo("photos/water-anything.png")
	if !bytes.Equal(b, want) {
		t.Error("fs.ReadFile differs from Photo")
	}
	if _, err := fs.Stat(fsys, "photos/unicorn-x.png"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Stat unknown = %v, want fs.ErrNotExist", err)
	}
	listed := listedPhotos()
	if len(listed) < 20 {
		t.Fatalf("content lists only %d photos", len(listed))
	}
	if testing.Short() {
		listed = listed[:3]
	}
	if err := fstest.TestFS(fsys, listed...); err != nil {
		t.Fatal(err)
	}
}

// TestPreview writes every photo the content uses to $HERALD_PHOTO_PREVIEW
// for a look, and reports the slowest.
func TestPreview(t *testing.T) {
	dir := os.Getenv("HERALD_PHOTO_PREVIEW")
	if dir == "" {
		t.Skip("set HERALD_PHOTO_PREVIEW to a directory to write the demo photos")
	}
	var slowest time.Duration
	for _, name := range listedPhotos() {
		start := time.Now()
		b, err := Photo(name)
		if err != nil {
			t.Fatal(err)
		}
		if d := time.Since(start); d > slowest {
			slowest = d
			t.Logf("slowest so far: %s in %v", name, d)
		}
		if err := os.WriteFile(filepath.Join(dir, filepath.Base(name)), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func BenchmarkPhoto(b *testing.B) {
	for _, style := range PhotoStyles() {
		b.Run(style, func(b *testing.B) {
			for b.Loop() {
				if _, err := Photo("photos/" + style + "-bench.png"); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
