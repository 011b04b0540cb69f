package admin_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"io/fs"
	"mime/multipart"
	"net/http"
	"net/url"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/herald-news/herald"
)

const axiomBody = "The city council approved 40 miles of protected bike lanes on Tuesday.\n\n" +
	"**Why it matters:** Cycling deaths doubled in five years.\n\n" +
	"**What's next:** Construction starts in March."

// storyForm is a complete, valid editor form for the demo newsroom.
func (n *newsroom) storyForm(headline string) url.Values {
	n.t.Helper()
	ctx := context.Background()
	sections, err := n.app.Newsroom.Sections(ctx)
	if err != nil {
		n.t.Fatal(err)
	}
	authors, err := n.app.Newsroom.Authors(ctx)
	if err != nil {
		n.t.Fatal(err)
	}
	return url.Values{"headline": {headline}, "kind": {"news"}, "body": {axiomBody},
		"section": {strconv.FormatInt(sections[0].ID, 10)}, "author": {strconv.FormatInt(authors[0].ID, 10)}}
}

// storyID reads the story ID from the redirect after a save.
func storyID(t testing.TB, res *http.Response) int64 {
	t.Helper()
	loc := res.Header.Get("Location")
	id, err := strconv.ParseInt(strings.TrimPrefix(loc, "/admin/stories/"), 10, 64)
	if res.StatusCode != http.StatusSeeOther || err != nil {
		t.Fatalf("save: %d %q %s", res.StatusCode, loc, body(res))
	}
	return id
}

func (n *newsroom) story(id int64) *herald.Story {
	n.t.Helper()
	st, err := n.app.Stories.FindStoryByID(context.Background(), id)
	if err != nil {
		n.t.Fatal(err)
	}
	return st
}

func (n *newsroom) storyCount() int {
	n.t.Helper()
	_, total, err := n.app.Stories.FindStories(context.Background(), herald.StoryFilter{})
	if err != nil {
		n.t.Fatal(err)
	}
	return total
}

