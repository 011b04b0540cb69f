package api_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/herald-news/herald"
)

func TestIdempotentCreationStoresOneStory(t *testing.T) {
	h := mustHarness(t)
	before := h.count("stories")
	body := draftBody("One story, however often it is sent")
	first := h.must(http.StatusCreated, herald.RoleEditor, "POST", "/api/v1/stories", body, "Idempotency-Key", "k-1")
	again := h.must(http.StatusCreated, herald.RoleEditor, "POST", "/api/v1/stories", body, "Idempotency-Key", "k-1")
	if string(first.body) != string(again.body) || first.header.Get("Location") != again.header.Get("Location") {
		t.Errorf("replay differs:\n%s %s\n%s %s", first.header.Get("Location"), first.body, again.header.Get("Location"), again.body)
	}
	if again.header.Get("Idempotent-Replayed") != "true" {
		t.Error("the replay is not marked")
	}
	if n := h.count("stories"); n != before+1 {
		t.Errorf("%d stories stored, want 1", n-before)
	}
	// The same key with another request is refused and stores nothing.
	other := h.as(herald.RoleEditor, "POST", "/api/v1/stories", draftBody("Another story"), "Idempotency-Key", "k-1")
	if other.status != http.StatusConflict || other.errorCode(t) != herald.ECONFLICT {
		t.Errorf("other body, same key: %d %s", other.status, other.body)
	}
	// Keys belong to a token: another token's k-1 is a new request.
	h.must(http.StatusCreated, herald.RoleAdmin, "POST", "/api/v1/stories", draftBody("An admin's story"), "Idempotency-Key", "k-1")
	if n := h.count("stories"); n != before+2 {
		t.Errorf("%d stories stored, want 2", n-before)
	}
	// An invalid request's answer is kept too; fixing it needs a new key.
	bad := map[string]any{"headline": "No section"}
	a1 := h.as(herald.RoleEditor, "POST", "/api/v1/stories", bad, "Idempotency-Key", "k-2")
	a2 := h.as(herald.RoleEditor, "POST", "/api/v1/stories", bad, "Idempotency-Key", "k-2")
	if a1.status != http.StatusBadRequest || string(a1.body) != string(a2.body) {
		t.Errorf("invalid request: %d %s then %d %s", a1.status, a1.body, a2.status, a2.body)
	}
}

func TestStoryLifecycle(t *testing.T) {
	h := mustHarness(t)
	st := h.mustStory("Denver approves a 40-mile bike network")
	if st.Status != "draft" || st.Slug != "denver-approves-a-40-mile-bike-network" || len(st.Topics) != 1 || st.Topics[0] != "transit" {
		t.Fatalf("created %+v", st)
	}
	path := "/api/v1/stories/" + itoa(st.ID)
	h.must(http.StatusBadRequest, herald.RoleEditor, "POST", path+"/schedule", map[string]any{"at": "tomorrow"})
	var sched story
	h.must(http.StatusOK, herald.RoleEditor, "POST", path+"/schedule", map[string]any{"at": "2099-01-02T15:04:05Z"}).json(t, &sched)
	if sched.Status != "scheduled" || sched.PublishedAt != "2099-01-02T15:04:05Z" {
		t.Errorf("scheduled %+v", sched)
	}
	if a := h.as(herald.RoleEditor, "DELETE", path, nil); a.status != http.StatusConflict {
		t.Errorf("delete a scheduled story: %d %s", a.status, a.body)
	}
	h.must(http.StatusOK, herald.RoleEditor, "POST", path+"/publish", nil)
	if a := h.as(herald.RoleEditor, "DELETE", path, nil); a.status != http.StatusConflict || a.errorCode(t) != herald.ECONFLICT {
		t.Errorf("delete a live story: %d %s", a.status, a.body)
	}
	var corrected struct {
		Corrections []struct{ Text string } `json:"corrections"`
	}
	h.must(http.StatusCreated, herald.RoleEditor, "POST", path+"/corrections", map[string]any{"text": "The vote was 9-2."}).json(t, &corrected)
	if len(corrected.Corrections) != 1 || corrected.Corrections[0].Text != "The vote was 9-2." {
		t.Errorf("corrections %+v", corrected)
	}
	var listed struct {
		Data []story `json:"data"`
	}
	h.must(http.StatusOK, herald.RoleWriter, "GET", "/api/v1/stories?status=published&section=world&topic=transit&author=ed-ito", nil).json(t, &listed)
	if len(listed.Data) != 1 || listed.Data[0].ID != st.ID {
		t.Errorf("filtered list %+v", listed)
	}
	h.must(http.StatusOK, herald.RoleEditor, "POST", path+"/unpublish", nil)
	if a := h.as(herald.RoleWriter, "DELETE", path, nil); a.status != http.StatusForbidden {
		t.Errorf("writer deletes a story that was published: %d", a.status)
	}
	h.must(http.StatusNoContent, herald.RoleEditor, "DELETE", path, nil)
	h.must(http.StatusNotFound, herald.RoleEditor, "GET", path, nil)
}

