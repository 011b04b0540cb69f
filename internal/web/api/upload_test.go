package api_test

import (
	"io"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/herald-news/herald"
)

// heldBody is a large upload that a client sends in two goes: its first
// `free` bytes at once, the rest only once released. An answer that
// arrives before the release was given without reading the body.
type heldBody struct {
	size, free int64
	sent       atomic.Int64
	release    chan struct{}
	once       sync.Once
}

func (b *heldBody) Read(p []byte) (int, error) {
	sent := b.sent.Load()
	if sent >= b.size {
		return 0, io.EOF
	}
	n := min(int64(len(p)), b.size-sent)
	if sent < b.free {
		n = min(n, b.free-sent)
	} else {
		<-b.release
	}
	clear(p[:n])
	b.sent.Add(n)
	return int(n), nil
}

func (b *heldBody) let() { b.once.Do(func() { close(b.release) }) }

// An upload the caller may not make (no token, an unknown one, a role
// without the permission) or that is not a photo by its Content-Type is
// answered before its body is sent.
func TestUploadIsRefusedBeforeItsBodyIsRead(t *testing.T) {
	h := mustHarness(t)
	const size, free = 16 << 20, 1 << 20 // within the routes' limits, so only the checks refuse it
	for _, c := range []struct {
		name, token, path, contentType string
		status                         int
		code                           string
	}{
		{"no token", "", "/api/v1/photos", "image/png", 401, herald.EUNAUTHORIZED},
		{"unknown token", "herald_0000000000000000000000000000", "/api/v1/photos", "image/png", 401, herald.EUNAUTHORIZED},
		{"a writer importing subscribers", h.tokens[herald.RoleWriter], "/api/v1/subscribers/import?newsletter=am",
			"text/csv", 403, herald.EFORBIDDEN},
		{"not a photo", h.tokens[herald.RoleWriter], "/api/v1/photos", "application/zip", 415, "unsupported_media_type"},
	} {
		t.Run(c.name, func(t *testing.T) {
			upload := &heldBody{size: size, free: free, release: make(chan struct{})}
			defer upload.let()
			// Should the server wait for the whole body, it gets it, later:
			// then the answer comes after everything was sent.
			timer := time.AfterFunc(10*time.Second, upload.let)
			defer timer.Stop()
			req, err := http.NewRequest("POST", h.srv.URL+c.path, upload)
			if err != nil {
				t.Fatal(err)
			}
			req.ContentLength = size
			req.Header.Set("Content-Type", c.contentType)
			if c.token != "" {
				req.Header.Set("Authorization", "Bearer "+c.token)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			sentWhenAnswered := upload.sent.Load()
			upload.let()
			raw, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != c.status || !strings.Contains(string(raw), `"`+c.code+`"`) {
				t.Errorf("%d %s, want %d %s", resp.StatusCode, raw, c.status, c.code)
			}
			if sentWhenAnswered > free {
				t.Errorf("answered after %d of %d bytes were sent; want it before the first %d were all read",
					sentWhenAnswered, int64(size), int64(free))
			}
		})
	}
	if n := h.mediaFiles(); n != 0 {
		t.Errorf("refused uploads stored %d files", n)
	}
}