func TestWriterDraftsEditorPublishes(t *testing.T) {
	n := mustNewsroom(t, newsroomOptions{})
	writer, editor := n.signIn(herald.RoleWriter), n.signIn(herald.RoleEditor)
	id := storyID(t, writer.post("/admin/stories", n.storyForm("Council backs 40 miles of bike lanes")))
	st := n.story(id)
	if st.Status != herald.StatusDraft || st.Slug != "council-backs-40-miles-of-bike-lanes" || len(st.Authors) != 1 ||
		strings.Join(herald.ParseBody(st.Body).Axioms(), "|") != "Why it matters|What's next" {
		t.Fatalf("stored draft: %+v", st)
	}
	list := body(writer.get("/admin/stories?status=draft&q=bike+LANES"))
	if !strings.Contains(list, fmt.Sprintf(`href="/admin/stories/%d"`, id)) || !strings.Contains(list, `class="badge draft"`) {
		t.Errorf("the draft is not in the filtered list:\n%s", list)
	}
	if list := body(writer.get("/admin/stories?status=published&q=bike+lanes+council")); strings.Contains(list, fmt.Sprintf(`/admin/stories/%d"`, id)) {
		t.Errorf("the draft is listed among published stories")
	}
	// Writers may revise their draft, but not publish it.
	form := n.storyForm("Council backs bike lanes")
	if res := writer.post(fmt.Sprintf("/admin/stories/%d", id), form); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("writer edits a draft: %d %s", res.StatusCode, body(res))
	}
	for _, action := range []string{"publish", "unpublish", "corrections"} {
		if res := writer.post(fmt.Sprintf("/admin/stories/%d/%s", id, action), url.Values{"text": {"x"}}); res.StatusCode != http.StatusForbidden {
			t.Errorf("writer POST %s: %d", action, res.StatusCode)
		}
	}
	if n.story(id).Status != herald.StatusDraft {
		t.Fatal("a writer's POST changed the status")
	}

	res := editor.post(fmt.Sprintf("/admin/stories/%d/publish", id), nil)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("publish: %d %s", res.StatusCode, body(res))
	}
	page := body(editor.get(res.Header.Get("Location")))
	if !strings.Contains(page, "Published. Smart Brevity:") {
		t.Errorf("no Smart Brevity summary after publishing:\n%s", page)
	}
	st = n.story(id)
	public := n.anonymous().get(st.Path())
	if text := body(public); public.StatusCode != http.StatusOK || !strings.Contains(text, "Council backs bike lanes") {
		t.Fatalf("public page %s: %d", st.Path(), public.StatusCode)
	}

	// Now live: the writer can no longer change it; the editor can.
	form.Set("headline", "Writer sneaks in a change")
	if res := writer.post(fmt.Sprintf("/admin/stories/%d", id), form); res.StatusCode != http.StatusForbidden {
		t.Errorf("writer edits a published story: %d", res.StatusCode)
	}
	if !strings.Contains(body(writer.get(fmt.Sprintf("/admin/stories/%d", id))), "only an editor can change it") {
		t.Errorf("the writer's editor page does not say the story is locked")
	}
	if res := editor.post(fmt.Sprintf("/admin/stories/%d/corrections", id), url.Values{"text": {"An earlier version misstated the length."}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("add correction: %d %s", res.StatusCode, body(res))
	}
	if st := n.story(id); st.Headline != "Council backs bike lanes" || len(st.Corrections) != 1 || st.Status != herald.StatusPublished {
		t.Errorf("after the correction: %q %v %s", st.Headline, st.Corrections, st.Status)
	}
	if res := editor.post(fmt.Sprintf("/admin/stories/%d/unpublish", id), nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("unpublish: %d", res.StatusCode)
	}
	if res := n.anonymous().get(st.Path()); res.StatusCode != http.StatusNotFound {
		t.Errorf("unpublished story still public: %d", res.StatusCode)
	}
	// Once public, only an editor may delete it; a writer deletes drafts.
	if res := writer.post(fmt.Sprintf("/admin/stories/%d/delete", id), nil); res.StatusCode != http.StatusForbidden {
		t.Errorf("writer deletes a story that was published: %d", res.StatusCode)
	}
	if res := editor.post(fmt.Sprintf("/admin/stories/%d/delete", id), nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("editor deletes the unpublished story: %d %s", res.StatusCode, body(res))
	}
	if _, err := n.app.Stories.FindStoryByID(context.Background(), id); herald.ErrorCode(err) != herald.ENOTFOUND {
		t.Errorf("the deleted story is still stored: %v", err)
	}
	draft := storyID(t, writer.post("/admin/stories", n.storyForm("A draft to throw away")))
	if res := writer.post(fmt.Sprintf("/admin/stories/%d/delete", draft), nil); res.StatusCode != http.StatusSeeOther {
		t.Errorf("writer deletes a draft: %d", res.StatusCode)
	}
	live, _, _ := n.app.Stories.FindStories(context.Background(), herald.StoryFilter{Status: herald.StatusPublished, Limit: 1})
	if res := editor.post(fmt.Sprintf("/admin/stories/%d/delete", live[0].ID), nil); res.StatusCode != http.StatusConflict {
		t.Errorf("deleting a live story: %d, want 409 (unpublish first)", res.StatusCode)
	}
}

