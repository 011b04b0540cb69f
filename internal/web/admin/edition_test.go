package admin_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/internal/delivery"
	"github.com/herald-news/herald/internal/subscriberio"
)

// mustDraft drafts the next edition of newsletter slug through the admin
// and returns it as stored.
func (c *client) mustDraft(slug string) *herald.Edition {
	c.t.Helper()
	res := c.post("/admin/editions", url.Values{"newsletter": {slug}})
	loc := res.Header.Get("Location")
	id, err := strconv.ParseInt(strings.TrimPrefix(loc, "/admin/editions/"), 10, 64)
	if res.StatusCode != http.StatusSeeOther || err != nil {
		c.t.Fatalf("draft %s: %d %q %s", slug, res.StatusCode, loc, body(res))
	}
	return c.n.edition(id)
}

func (n *newsroom) edition(id int64) *herald.Edition {
	n.t.Helper()
	ed, err := n.app.Editions.FindEdition(context.Background(), id)
	if err != nil {
		n.t.Fatal(err)
	}
	return ed
}

// composerForm is what the composer's form posts for ed.
func composerForm(ed *herald.Edition) url.Values {
	f := url.Values{"subject": {ed.Subject}, "preheader": {ed.Preheader}, "opening_headline": {ed.Opening.Headline},
		"opening_body": {ed.Opening.Body}, "opening_url": {ed.Opening.URL}, "opening_story": {strconv.FormatInt(ed.Opening.StoryID, 10)}}
	for _, it := range ed.Items {
		f.Add("item_headline", it.Headline)
		f.Add("item_body", it.Body)
		f.Add("item_url", it.URL)
		f.Add("item_story", strconv.FormatInt(it.StoryID, 10))
	}
	return f
}

func headlines(items []herald.EditionItem) []string {
	var out []string
	for _, it := range items {
		out = append(out, it.Headline)
	}
	return out
}

