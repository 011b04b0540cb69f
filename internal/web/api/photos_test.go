package api_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/internal/media"
)

// mustJPEG encodes a w×h photo.
func mustJPEG(t testing.TB, w, h int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for x := range w {
		img.Set(x, x*h/w, color.RGBA{R: 200, A: 255})
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, nil); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// deepPNGHeader is the header of a w×h 16-bit RGBA PNG, with no pixels
// after it: enough for the store to know what decoding it would take.
func deepPNGHeader(w, h uint32) []byte {
	ihdr := binary.BigEndian.AppendUint32([]byte("IHDR"), w)
	ihdr = binary.BigEndian.AppendUint32(ihdr, h)
	ihdr = append(ihdr, 16, 6, 0, 0, 0)
	b := binary.BigEndian.AppendUint32([]byte("\x89PNG\r\n\x1a\n"), 13)
	return binary.BigEndian.AppendUint32(append(b, ihdr...), crc32.ChecksumIEEE(ihdr))
}

// upload is an upload's answer.
type upload struct {
	URL      string            `json:"url"`
	Path     string            `json:"path"`
	Width    int               `json:"width"`
	Height   int               `json:"height"`
	Variants map[string]string `json:"variants"`
}

// storyPhoto is a story answer's photo, as a tool would keep it to send back.
type storyPhoto struct {
	ID    int64          `json:"id"`
	Photo map[string]any `json:"photo"`
}

// mustUpload uploads a JPEG as role.
func (h *harness) mustUpload(role herald.Role, data []byte) upload {
	h.t.Helper()
	var up upload
	a := h.must(http.StatusCreated, role, "POST", "/api/v1/photos", data, "Content-Type", "image/jpeg")
	a.json(h.t, &up)
	if a.header.Get("Location") != up.URL {
		h.t.Errorf("Location %q, url %q", a.header.Get("Location"), up.URL)
	}
	return up
}

// mediaFiles counts the files in the media store.
func (h *harness) mediaFiles() int {
	h.t.Helper()
	n := 0
	err := filepath.WalkDir(h.app.Config.MediaDir, func(_ string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			n++
		}
		if os.IsNotExist(err) {
			return nil
		}
		return err
	})
	if err != nil {
		h.t.Fatal(err)
	}
	return n
}

func TestUploadedPhotoIsServedInEveryWidth(t *testing.T) {
	h := mustHarness(t)
	data := mustJPEG(t, 1200, 800)
	up := h.mustUpload(herald.RoleWriter, data)
	if !strings.HasPrefix(up.URL, h.srv.URL+"/media/") || up.URL != h.srv.URL+"/media/"+up.Path ||
		up.Width != 1200 || up.Height != 800 || len(up.Variants) != 2 {
		t.Fatalf("uploaded %+v", up)
	}
	for _, u := range []string{up.URL, up.Variants["480"], up.Variants["960"]} {
		resp, err := http.Get(u)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "image/jpeg" {
			t.Errorf("GET %s: %d %s", u, resp.StatusCode, resp.Header.Get("Content-Type"))
		}
	}
	// Uploads are stored by content: the same bytes again, the same answer.
	files := h.mediaFiles()
	if again := h.mustUpload(herald.RoleEditor, data); again.URL != up.URL || len(again.Variants) != 2 ||
		again.Variants["480"] != up.Variants["480"] {
		t.Errorf("second upload %+v, first %+v", again, up)
	}
	if n := h.mediaFiles(); n != files {
		t.Errorf("the second upload stored %d more files", n-files)
	}
}

// A story's photo JSON, as read, can be sent back: an uploaded photo is
// given by its absolute URL and taken back by it.
func TestUploadedPhotoRoundTripsThroughAStory(t *testing.T) {
	h := mustHarness(t)
	up := h.mustUpload(herald.RoleWriter, mustJPEG(t, 640, 360))
	body := draftBody("Snow closes the passes")
	body["photo"] = map[string]any{"url": up.URL, "alt": "A plow on I-70", "credit": "Jo Lee/The Herald"}
	var created storyPhoto
	h.must(http.StatusCreated, herald.RoleWriter, "POST", "/api/v1/stories", body).json(t, &created)
	if created.Photo["url"] != up.URL || created.Photo["path"] != up.Path {
		t.Errorf("created with photo %v, uploaded %+v", created.Photo, up)
	}
	stored, err := h.app.Stories.FindStoryByID(context.Background(), created.ID)
	if err != nil {
		t.Fatal(err)
	}
	if p := stored.Photo; p == nil || p.Path != up.Path || p.URL != "" || p.Width != 640 || p.Height != 360 {
		t.Fatalf("stored photo %+v", stored.Photo)
	}

	path := "/api/v1/stories/" + itoa(created.ID)
	patch := func(photo map[string]any) map[string]any {
		t.Helper()
		var patched storyPhoto
		h.must(http.StatusOK, herald.RoleWriter, "PATCH", path, map[string]any{"photo": photo}).json(t, &patched)
		return patched.Photo
	}
	var read storyPhoto
	h.must(http.StatusOK, herald.RoleWriter, "GET", path, nil).json(t, &read)
	read.Photo["caption"] = "Plows worked through the night."
	if got := patch(read.Photo); got["url"] != up.URL || got["path"] != up.Path || got["caption"] != read.Photo["caption"] {
		t.Errorf("patched photo %v", got)
	}
	// The site-relative address the pages use names the same photo.
	if got := patch(map[string]any{"url": "/media/" + up.Path, "alt": "A plow", "credit": "Jo Lee"}); got["url"] != up.URL {
		t.Errorf("relative url stored as %v", got)
	}
	// External photos keep working, without a path.
	external := map[string]any{"url": "https://images.example/plow.jpg", "alt": "A plow", "credit": "AP"}
	if got := patch(external); got["url"] != external["url"] || got["path"] != nil {
		t.Errorf("external photo shown as %v", got)
	}
}