func TestScheduleStory(t *testing.T) {
	n := mustNewsroom(t, newsroomOptions{})
	editor := n.signIn(herald.RoleEditor)
	id := storyID(t, editor.post("/admin/stories", n.storyForm("Transit fares freeze")))
	path := fmt.Sprintf("/admin/stories/%d/schedule", id)
	if res := editor.post(path, url.Values{"at": {"2001-01-01T09:00"}}); res.StatusCode != http.StatusUnprocessableEntity ||
		!strings.Contains(body(res), "Pick a time in the future.") {
		t.Errorf("schedule in the past: %d", res.StatusCode)
	}
	at := n.app.Clock.Now().In(n.app.Config.Location()).Add(48 * time.Hour).Truncate(time.Minute)
	if res := editor.post(path, url.Values{"at": {at.Format("2006-01-02T15:04")}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("schedule: %d %s", res.StatusCode, body(res))
	}
	if st := n.story(id); st.Status != herald.StatusScheduled || !st.PublishedAt.Equal(at) {
		t.Errorf("scheduled %s at %v, want %v", st.Status, st.PublishedAt, at)
	}
	// A scheduled story offers Unschedule, not Unpublish; it goes back to
	// being a draft, off the schedule.
	page := body(editor.get(fmt.Sprintf("/admin/stories/%d", id)))
	if !strings.Contains(page, `id="unschedule"`) || strings.Contains(page, `id="unpublish"`) {
		t.Error("a scheduled story does not offer Unschedule alone")
	}
	if res := editor.post(fmt.Sprintf("/admin/stories/%d/unschedule", id), nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("unschedule: %d", res.StatusCode)
	}
	if st := n.story(id); st.Status != herald.StatusDraft || !st.PublishedAt.IsZero() {
		t.Errorf("after unscheduling: %s at %v", st.Status, st.PublishedAt)
	}
	if _, err := n.app.Stories.PublishDueStories(t.Context(), at.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if st := n.story(id); st.Status != herald.StatusDraft {
		t.Errorf("an unscheduled story went %s at its old time", st.Status)
	}
	if res := editor.post(fmt.Sprintf("/admin/stories/%d/unschedule", id), nil); res.StatusCode < 400 {
		t.Errorf("unscheduling a draft: %d", res.StatusCode)
	}
}

func TestStoryValidationKeepsInput(t *testing.T) {
	n := mustNewsroom(t, newsroomOptions{})
	c := n.signIn(herald.RoleWriter)
	before := n.storyCount()
	form := n.storyForm("")
	form.Del("author")
	form.Set("slug", "Not A Slug!")
	form.Set("summary", "A summary worth keeping & <escaping>")
	res := c.post("/admin/stories", form)
	page := body(res)
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("invalid form: %d", res.StatusCode)
	}
	for _, want := range []string{"Write a headline.", "Pick at least one author.", "The story was not saved.",
		"Cycling deaths doubled in five years.", "A summary worth keeping &amp; &lt;escaping&gt;", `value="Not A Slug!"`,
		`id="brevity-findings"`} {
		if !strings.Contains(page, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	// A slug another story has is a clear error on the slug field.
	form = n.storyForm("Anything")
	first := storyID(t, c.post("/admin/stories", form))
	res = c.post("/admin/stories", form)
	if page := body(res); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(page, `id="slug-error"`) {
		t.Errorf("taken slug: %d", res.StatusCode)
	}
	if got := n.storyCount(); got != before+1 || n.story(first).Headline != "Anything" {
		t.Errorf("stories: %d, want %d", got, before+1)
	}
}

// postMultipart submits the editor's form with a photo file, as a browser does.
func (c *client) postMultipart(path string, form url.Values, photo []byte) *http.Response {
	c.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	// The token comes first, as the page's form has it.
	csrf := form.Get("csrf")
	if csrf == "" {
		csrf = c.csrf
	}
	mw.WriteField("csrf", csrf)
	for k, vs := range form {
		for _, v := range vs {
			if k != "csrf" {
				mw.WriteField(k, v)
			}
		}
	}
	fw, _ := mw.CreateFormFile("photo", "lanes.jpg")
	fw.Write(photo)
	mw.Close()
	req, _ := http.NewRequest(http.MethodPost, c.n.base+path, &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Origin", c.n.base)
	return c.do(req)
}

// testJPEG paints a w×h JPEG.
func testJPEG(t testing.TB, w, h int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, color.RGBA{uint8(x * 255 / w), uint8(y * 255 / h), 140, 255})
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, nil); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func mediaFiles(t testing.TB, dir string) int {
	t.Helper()
	n := 0
	filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			n++
		}
		return nil
	})
	return n
}

func TestStoryPhotoUpload(t *testing.T) {
	n := mustNewsroom(t, newsroomOptions{})
	c := n.signIn(herald.RoleWriter)
	photo := testJPEG(t, 1200, 800)
	dir := n.app.Config.MediaDir
	before, files := n.storyCount(), mediaFiles(t, dir)

	// Without alt text: a clear error, and neither the story nor the photo stored.
	form := n.storyForm("Riders take to the new lanes")
	form.Set("photo_caption", "Riders on Colfax Avenue.")
	form.Set("photo_credit", "Jo Lee/Herald")
	res := c.postMultipart("/admin/stories", form, photo)
	if page := body(res); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(page, "A photo needs alt text.") {
		t.Fatalf("photo without alt text: %d", res.StatusCode)
	}
	if n.storyCount() != before || mediaFiles(t, dir) != files {
		t.Fatalf("a refused form stored something")
	}
	// Without a CSRF token, the multipart form is refused like any other.
	form.Set("csrf", "forged")
	if res := c.postMultipart("/admin/stories", form, photo); res.StatusCode != http.StatusForbidden {
		t.Errorf("multipart with a forged token: %d", res.StatusCode)
	}
	form.Del("csrf")
	form.Set("photo_alt", "Cyclists ride past parked cars in a green-painted lane.")
	id := storyID(t, c.postMultipart("/admin/stories", form, photo))
	st := n.story(id)
	if st.Photo == nil || st.Photo.Alt != form.Get("photo_alt") || st.Photo.Caption != "Riders on Colfax Avenue." ||
		st.Photo.Credit != "Jo Lee/Herald" || st.Photo.Width != 1200 {
		t.Fatalf("stored photo: %+v", st.Photo)
	}
	if v := n.app.Media.Variants(st.Photo.Path); len(v) != 2 {
		t.Errorf("variants of a 1200 px photo: %v, want 480 and 960", v)
	}
	if !strings.Contains(body(c.get(fmt.Sprintf("/admin/stories/%d", id))), `src="/media/`+st.Photo.Path+`"`) {
		t.Errorf("the editor shows no thumbnail of the photo")
	}
	// A file that is not an image is refused on the photo field.
	res = c.postMultipart(fmt.Sprintf("/admin/stories/%d", id), form, []byte("not an image at all"))
	if page := body(res); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(page, "not a JPEG, PNG or WebP") {
		t.Errorf("a text file as the photo: %d", res.StatusCode)
	}
	// An upload over the limit is refused before it is read.
	res = c.postMultipart(fmt.Sprintf("/admin/stories/%d", id), form, make([]byte, 26<<20))
	if page := body(res); res.StatusCode != http.StatusBadRequest || !strings.Contains(page, "larger than 25 MB") {
		t.Errorf("a 26 MB upload: %d", res.StatusCode)
	}
}

