package admin_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/herald-news/herald"
)

// pathological is the body that took goldmark 53 s: "[a](" repeated to 400 KB.
var pathological = strings.Repeat("[a](", 100_000)

const pathologicalRefusal = "The body is 400,000 characters; the limit is 100,000."

func TestOversizeDraftIsRefusedByCheckAndPreview(t *testing.T) {
	n := mustNewsroom(t, newsroomOptions{})
	c := n.signIn(herald.RoleWriter)
	for _, path := range []string{"/admin/stories/check", "/admin/stories/preview"} {
		var answer struct {
			Error struct{ Code, Message string }
		}
		status := c.postJSON(path, map[string]string{"headline": "A", "body": pathological}, &answer)
		if status != http.StatusBadRequest || answer.Error.Message != pathologicalRefusal {
			t.Errorf("%s: %d %q, want 400 %q", path, status, answer.Error.Message, pathologicalRefusal)
		}
	}
}

func TestOversizeBodyIsRefusedOnSave(t *testing.T) {
	n := mustNewsroom(t, newsroomOptions{})
	c := n.signIn(herald.RoleWriter)
	before := n.storyCount()
	form := n.storyForm("A story too long to keep")
	form.Set("body", pathological)
	res := c.post("/admin/stories", form)
	page := body(res)
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("a 400 KB body: %d, want 422", res.StatusCode)
	}
	if !strings.Contains(page, `<p class="error" id="body-error">`+pathologicalRefusal+`</p>`) {
		t.Errorf("the editor does not say the limit under the body")
	}
	if got := n.storyCount(); got != before {
		t.Errorf("stories: %d, want %d (nothing stored)", got, before)
	}
}