func TestComposeEdition(t *testing.T) {
	n := mustNewsroom(t, newsroomOptions{})
	c := n.signIn(herald.RoleEditor)
	if res := c.get("/admin/editions?newsletter=am"); res.StatusCode != http.StatusOK || !strings.Contains(body(res), "Draft the next edition") {
		t.Fatalf("editions list: %d", res.StatusCode)
	}
	ed := c.mustDraft("am")
	if len(ed.Items) < 2 {
		t.Fatalf("the draft has %d items; the test needs two", len(ed.Items))
	}
	path := fmt.Sprintf("/admin/editions/%d", ed.ID)
	if res := c.get(path); res.StatusCode != http.StatusOK || !strings.Contains(body(res), "Smart Brevity count:") {
		t.Fatalf("composer: %d", res.StatusCode)
	}

	// Move the first item down: the order is stored.
	before := headlines(ed.Items)
	form := composerForm(ed)
	form.Set("op", "down:0")
	if res := c.post(path, form); res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != path+"#item-2" {
		t.Fatalf("move down: %d %q", res.StatusCode, res.Header.Get("Location"))
	}
	after := headlines(n.edition(ed.ID).Items)
	if after[0] != before[1] || after[1] != before[0] || len(after) != len(before) {
		t.Errorf("after moving item 1 down: %q, was %q", after, before)
	}

	// Edit the opening; a blank item headline is refused and nothing stored.
	ed = n.edition(ed.ID)
	form = composerForm(ed)
	form.Set("opening_headline", "Snow closes every school in the state")
	form.Set("opening_body", "Schools shut at noon.\n\n**Why it matters:** Parents need plans by tonight.")
	if res := c.post(path, form); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("save opening: %d %s", res.StatusCode, body(res))
	}
	bad := composerForm(n.edition(ed.ID))
	bad["item_headline"][0] = " "
	bad.Set("subject", "This subject must not be stored")
	if res := c.post(path, bad); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body(res), "Item 1 needs a headline.") {
		t.Errorf("blank headline: %d", res.StatusCode)
	}
	ed = n.edition(ed.ID)
	if ed.Opening.Headline != "Snow closes every school in the state" || ed.Subject == "This subject must not be stored" {
		t.Errorf("stored opening %q, subject %q", ed.Opening.Headline, ed.Subject)
	}

	// Add a story from the picker, then remove it again.
	req, _ := http.NewRequest(http.MethodGet, n.base+"/admin/editions/stories?q=", nil)
	req.Header.Set("Accept", "application/json")
	var picked struct{ Stories []struct{ ID int64 } }
	if err := json.NewDecoder(c.do(req).Body).Decode(&picked); err != nil || len(picked.Stories) == 0 {
		t.Fatalf("story picker: %v %+v", err, picked)
	}
	story := picked.Stories[len(picked.Stories)-1].ID
	if res := c.post(path+"/items", url.Values{"story": {strconv.FormatInt(story, 10)}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("add story: %d %s", res.StatusCode, body(res))
	}
	ed = n.edition(ed.ID)
	if last := ed.Items[len(ed.Items)-1]; last.StoryID != story || last.URL == "" {
		t.Errorf("added item %+v, want story %d", last, story)
	}
	form = composerForm(ed)
	form.Set("op", "remove:"+strconv.Itoa(len(ed.Items)-1))
	c.post(path, form)
	if got := n.edition(ed.ID).Items; len(got) != len(ed.Items)-1 {
		t.Errorf("after remove: %d items, want %d", len(got), len(ed.Items)-1)
	}

	// The preview is the edition, framable by the admin only.
	res := c.get(path + "/preview.html")
	csp := res.Header.Get("Content-Security-Policy")
	if html := body(res); res.StatusCode != http.StatusOK || !strings.Contains(html, "Snow closes every school in the state") {
		t.Errorf("preview: %d", res.StatusCode)
	}
	if !strings.Contains(csp, "frame-ancestors 'self'") || !strings.Contains(csp, "default-src 'none'") || strings.Contains(csp, "script-src") ||
		res.Header.Get("X-Frame-Options") != "SAMEORIGIN" {
		t.Errorf("preview headers: CSP %q, X-Frame-Options %q", csp, res.Header.Get("X-Frame-Options"))
	}
	if res := c.get(path); strings.Contains(res.Header.Get("Content-Security-Policy"), "unsafe-inline") {
		t.Error("the composer page itself allows inline styles")
	}

	// A test copy goes to the editor.
	if res := c.post(path+"/test", nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("send test: %d %s", res.StatusCode, body(res))
	}
	msgs, err := n.app.Inbox.Messages(context.Background(), 5)
	if err != nil || len(msgs) == 0 || !strings.HasPrefix(msgs[0].Subject, "[Test] ") ||
		!strings.Contains(msgs[0].To, n.mustStaff(herald.RoleEditor)) {
		t.Fatalf("test copy: %v %+v", err, msgs)
	}

	// The dev inbox shows it, its HTML framed like the preview.
	if res := c.get("/admin/inbox"); !strings.Contains(body(res), "[Test] ") {
		t.Errorf("dev inbox list: %d", res.StatusCode)
	}
	msgPath := fmt.Sprintf("/admin/inbox/%d", msgs[0].ID)
	if res := c.get(msgPath); res.StatusCode != http.StatusOK || !strings.Contains(body(res), "List-Unsubscribe") {
		t.Errorf("dev inbox message: %d", res.StatusCode)
	}
	if res := c.get(msgPath + "/html"); !strings.Contains(res.Header.Get("Content-Security-Policy"), "frame-ancestors 'self'") {
		t.Errorf("dev inbox HTML CSP %q", res.Header.Get("Content-Security-Policy"))
	}

	// Scheduling takes a time in the newsletter's zone.
	at := time.Now().In(ed.Newsletter.Location()).Add(48 * time.Hour).Format("2006-01-02T15:04")
	if res := c.post(path+"/schedule", url.Values{"at": {"tomorrow-ish"}}); res.StatusCode < 400 || res.StatusCode >= 500 ||
		!strings.Contains(body(res), "must look like 2026-11-28T06:00") {
		t.Errorf("schedule at a bad time: %d", res.StatusCode)
	}
	if res := c.post(path+"/schedule", url.Values{"at": {at}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("schedule: %d %s", res.StatusCode, body(res))
	}
	if ed = n.edition(ed.ID); ed.Status != herald.EditionScheduled || ed.ScheduledAt.In(ed.Newsletter.Location()).Format("2006-01-02T15:04") != at {
		t.Errorf("scheduled: %s at %v, want %s", ed.Status, ed.ScheduledAt, at)
	}
	// Unscheduling makes it a draft again, to edit and schedule anew.
	if res := c.post(path+"/unschedule", nil); res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != path {
		t.Fatalf("unschedule: %d %q", res.StatusCode, res.Header.Get("Location"))
	}
	if ed = n.edition(ed.ID); ed.Status != herald.EditionDraft || !ed.ScheduledAt.IsZero() {
		t.Errorf("unscheduled: %s at %v", ed.Status, ed.ScheduledAt)
	}
	if res := c.post(path+"/unschedule", nil); res.StatusCode != http.StatusConflict {
		t.Errorf("unscheduling a draft: %d", res.StatusCode)
	}
}

func TestWriterCannotSend(t *testing.T) {
	n := mustNewsroom(t, newsroomOptions{})
	ed := n.signIn(herald.RoleEditor).mustDraft("am")
	w := n.signIn(herald.RoleWriter)
	path := fmt.Sprintf("/admin/editions/%d", ed.ID)
	if res := w.get("/admin/editions"); res.StatusCode != http.StatusOK {
		t.Errorf("a writer reads the editions list: %d", res.StatusCode)
	}
	for _, p := range []string{"/send", "/schedule", "/pause", "/resume", "/cancel", "/test", ""} {
		if res := w.post(path+p, url.Values{"at": {"2030-01-01T06:00"}}); res.StatusCode != http.StatusForbidden {
			t.Errorf("writer POST %s: %d", path+p, res.StatusCode)
		}
	}
	if res := w.post("/admin/editions", url.Values{"newsletter": {"pm"}}); res.StatusCode != http.StatusForbidden {
		t.Errorf("writer drafts: %d", res.StatusCode)
	}
	if got := n.edition(ed.ID); got.Status != herald.EditionDraft {
		t.Errorf("after the writer's POSTs the edition is %s", got.Status)
	}
}

// mustReaders adds count confirmed readers to a newsletter.
func (n *newsroom) mustReaders(slug string, count int) {
	n.t.Helper()
	ctx := context.Background()
	nl, err := n.app.Newsroom.FindNewsletter(ctx, slug)
	if err != nil {
		n.t.Fatal(err)
	}
	rows := make([]subscriberio.Row, count)
	for i := range rows {
		rows[i] = subscriberio.Row{Line: i + 2, Email: fmt.Sprintf("reader%03d@example.com", i)}
	}
	if _, err := n.app.Subscribers.ImportSink(nl.ID, true, "test").ImportRows(ctx, rows); err != nil {
		n.t.Fatal(err)
	}
}

func TestSendNowStreamsProgress(t *testing.T) {
	n := mustNewsroom(t, newsroomOptions{})
	n.mustReaders("pm", 200)
	c := n.signIn(herald.RoleEditor)
	ed := c.mustDraft("pm")
	path := fmt.Sprintf("/admin/editions/%d", ed.ID)
	if page := body(c.get(path)); !strings.Contains(page, "Send now to 200 readers") {
		t.Fatal("the send button does not say how many readers it reaches")
	}
	res := c.post(path+"/send", nil)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != path+"/send" {
		t.Fatalf("send now: %d %q %s", res.StatusCode, res.Header.Get("Location"), body(res))
	}
	if page := body(c.get(path + "/send")); !strings.Contains(page, `id="send-progress"`) || !strings.Contains(page, "of 200 readers done") {
		t.Error("the live send view lacks its progress")
	}
	if res := c.post(path, composerForm(ed)); res.StatusCode != http.StatusConflict {
		t.Errorf("editing a sending edition: %d", res.StatusCode)
	}

	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	last, events := delivery.Progress{}, 0
	for attempt := 0; attempt < 20 && last.Status != herald.EditionSent; attempt++ {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, n.base+path+"/progress", nil)
		req.Header.Set("Accept", "text/event-stream")
		stream := c.do(req)
		if ct := stream.Header.Get("Content-Type"); stream.StatusCode != http.StatusOK || ct != "text/event-stream" {
			t.Fatalf("progress: %d %q", stream.StatusCode, ct)
		}
		sc := bufio.NewScanner(stream.Body)
		for sc.Scan() {
			data, ok := strings.CutPrefix(sc.Text(), "data: ")
			if !ok {
				continue
			}
			events++
			if err := json.Unmarshal([]byte(data), &last); err != nil {
				t.Fatal(err)
			}
		}
		stream.Body.Close()
	}
	if last.Status != herald.EditionSent || last.Total != 200 || last.Done != 200 || last.Counts[herald.SendAccepted] != 200 {
		t.Fatalf("after %d events: %+v", events, last)
	}
	if page := body(c.get(path + "/send")); !strings.Contains(page, `data-percent="100"`) {
		t.Error("the finished send view does not show 100%")
	}
	if page := body(c.get("/admin/editions?newsletter=pm")); !strings.Contains(page, "200 accepted") {
		t.Error("the editions list does not count the accepted messages")
	}
}

