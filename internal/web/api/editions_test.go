package api_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/herald-news/herald"
)

type edition struct {
	ID         int64  `json:"id"`
	Newsletter string `json:"newsletter"`
	Subject    string `json:"subject"`
	Status     string `json:"status"`
	Opening    item   `json:"opening"`
	Items      []item `json:"items"`
}

type item struct {
	StoryID  int64  `json:"story_id"`
	Headline string `json:"headline"`
	Body     string `json:"body"`
	URL      string `json:"url"`
}

// The whole desk over HTTP: create a story, publish it, draft an edition
// with it, rework the edition, and send a test that arrives in the inbox.
func TestRoundTripFromStoryToTestEmail(t *testing.T) {
	h := mustHarness(t)
	st := h.mustStory("Denver approves a 40-mile bike network")
	h.must(http.StatusOK, herald.RoleEditor, "POST", "/api/v1/stories/"+itoa(st.ID)+"/publish", nil)

	var ed edition
	a := h.must(http.StatusCreated, herald.RoleEditor, "POST", "/api/v1/editions", map[string]any{"newsletter": "am", "date": "2026-11-28"},
		"Idempotency-Key", "draft-am-2026-11-28")
	a.json(t, &ed)
	if a.header.Get("Location") != "/api/v1/editions/"+itoa(ed.ID) {
		t.Errorf("Location %q", a.header.Get("Location"))
	}
	if ed.Newsletter != "am" || ed.Status != "draft" || ed.Opening.StoryID != st.ID || ed.Opening.Headline != st.Headline {
		t.Fatalf("draft %+v does not open with the story", ed)
	}
	path := "/api/v1/editions/" + itoa(ed.ID)
	// Replace the items: a written one, then the story again by ID.
	var changed edition
	h.must(http.StatusOK, herald.RoleEditor, "PATCH", path, map[string]any{
		"subject": "Bikes win in Denver",
		"items":   []map[string]any{{"headline": "Also today", "body": "**Why it matters:** Short."}, {"story_id": st.ID}},
	}).json(t, &changed)
	if changed.Subject != "Bikes win in Denver" || len(changed.Items) != 2 || changed.Items[0].Headline != "Also today" ||
		changed.Items[1].StoryID != st.ID || !strings.HasSuffix(changed.Items[1].URL, "/denver-approves-a-40-mile-bike-network") {
		t.Fatalf("changed %+v", changed)
	}
	if a := h.as(herald.RoleEditor, "PATCH", path, map[string]any{"items": []map[string]any{{"story_id": 9999}}}); a.status != 400 {
		t.Errorf("an item of a missing story: %d %s", a.status, a.body)
	}
	var listed struct{ Data []edition }
	h.must(http.StatusOK, herald.RoleWriter, "GET", "/api/v1/editions?newsletter=am", nil).json(t, &listed)
	if len(listed.Data) != 1 || listed.Data[0].ID != ed.ID {
		t.Errorf("listed %+v", listed)
	}
	// A writer composes nothing and sends no test.
	h.must(http.StatusForbidden, herald.RoleWriter, "POST", path+"/test", map[string]any{"to": "desk@herald.example"})

	// Test copies go to staff only: not to a stranger, not to a disabled account.
	if a := h.as(herald.RoleEditor, "POST", path+"/test", map[string]any{"to": "desk@herald.example"}); a.status != 400 ||
		!strings.Contains(string(a.body), "only to active staff accounts") {
		t.Errorf("a test copy to an address that is not staff: %d %s", a.status, a.body)
	}
	desk := &herald.User{Email: "desk@herald.example", Name: "Desk", Role: herald.RoleEditor, PasswordHash: "x"}
	if err := h.app.Staff.CreateUser(t.Context(), desk); err != nil {
		t.Fatal(err)
	}
	h.must(http.StatusOK, herald.RoleEditor, "POST", path+"/test", map[string]any{"to": "desk@herald.example"})
	msgs := h.inbox()
	if len(msgs) != 1 || msgs[0].To != "desk@herald.example" || msgs[0].Subject != "[Test] Bikes win in Denver" ||
		!strings.Contains(msgs[0].Text, "Denver approves a 40-mile bike network") {
		t.Fatalf("inbox %+v", msgs)
	}
	var status struct {
		Status string `json:"status"`
		Total  int    `json:"total"`
	}
	h.must(http.StatusOK, herald.RoleWriter, "GET", path+"/status", nil).json(t, &status)
	if status.Status != "draft" || status.Total != 0 {
		t.Errorf("a test changed the edition: %+v", status)
	}
}

func TestEditionSendScheduleAndCancel(t *testing.T) {
	h := mustHarness(t)
	st := h.mustStory("Rates hold")
	h.must(http.StatusOK, herald.RoleEditor, "POST", "/api/v1/stories/"+itoa(st.ID)+"/publish", nil)
	var ed edition
	h.must(http.StatusCreated, herald.RoleEditor, "POST", "/api/v1/editions", map[string]any{"newsletter": "am", "date": "2026-11-28"}).json(t, &ed)
	path := "/api/v1/editions/" + itoa(ed.ID)
	h.must(http.StatusBadRequest, herald.RoleEditor, "POST", path+"/schedule", map[string]any{"at": "soon"})
	var sched edition
	h.must(http.StatusOK, herald.RoleEditor, "POST", path+"/schedule", map[string]any{"at": "2099-11-28T06:00"}).json(t, &sched)
	if sched.Status != "scheduled" {
		t.Errorf("scheduled: %+v", sched)
	}
	h.must(http.StatusConflict, herald.RoleEditor, "POST", path+"/pause", nil)
	var p struct{ Status string }
	h.must(http.StatusOK, herald.RoleEditor, "POST", path+"/unschedule", nil).json(t, &p)
	if p.Status != "draft" {
		t.Errorf("unscheduled: %+v", p)
	}
	h.must(http.StatusConflict, herald.RoleEditor, "POST", path+"/unschedule", nil)
	h.must(http.StatusOK, herald.RoleEditor, "POST", path+"/cancel", nil).json(t, &p)
	if p.Status != "cancelled" {
		t.Errorf("cancelled: %+v", p)
	}
	if a := h.as(herald.RoleEditor, "POST", path+"/send", nil); a.status != http.StatusConflict {
		t.Errorf("send a cancelled edition: %d %s", a.status, a.body)
	}
}
