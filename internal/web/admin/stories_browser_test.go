package admin_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/herald-news/herald"
	"github.com/herald-news/herald/internal/browsertest"
)

// TestBrowserStoryEditor: an editor signs in, writes a story with axioms
// while the Smart Brevity panel follows, picks a related story, uploads a
// photo, saves, publishes, and finds the story on the public site.
func TestBrowserStoryEditor(t *testing.T) {
	n := mustNewsroom(t, newsroomOptions{})
	ctx := browsertest.New(t, 3*time.Minute)
	var console browsertest.ConsoleErrors
	console.Listen(t, ctx)
	email := n.mustStaff(herald.RoleEditor)
	bg := context.Background()
	sections, _ := n.app.Newsroom.Sections(bg)
	authors, _ := n.app.Newsroom.Authors(bg)
	live, _, err := n.app.Stories.FindStories(bg, herald.StoryFilter{LiveAt: n.app.Clock.Now(), Limit: 1})
	if err != nil || len(sections) == 0 || len(authors) == 0 || len(live) == 0 {
		t.Fatalf("demo newsroom: %v", err)
	}
	photo := filepath.Join(t.TempDir(), "lanes.jpg")
	if err := os.WriteFile(photo, testJPEG(t, 1600, 1000), 0o600); err != nil {
		t.Fatal(err)
	}
	shots, err := os.MkdirTemp("", "herald-story-editor-")
	if err != nil {
		t.Fatal(err)
	}
	do := func(step string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, actions...); err != nil {
			t.Fatalf("%s: %v", step, err)
		}
	}
	// finding waits until the check's finding for rule has level.
	finding := func(rule, level string) chromedp.Action[chromedp.Void] {
		return chromedp.Poll[chromedp.Void](fmt.Sprintf(`document.querySelector('#brevity-findings li[data-rule=%q].%s') !== null`, rule, level),
			chromedp.WithPollingTimeout(10*time.Second))
	}

	do("sign in through the form",
		chromedp.EmulateViewport(1280, 900),
		chromedp.Navigate(n.base+"/admin/sign-in?next=/admin/stories/new"),
		chromedp.SendKeys(`input[name=email]`, email),
		chromedp.SendKeys(`input[name=password]`, testPassword),
		chromedp.Click(`main button.primary`),
		chromedp.WaitVisible(`#story-form`),
	)
	headline := "Council backs 40 miles of bike lanes"
	do("type the headline and a lede",
		chromedp.SendKeys(`#headline`, headline),
		chromedp.SendKeys(`#body`, "The city council approved 40 miles of protected bike lanes on Tuesday."),
		finding("lede-sentence", "ok"),
		finding("why-it-matters", "warning"),
	)
	do("add why it matters: the finding turns from warning to ok",
		chromedp.SendKeys(`#body`, "\n\n**Why it matters:** Cycling deaths doubled in five years.\n\n**What's next:** Work starts in March."),
		finding("why-it-matters", "ok"),
		chromedp.Poll[chromedp.Void](`document.querySelector('#preview-body .block-axiom strong') !== null &&
			document.getElementById('brevity-axioms').textContent.includes("What's next")`, chromedp.WithPollingTimeout(10*time.Second)),
	)
	if words := browsertest.MustRun(t, ctx, chromedp.Text(`#brevity-words`)); words != "27" {
		t.Errorf("#brevity-words = %q, want 27", words)
	}
	do("pick a related story, section, author and photo",
		chromedp.SendKeys(`#related-search`, live[0].Headline),
		chromedp.WaitVisible(`#related-results [role=option]`),
		chromedp.Click(`#related-results [role=option]`),
		chromedp.WaitVisible(`#related-chips .chip`),
		chromedp.SetValue(`#section`, strconv.FormatInt(sections[0].ID, 10)),
		chromedp.Click(fmt.Sprintf(`#authors input[value="%d"]`, authors[0].ID)),
		chromedp.SetUploadFiles(`#photo`, []string{photo}),
		chromedp.Poll[chromedp.Void](`document.getElementById('photo-thumb').src.startsWith('data:image/jpeg')`,
			chromedp.WithPollingTimeout(10*time.Second)),
		chromedp.SendKeys(`#photo_alt`, "Cyclists ride in a green-painted lane."),
		chromedp.SendKeys(`#photo_caption`, "Riders on Colfax Avenue."),
		chromedp.SendKeys(`#photo_credit`, "Jo Lee/Herald"),
	)
	screenshot := func(name string, width int64) {
		t.Helper()
		do(fmt.Sprintf("resize to %d px", width), chromedp.EmulateViewport(width, 900),
			chromedp.Evaluate[chromedp.Void](`window.scrollTo(0, 0)`), chromedp.Sleep(200*time.Millisecond))
		png := browsertest.MustRun(t, ctx, chromedp.FullScreenshot(100)) // quality 100 makes a PNG
		path := filepath.Join(shots, fmt.Sprintf("%s-%d.png", name, width))
		if err := os.WriteFile(path, png, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("screenshot: %s", path)
		fmt.Println("screenshot:", path)
	}
	for _, width := range []int64{1280, 375} {
		screenshot("story-editor", width)
		if width == 375 {
			scroll := browsertest.MustRun(t, ctx, chromedp.Evaluate[int64](`document.documentElement.scrollWidth`))
			if scroll > width {
				t.Errorf("the editor scrolls sideways at 375 px: %d px wide", scroll)
			}
		}
	}
	do("save", chromedp.EmulateViewport(1280, 900), chromedp.Click(`#save`), chromedp.WaitVisible(`#publishing`))
	url := browsertest.MustRun(t, ctx, chromedp.Location())
	m := regexp.MustCompile(`/admin/stories/(\d+)$`).FindStringSubmatch(url)
	if m == nil {
		t.Fatalf("after saving the page is %s", url)
	}
	id, _ := strconv.ParseInt(m[1], 10, 64)
	// The page after saving carries the check computed on the server.
	do("the saved page shows the check", chromedp.WaitVisible(`#brevity-findings li[data-rule="why-it-matters"].ok`))

	do("publish", chromedp.Click(`#publish`), chromedp.WaitVisible(`#public-link`))
	if flash := browsertest.MustRun(t, ctx, chromedp.Text(`.flash`)); !strings.HasPrefix(flash, "Published. Smart Brevity:") {
		t.Errorf("flash after publishing: %q", flash)
	}
	st := n.story(id)
	if st.Status != herald.StatusPublished || st.Photo == nil || st.Photo.Credit != "Jo Lee/Herald" ||
		len(n.app.Media.Variants(st.Photo.Path)) != 2 || len(st.RelatedIDs) != 1 || st.RelatedIDs[0] != live[0].ID {
		t.Fatalf("stored story: %s photo %+v related %v", st.Status, st.Photo, st.RelatedIDs)
	}
	screenshot("story-published", 1280)
	href := browsertest.MustRun(t, ctx, chromedp.Evaluate[string](`document.getElementById('public-link').getAttribute('href')`))
	do("open the public page", chromedp.Navigate(n.base+href), chromedp.WaitVisible(`h1`))
	if h1 := browsertest.MustRun(t, ctx, chromedp.Text(`h1`)); !strings.Contains(h1, headline) {
		t.Errorf("public page %s shows %q", href, h1)
	}
	do("find it in the story list", chromedp.Navigate(n.base+"/admin/stories?q=bike+lanes&status=published"),
		chromedp.WaitVisible(fmt.Sprintf(`#story-list tr[data-story="%d"] .public-link`, id)))
	do("the whole list", chromedp.Navigate(n.base+"/admin/stories"), chromedp.WaitVisible(`#story-list`))
	screenshot("story-list", 1280)
	screenshot("story-list", 375)
	time.Sleep(200 * time.Millisecond) // late resource errors
	for _, e := range console.Take() {
		if strings.Contains(e, "/favicon.ico") {
			continue // the admin has no icon; the browser asks anyway
		}
		t.Errorf("browser: %s", e)
	}
}