// Two editors compose the same edition: the second save from the version
// both opened is refused, by the form (her text kept, the conflict shown)
// and by the autosave (412), and the first editor's subject stays.
func TestSecondSaveOfAnEditionShowsTheConflict(t *testing.T) {
	n := mustNewsroom(t, newsroomOptions{})
	a, b := n.signIn(herald.RoleEditor), n.signIn(herald.RoleAdmin)
	ed := a.mustDraft("am")
	path := fmt.Sprintf("/admin/editions/%d", ed.ID)
	first := composerForm(ed)
	first.Set("version", strconv.Itoa(ed.Version))
	first.Set("subject", "The subject the first editor wrote")
	if res := a.post(path, first); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("first save: %d %s", res.StatusCode, body(res))
	}
	second := composerForm(ed)
	second.Set("version", strconv.Itoa(ed.Version))
	second.Set("subject", "The second editor's subject")
	res := b.post(path, second)
	if page := body(res); res.StatusCode != http.StatusConflict || !strings.Contains(page, "Someone else saved this edition") ||
		!strings.Contains(page, "The second editor&#39;s subject") {
		t.Errorf("the second form save: %d", res.StatusCode)
	}
	req, _ := http.NewRequest("POST", n.base+path, strings.NewReader(second.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	req.Header.Set("X-CSRF-Token", b.csrf)
	if res := b.do(req); res.StatusCode != http.StatusPreconditionFailed {
		t.Errorf("the second autosave: %d %s", res.StatusCode, body(res))
	}
	if got := n.edition(ed.ID).Subject; got != "The subject the first editor wrote" {
		t.Errorf("the subject is %q", got)
	}
}
