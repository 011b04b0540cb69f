package api_test

import (
	"strings"
	"testing"

	"github.com/herald-news/herald"
)

func TestPathologicalBodyIsRefusedWithTheLimit(t *testing.T) {
	h := mustHarness(t)
	stories := h.count("stories")
	body := strings.Repeat("[a](", 100_000) // 400 KB: goldmark took 53 s on it
	const says = "The body is 400,000 characters; the limit is 100,000."
	story := map[string]any{"headline": "Hi", "section": "world", "authors": []string{"ed-ito"}, "body": body}
	for _, c := range []struct {
		path string
		in   any
	}{{"/api/v1/brevity-check", map[string]any{"headline": "Hi", "body": body}}, {"/api/v1/stories", story}} {
		a := h.as(herald.RoleEditor, "POST", c.path, c.in)
		if a.status != 400 || a.errorCode(t) != herald.EINVALID || !strings.Contains(string(a.body), says) {
			t.Errorf("%s: %d %.200s", c.path, a.status, a.body)
		}
	}
	if n := h.count("stories"); n != stories {
		t.Errorf("the refused story was stored")
	}
}