func TestStoriesPageWithSignedCursors(t *testing.T) {
	h := mustHarness(t)
	for _, hl := range []string{"First story", "Second story", "Third story"} {
		h.mustStory(hl)
	}
	var seen []string
	next := ""
	for page := 0; page < 5; page++ {
		var p struct {
			Data       []story `json:"data"`
			NextCursor string  `json:"next_cursor"`
		}
		h.must(http.StatusOK, herald.RoleWriter, "GET", "/api/v1/stories?limit=2&cursor="+next, nil).json(t, &p)
		for _, st := range p.Data {
			seen = append(seen, st.Headline)
		}
		if next = p.NextCursor; next == "" {
			break
		}
		// A cursor for stories pages nothing else, and tampering shows.
		if a := h.as(herald.RoleEditor, "GET", "/api/v1/subscribers?cursor="+next, nil); a.status != http.StatusBadRequest {
			t.Errorf("a story cursor on subscribers: %d", a.status)
		}
		tampered := next[:len(next)-2] + map[bool]string{true: "AA", false: "BB"}[!strings.HasSuffix(next, "AA")]
		if a := h.as(herald.RoleWriter, "GET", "/api/v1/stories?cursor="+tampered, nil); a.status != http.StatusBadRequest || a.errorCode(t) != herald.EINVALID {
			t.Errorf("tampered cursor: %d %s", a.status, a.body)
		}
	}
	if strings.Join(seen, ", ") != "Third story, Second story, First story" {
		t.Errorf("pages gave %v", seen)
	}
}

// Malformed, oversized and unexpected requests get a clear 4xx error
// object and store nothing.
func TestHostileInputIsRefusedCleanly(t *testing.T) {
	h := mustHarness(t)
	stories, topics := h.count("stories"), h.count("topics")
	huge := `{"headline":"` + strings.Repeat("x", 2<<20) + `"}`
	for _, c := range []struct {
		name   string
		body   any
		header []string
		status int
		code   string
		says   string
	}{
		{"malformed JSON", `{"headline": "Half`, nil, 400, herald.EINVALID, "not valid JSON"},
		{"not an object", `["a"]`, nil, 400, herald.EINVALID, "JSON object"},
		{"wrong type", `{"headline": 42}`, nil, 400, herald.EINVALID, "headline"},
		{"unknown field", `{"headline": "Hi", "section": "world", "authors": ["ed-ito"], "colour": "red"}`, nil, 400, herald.EINVALID, "colour"},
		{"two objects", `{"headline": "Hi"} {}`, nil, 400, herald.EINVALID, "one JSON object"},
		{"empty body", ``, nil, 400, herald.EINVALID, "JSON object"},
		{"huge body", huge, nil, 413, "too_large", "bytes"},
		{"huge body with a key", huge, []string{"Idempotency-Key", "big"}, 413, "too_large", "bytes"},
		{"form body", `headline=Hi`, []string{"Content-Type", "application/x-www-form-urlencoded"}, 415, "unsupported_media_type", "application/json"},
		{"unknown section", map[string]any{"headline": "Hi", "section": "nope", "authors": []string{"ed-ito"}, "topics": []string{"Brand new"}}, nil, 400, herald.EINVALID, "section"},
		{"no authors", map[string]any{"headline": "Hi", "section": "world", "topics": []string{"Brand new"}}, nil, 400, herald.EINVALID, "author"},
		{"unknown related story", map[string]any{"headline": "Hi", "section": "world", "authors": []string{"ed-ito"}, "topics": []string{"Brand new"}, "related": []int64{987654}}, nil, 400, herald.EINVALID, "related: there is no story 987654"},
		{"bad photo", map[string]any{"headline": "Hi", "section": "world", "authors": []string{"ed-ito"}, "photo": map[string]any{"url": "javascript:x", "alt": "a", "credit": "c"}}, nil, 400, herald.EINVALID, "photo.url"},
	} {
		a := h.as(herald.RoleEditor, "POST", "/api/v1/stories", c.body, c.header...)
		if a.status != c.status || a.errorCode(t) != c.code || !strings.Contains(string(a.body), c.says) {
			t.Errorf("%s: %d %s", c.name, a.status, a.body)
		}
	}
	if a := h.as(herald.RoleEditor, "GET", "/api/v1/stories?cursor=garbage", nil); a.status != 400 || a.errorCode(t) != herald.EINVALID {
		t.Errorf("bad cursor: %d %s", a.status, a.body)
	}
	if a := h.as(herald.RoleEditor, "GET", "/api/v1/stories/abc", nil); a.status != 404 || a.errorCode(t) != herald.ENOTFOUND {
		t.Errorf("bad id: %d %s", a.status, a.body)
	}
	if a := h.as(herald.RoleEditor, "GET", "/api/v1/nothing-here", nil); a.status != 404 || a.errorCode(t) != herald.ENOTFOUND {
		t.Errorf("unknown route: %d %s", a.status, a.body)
	}
	if a := h.as(herald.RoleEditor, "PUT", "/api/v1/stories/1", "{}"); a.status != 405 || a.errorCode(t) != "method_not_allowed" ||
		a.header.Get("Allow") != "GET, PATCH, DELETE" {
		t.Errorf("wrong method: %d %s %q", a.status, a.body, a.header.Get("Allow"))
	}
	if n, m := h.count("stories"), h.count("topics"); n != stories || m != topics {
		t.Errorf("refused requests stored %d stories and %d topics", n-stories, m-topics)
	}
}