// postJSON posts v as a script does and decodes the answer into out.
func (c *client) postJSON(path string, v, out any) int {
	c.t.Helper()
	b, _ := json.Marshal(v)
	req, _ := http.NewRequest(http.MethodPost, c.n.base+path, bytes.NewReader(b))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	req.Header.Set("X-CSRF-Token", c.csrf)
	req.Header.Set("Origin", c.n.base)
	res := c.do(req)
	if err := json.NewDecoder(res.Body).Decode(out); err != nil {
		c.t.Fatalf("%s: %d, not JSON: %v", path, res.StatusCode, err)
	}
	return res.StatusCode
}

func TestBrevityCheckAndPreview(t *testing.T) {
	n := mustNewsroom(t, newsroomOptions{})
	c := n.signIn(herald.RoleWriter)
	level := func(body string) string {
		var check herald.BrevityCheck
		if status := c.postJSON("/admin/stories/check", map[string]string{"headline": "Fed holds rates", "body": body}, &check); status != http.StatusOK {
			t.Fatalf("check: %d", status)
		}
		for _, f := range check.Findings {
			if f.Rule == "why-it-matters" {
				return f.Level
			}
		}
		return "missing"
	}
	lede := "The Fed held rates steady on Wednesday."
	if got := level(lede); got != herald.BrevityWarning {
		t.Errorf("without why it matters: %s", got)
	}
	if got := level(lede + "\n\n**Why it matters:** Mortgages stay dear."); got != herald.BrevityOK {
		t.Errorf("with why it matters: %s", got)
	}
	// Forms work too (a page without the script).
	res := c.post("/admin/stories/check", url.Values{"headline": {"A"}, "body": {lede}})
	if b := body(res); res.StatusCode != http.StatusOK || !strings.Contains(b, `"words":7`) {
		t.Errorf("form check: %d %s", res.StatusCode, b)
	}

	var preview struct{ HTML string }
	hostile := lede + "\n\n<script>alert(1)</script>\n\n**Why it matters:** [click](javascript:alert(2)) <img src=x onerror=alert(3)>"
	if status := c.postJSON("/admin/stories/preview", map[string]string{"body": hostile}, &preview); status != http.StatusOK {
		t.Fatalf("preview: %d", status)
	}
	for _, bad := range []string{"<script", "javascript:", "onerror"} {
		if strings.Contains(strings.ToLower(preview.HTML), bad) {
			t.Errorf("preview keeps %q: %s", bad, preview.HTML)
		}
	}
	if !strings.Contains(preview.HTML, `<div class="block block-lede">`) || !strings.Contains(preview.HTML, "<strong>Why it matters:</strong>") {
		t.Errorf("preview: %s", preview.HTML)
	}
	// Scripts without the token are refused.
	req, _ := http.NewRequest(http.MethodPost, n.base+"/admin/stories/check", strings.NewReader(`{"body":"x"}`))
	req.Header.Set("Content-Type", "application/json")
	if res := c.do(req); res.StatusCode != http.StatusForbidden {
		t.Errorf("check without a token: %d", res.StatusCode)
	}
}

