package api_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/herald-news/herald"
)

// A story read carries its version as an ETag; a change from a stale
// If-Match gets 412 and changes nothing, from the current one 200 with the
// next version; without If-Match the last write wins, as before.
func TestStoryVersionsAsETags(t *testing.T) {
	h := mustHarness(t)
	st := h.mustStory("Council backs bike lanes")
	path := fmt.Sprintf("/api/v1/stories/%d", st.ID)
	tag := h.must(http.StatusOK, herald.RoleEditor, "GET", path, nil).header.Get("ETag")
	if tag != `"v1"` {
		t.Fatalf("ETag %q, want \"v1\"", tag)
	}
	next := h.must(http.StatusOK, herald.RoleEditor, "PATCH", path, map[string]any{"headline": "Council backs 40 miles of lanes"}, "If-Match", tag)
	if got := next.header.Get("ETag"); got != `"v2"` {
		t.Errorf("after a change: ETag %q, want \"v2\"", got)
	}
	stale := h.as(herald.RoleEditor, "PATCH", path, map[string]any{"headline": "An older headline"}, "If-Match", tag)
	if stale.status != http.StatusPreconditionFailed || stale.errorCode(t) != herald.ESTALE || !strings.Contains(string(stale.body), `it is now \"v2\"`) {
		t.Errorf("a stale If-Match: %d %s", stale.status, stale.body)
	}
	if a := h.as(herald.RoleEditor, "DELETE", path, nil, "If-Match", tag); a.status != http.StatusPreconditionFailed {
		t.Errorf("a stale delete: %d %s", a.status, a.body)
	}
	var got story
	h.must(http.StatusOK, herald.RoleEditor, "GET", path, nil).json(t, &got)
	if got.Headline != "Council backs 40 miles of lanes" {
		t.Errorf("a refused change was stored: %q", got.Headline)
	}
	h.must(http.StatusOK, herald.RoleEditor, "PATCH", path, map[string]any{"headline": "Last write wins"})
}

// An edition's read carries its version; a change from a stale If-Match
// gets 412 and changes nothing.
func TestEditionVersionsAsETags(t *testing.T) {
	h := mustHarness(t)
	var ed struct {
		ID int64 `json:"id"`
	}
	h.must(http.StatusCreated, herald.RoleEditor, "POST", "/api/v1/editions", map[string]any{"newsletter": "am", "blank": true}).json(t, &ed)
	path := fmt.Sprintf("/api/v1/editions/%d", ed.ID)
	tag := h.must(http.StatusOK, herald.RoleEditor, "GET", path, nil).header.Get("ETag")
	if tag != `"v1"` {
		t.Fatalf("ETag %q", tag)
	}
	if got := h.must(http.StatusOK, herald.RoleEditor, "PATCH", path, map[string]any{"subject": "Bikes win"}, "If-Match", tag).header.Get("ETag"); got != `"v2"` {
		t.Errorf("after a change: ETag %q", got)
	}
	if a := h.as(herald.RoleEditor, "PATCH", path, map[string]any{"subject": "An older subject"}, "If-Match", tag); a.status != http.StatusPreconditionFailed {
		t.Errorf("a stale If-Match: %d %s", a.status, a.body)
	}
	var got struct {
		Subject string `json:"subject"`
	}
	h.must(http.StatusOK, herald.RoleEditor, "GET", path, nil).json(t, &got)
	if got.Subject != "Bikes win" {
		t.Errorf("a refused change was stored: %q", got.Subject)
	}
}

// The site's settings carry their version as an ETag: a PUT from a stale
// If-Match gets 412 and changes nothing.
func TestSettingsVersionsAsETags(t *testing.T) {
	h := mustHarness(t)
	var site map[string]any
	a := h.must(http.StatusOK, herald.RoleAdmin, "GET", "/api/v1/settings", nil)
	a.json(t, &site)
	tag := a.header.Get("ETag")
	site["tagline"] = "First"
	h.must(http.StatusOK, herald.RoleAdmin, "PUT", "/api/v1/settings", site, "If-Match", tag)
	site["tagline"] = "Stale"
	if a := h.as(herald.RoleAdmin, "PUT", "/api/v1/settings", site, "If-Match", tag); a.status != http.StatusPreconditionFailed {
		t.Errorf("a stale If-Match: %d %s", a.status, a.body)
	}
	var now map[string]any
	h.must(http.StatusOK, herald.RoleAdmin, "GET", "/api/v1/settings", nil).json(t, &now)
	if now["tagline"] != "First" {
		t.Errorf("tagline %v", now["tagline"])
	}
}

// Every newsroom list the API changes with PUT carries its version: ETag
// on GET, a stale If-Match refused with 412 and nothing changed, the
// current one taken.
func TestNewsroomVersionsAsETags(t *testing.T) {
	h := mustHarness(t)
	h.mustStory("A story whose topic is Transit")
	for _, path := range []string{"/api/v1/newsletters/am", "/api/v1/sections/world", "/api/v1/topics/transit",
		"/api/v1/cities/denver", "/api/v1/authors/ed-ito"} {
		var item map[string]any
		a := h.must(http.StatusOK, herald.RoleAdmin, "GET", path, nil)
		a.json(t, &item)
		tag := a.header.Get("ETag")
		if !strings.HasPrefix(tag, `"v`) {
			t.Fatalf("%s: ETag %q", path, tag)
		}
		delete(item, "id")
		item["name"] = "Changed first"
		next := h.must(http.StatusOK, herald.RoleAdmin, "PUT", path, item, "If-Match", tag)
		if next.header.Get("ETag") == tag {
			t.Errorf("%s: the version did not rise from %s", path, tag)
		}
		item["name"] = "A stale change"
		if a := h.as(herald.RoleAdmin, "PUT", path, item, "If-Match", tag); a.status != http.StatusPreconditionFailed {
			t.Errorf("%s: a stale If-Match: %d %s", path, a.status, a.body)
		}
		var now map[string]any
		h.must(http.StatusOK, herald.RoleAdmin, "GET", path, nil).json(t, &now)
		if now["name"] != "Changed first" {
			t.Errorf("%s: name %v after a refused change", path, now["name"])
		}
	}
}