// Uploads that are not a photo, too large or unauthenticated get a clear
// 4xx error object and store nothing.
func TestBadUploadsAreRefusedCleanly(t *testing.T) {
	h := mustHarness(t)
	photo := mustJPEG(t, 100, 80)
	for _, c := range []struct {
		name   string
		token  string
		body   []byte
		header []string
		status int
		code   string
		says   string
	}{
		{"no token", "", photo, []string{"Content-Type", "image/jpeg"}, 401, herald.EUNAUTHORIZED, "token"},
		{"not an image", h.tokens[herald.RoleWriter], []byte("<html>hi</html>"), []string{"Content-Type", "image/png"},
			400, herald.EINVALID, "not a JPEG, PNG or WebP image"},
		{"empty", h.tokens[herald.RoleWriter], []byte{}, []string{"Content-Type", "image/jpeg"}, 400, herald.EINVALID, "empty"},
		{"wrong content type", h.tokens[herald.RoleWriter], photo, []string{"Content-Type", "application/json"},
			415, "unsupported_media_type", "image/jpeg"},
		{"oversized", h.tokens[herald.RoleWriter], make([]byte, media.MaxImageBytes+1), []string{"Content-Type", "image/jpeg"},
			413, "too_large", "bytes"},
		{"16-bit, too large to open", h.tokens[herald.RoleWriter], deepPNGHeader(7000, 5000), []string{"Content-Type", "image/png"},
			400, herald.EINVALID, "The photo is 7000 × 5000 pixels with 16 bits a colour; opening it would take 268 MB of memory, " +
				"and the limit is 192 MB a photo."},
	} {
		a := h.call(c.token, "POST", "/api/v1/photos", c.body, c.header...)
		if a.status != c.status || a.errorCode(t) != c.code || !strings.Contains(string(a.body), c.says) {
			t.Errorf("%s: %d %s", c.name, a.status, a.body)
		}
	}
	// Without a Content-Length, the limit holds as the body streams in.
	big := struct{ io.Reader }{bytes.NewReader(make([]byte, media.MaxImageBytes+1))}
	req, err := http.NewRequest("POST", h.srv.URL+"/api/v1/photos", big)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "image/jpeg")
	req.Header.Set("Authorization", "Bearer "+h.tokens[herald.RoleWriter])
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(string(raw), `"too_large"`) {
		t.Errorf("streamed oversized upload: %d %s", resp.StatusCode, raw)
	}
	if n := h.mediaFiles(); n != 0 {
		t.Errorf("refused uploads stored %d files", n)
	}
}

// A photo url under /media/ must name an uploaded photo; nothing outside
// the store is reached, and the story is not stored.
func TestStoryPhotoMustBeAnUploadedOne(t *testing.T) {
	h := mustHarness(t)
	up := h.mustUpload(herald.RoleWriter, mustJPEG(t, 100, 80))
	stories := h.count("stories")
	for _, c := range []struct{ name, url, path, says string }{
		{"traversal", "/media/../../etc/passwd", "", "no uploaded photo at"},
		{"absolute traversal", h.srv.URL + "/media/../../etc/passwd", "", "no uploaded photo at"},
		{"unknown", h.srv.URL + "/media/ab/abababab.jpg", "", "no uploaded photo at"},
		{"a folder", "/media/" + up.Path[:2], "", "no uploaded photo at"},
		{"path alone, outside", "", "../../etc/passwd", "no uploaded photo at"},
		{"path of another photo", up.URL, "ab/abababab.jpg", "photo.path"},
	} {
		body := draftBody("A photo from nowhere")
		body["photo"] = map[string]any{"url": c.url, "path": c.path, "alt": "A photo", "credit": "Jo Lee"}
		a := h.as(herald.RoleEditor, "POST", "/api/v1/stories", body)
		if a.status != http.StatusBadRequest || a.errorCode(t) != herald.EINVALID || !strings.Contains(string(a.body), c.says) {
			t.Errorf("%s: %d %s", c.name, a.status, a.body)
		}
	}
	if n := h.count("stories"); n != stories {
		t.Errorf("refused photos stored %d stories", n-stories)
	}
}