func TestRelatedStorySearch(t *testing.T) {
	n := mustNewsroom(t, newsroomOptions{})
	c := n.signIn(herald.RoleWriter)
	live, _, err := n.app.Stories.FindStories(context.Background(), herald.StoryFilter{LiveAt: n.app.Clock.Now(), Limit: 2})
	if err != nil || len(live) < 2 {
		t.Fatalf("demo stories: %v", err)
	}
	word := strings.Fields(live[0].Headline)[0]
	res := c.get("/admin/stories/search?q=" + url.QueryEscape(live[0].Headline))
	var found struct {
		Stories []struct {
			ID       int64
			Headline string
		}
	}
	if err := json.NewDecoder(res.Body).Decode(&found); err != nil || len(found.Stories) == 0 || found.Stories[0].ID != live[0].ID {
		t.Fatalf("search for %q (%s): %+v %v", live[0].Headline, word, found, err)
	}
	// Picks are stored in the order given and shown back as chips.
	form := n.storyForm("Go deeper picks")
	form["related"] = []string{strconv.FormatInt(live[1].ID, 10), strconv.FormatInt(live[0].ID, 10)}
	id := storyID(t, c.post("/admin/stories", form))
	if got := n.story(id).RelatedIDs; len(got) != 2 || got[0] != live[1].ID || got[1] != live[0].ID {
		t.Errorf("related = %v", got)
	}
	page := body(c.get(fmt.Sprintf("/admin/stories/%d", id)))
	if i, j := strings.Index(page, fmt.Sprintf(`data-id="%d"`, live[1].ID)), strings.Index(page, fmt.Sprintf(`data-id="%d"`, live[0].ID)); i < 0 || j < i {
		t.Errorf("chips missing or out of order")
	}
}

// A headline past the limit is refused with its length, kept whole in the
// form to shorten, and never cut: the browser field has no maxlength that
// would cut a paste without a word.
func TestLongHeadlineIsRefusedNotCut(t *testing.T) {
	n := mustNewsroom(t, newsroomOptions{})
	c := n.signIn(herald.RoleWriter)
	before := n.storyCount()
	long := strings.Repeat("Council weighs lawsuits from cyclists ", 8)[:272]
	res := c.post("/admin/stories", n.storyForm(long))
	page := body(res)
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(page, "under 200 characters (it has 272)") ||
		!strings.Contains(page, `value="`+long+`"`) {
		t.Errorf("a 272-character headline: %d", res.StatusCode)
	}
	if n.storyCount() != before {
		t.Error("a story with a too-long headline was stored")
	}
	if strings.Contains(body(c.get("/admin/stories/new")), `name="headline" value="" maxlength`) {
		t.Error("the headline field cuts pastes")
	}
}

// Two editors save the same story, each from the version they opened: the
// second is refused with the conflict shown, her text kept in the form and
// nothing of the first overwritten; saving again from the page keeps hers.
func TestSecondSaveOfAStoryShowsTheConflict(t *testing.T) {
	n := mustNewsroom(t, newsroomOptions{})
	a, b := n.signIn(herald.RoleEditor), n.signIn(herald.RoleAdmin)
	id := storyID(t, a.post("/admin/stories", n.storyForm("Council backs bike lanes")))
	path := fmt.Sprintf("/admin/stories/%d", id)
	opened := n.story(id).Version
	if !strings.Contains(body(a.get(path)), fmt.Sprintf(`name="version" value="%d"`, opened)) {
		t.Fatal("the editor does not carry the story's version")
	}
	first := n.storyForm("Council backs 40 miles of bike lanes")
	first.Set("version", strconv.Itoa(opened))
	if res := a.post(path, first); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("first save: %d", res.StatusCode)
	}
	second := n.storyForm("Council backs bike lanes")
	second.Set("body", second.Get("body")+"\n\nA paragraph only the second editor wrote.")
	second.Set("version", strconv.Itoa(opened))
	res := b.post(path, second)
	page := body(res)
	if res.StatusCode != http.StatusConflict || !strings.Contains(page, "Someone else saved this story after you opened it") ||
		!strings.Contains(page, "A paragraph only the second editor wrote.") {
		t.Fatalf("second save from the old version: %d", res.StatusCode)
	}
	if st := n.story(id); st.Headline != "Council backs 40 miles of bike lanes" || strings.Contains(st.Body, "second editor") {
		t.Errorf("the stale save changed the story: %q", st.Headline)
	}
	m := regexp.MustCompile(`name="version" value="(\d+)"`).FindStringSubmatch(page)
	if m == nil || m[1] != strconv.Itoa(n.story(id).Version) {
		t.Fatalf("the conflict page does not carry the saved version: %v", m)
	}
	second.Set("version", m[1])
	if res := b.post(path, second); res.StatusCode != http.StatusSeeOther || !strings.Contains(n.story(id).Body, "second editor") {
		t.Errorf("saving again after seeing the conflict: %d", res.StatusCode)
	}
}
