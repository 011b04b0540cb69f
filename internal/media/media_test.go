package media_test

import (
	"bytes"
	"image"
	"image/png"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/internal/media"
)

func pngBytes(t *testing.T, w, h int) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, image.NewRGBA(image.Rect(0, 0, w, h))); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestSaveAndServe(t *testing.T) {
	store := &media.Store{Dir: t.TempDir()}
	img, err := store.Save(pngBytes(t, 30, 20))
	if err != nil {
		t.Fatal(err)
	}
	if img.Width != 30 || img.Height != 20 {
		t.Errorf("size = %dx%d", img.Width, img.Height)
	}
	again, err := store.Save(pngBytes(t, 30, 20))
	if err != nil || again.Path != img.Path {
		t.Errorf("same bytes stored at %q then %q (%v)", img.Path, again.Path, err)
	}
	srv := httptest.NewServer(http.StripPrefix("/media/", store.Handler()))
	defer srv.Close()
	for path, want := range map[string]int{"/media/" + img.Path: 200, "/media/": 404, "/media/../etc/passwd": 404} {
		resp, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Errorf("GET %s = %d, want %d", path, resp.StatusCode, want)
		}
	}
}

func TestSaveRejectsNonImages(t *testing.T) {
	store := &media.Store{Dir: t.TempDir()}
	for name, data := range map[string][]byte{
		"empty": nil,
		"html":  []byte("<html><script>alert(1)</script></html>"),
		"svg":   []byte(`<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>`),
	} {
		if _, err := store.Save(data); herald.ErrorCode(err) != herald.EINVALID {
			t.Errorf("%s: err = %v, want invalid", name, err)
		}
	}
}

func TestImageFindsOnlyStoredImages(t *testing.T) {
	store := &media.Store{Dir: t.TempDir()}
	img, err := store.Save(pngBytes(t, 30, 20))
	if err != nil {
		t.Fatal(err)
	}
	got, err := store.Image(img.Path)
	if err != nil || got != img {
		t.Errorf("Image(%q) = %+v, %v; want %+v", img.Path, got, err, img)
	}
	for rel, code := range map[string]string{
		"":                       herald.EINVALID,
		"../../etc/passwd":       herald.EINVALID,
		img.Path[:3] + "../x":    herald.EINVALID,
		"/etc/passwd":            herald.EINVALID,
		img.Path[:3] + ".upload": herald.EINVALID,
		`ab\..\x.png`:            herald.EINVALID,
		img.Path[:2]:             herald.EINVALID, // a folder, not an image
		"ab/0000.jpg":            herald.ENOTFOUND,
	} {
		if _, err := store.Image(rel); herald.ErrorCode(err) != code {
			t.Errorf("Image(%q): err = %v, want %s", rel, err, code)
		}
	}
}
