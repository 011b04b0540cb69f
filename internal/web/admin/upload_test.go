package admin_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/herald-news/herald"
)

// heldBody is a large multipart upload that a client sends in two goes:
// its first `free` bytes at once, the rest only once released. An answer
// that arrives before the release was given without reading the body.
type heldBody struct {
	head, tail []byte // the form up to the file's content, and its closing boundary
	size       int64  // the whole body
	sent       atomic.Int64
	free       int64
	release    chan struct{}
	once       sync.Once
}

// newHeldBody makes an upload of size bytes of a form with fields (in
// order, name then value) and then a file.
func newHeldBody(size, free int64, fields ...string) (*heldBody, string) {
	var head bytes.Buffer
	mw := multipart.NewWriter(&head)
	for i := 0; i+1 < len(fields); i += 2 {
		mw.WriteField(fields[i], fields[i+1])
	}
	mw.CreateFormFile("photo", "huge.jpg")
	tail := "\r\n--" + mw.Boundary() + "--\r\n"
	return &heldBody{head: head.Bytes(), tail: []byte(tail), size: size, free: free, release: make(chan struct{})},
		mw.FormDataContentType()
}

func (b *heldBody) Read(p []byte) (int, error) {
	sent := b.sent.Load()
	if sent >= b.size {
		return 0, io.EOF
	}
	if sent >= b.free {
		<-b.release
	}
	n := int64(len(p))
	if sent < b.free {
		n = min(n, b.free-sent)
	}
	n = min(n, b.size-sent)
	for i := range n {
		at := sent + int64(i)
		switch {
		case at < int64(len(b.head)):
			p[i] = b.head[at]
		case at >= b.size-int64(len(b.tail)):
			p[i] = b.tail[at-(b.size-int64(len(b.tail)))]
		default:
			p[i] = 0
		}
	}
	b.sent.Add(n)
	return int(n), nil
}

func (b *heldBody) let() { b.once.Do(func() { close(b.release) }) }

// An upload that may not be made (no session, a role without the
// permission, a missing or forged CSRF token) is answered before its body
// is sent: the server reads no more than the form's first field.
func TestUploadIsRefusedBeforeItsBodyIsRead(t *testing.T) {
	n := mustNewsroom(t, newsroomOptions{})
	writer := n.signIn(herald.RoleWriter)
	files := mediaFiles(t, n.app.Config.MediaDir)
	live, _, err := n.app.Stories.FindStories(context.Background(), herald.StoryFilter{Status: herald.StatusPublished, Limit: 1})
	if err != nil || len(live) == 0 {
		t.Fatalf("no published story in the demo newsroom: %v", err)
	}
	published := fmt.Sprintf("/admin/stories/%d", live[0].ID)
	const size, free = 20 << 20, 1 << 20 // within the routes' limits, so only the checks refuse it
	for _, c := range []struct {
		name   string
		client *client
		path   string
		fields []string
		status int
		says   string
	}{
		{"no session", n.anonymous(), "/admin/stories", []string{"csrf", "whatever"}, http.StatusUnauthorized, "Sign in again"},
		{"a writer importing subscribers", writer, "/admin/subscribers/import", []string{"csrf", writer.csrf},
			http.StatusForbidden, "Your role (writer) cannot do this"},
		{"a forged token", writer, "/admin/stories", []string{"csrf", "forged", "headline", "Big"},
			http.StatusForbidden, "This form has expired"},
		{"the token after the file's place", writer, "/admin/stories", []string{"headline", "Big", "csrf", writer.csrf},
			http.StatusForbidden, "This form has expired"},
		{"no token", writer, "/admin/stories", nil, http.StatusForbidden, "This form has expired"},
		{"a writer editing a published story", writer, published, []string{"csrf", writer.csrf, "headline", "Big"},
			http.StatusForbidden, "only an editor can change it now"},
	} {
		t.Run(c.name, func(t *testing.T) {
			upload, contentType := newHeldBody(size, free, c.fields...)
			defer upload.let()
			// Should the server wait for the whole body, it gets it, later:
			// then the answer comes after everything was sent.
			timer := time.AfterFunc(10*time.Second, upload.let)
			defer timer.Stop()
			req, _ := http.NewRequest(http.MethodPost, n.base+c.path, upload)
			req.ContentLength = size
			req.Header.Set("Content-Type", contentType)
			req.Header.Set("Origin", n.base)
			res := c.client.do(req)
			sentWhenAnswered := upload.sent.Load()
			upload.let()
			if page := body(res); res.StatusCode != c.status || !strings.Contains(page, c.says) {
				t.Errorf("%d %.300q…, want %d saying %q", res.StatusCode, page, c.status, c.says)
			}
			if sentWhenAnswered > free {
				t.Errorf("answered after %d of %d bytes were sent; want it before the first %d were all read", sentWhenAnswered, int64(size), int64(free))
			}
		})
	}
	if got := mediaFiles(t, n.app.Config.MediaDir); got != files {
		t.Errorf("refused uploads stored %d files", got-files)
	}
}

var multipartForm = regexp.MustCompile(`(?s)<form[^>]*enctype="multipart/form-data"[^>]*>\s*(.{0,40})`)

// The server reads a multipart form's CSRF token from its first field
// only, so every upload form of the admin must start with it.
func TestUploadFormsSendTheCSRFTokenFirst(t *testing.T) {
	pages, err := filepath.Glob("templates/*.html")
	if err != nil || len(pages) == 0 {
		t.Fatalf("templates: %v, %d", err, len(pages))
	}
	forms := 0
	for _, page := range pages {
		src, err := os.ReadFile(page)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range multipartForm.FindAllSubmatch(src, -1) {
			forms++
			if !bytes.HasPrefix(m[1], []byte(`{{template "csrf"`)) {
				t.Errorf("%s: a multipart form starts with %q, not the csrf field", page, m[1])
			}
		}
	}
	if forms < 2 {
		t.Errorf("found %d multipart forms; the story editor and the import have one each", forms)
	}
}
