package admin_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/herald-news/herald"
	"github.com/herald-news/herald/internal/browsertest"
)

// writeStory is the story editor's part of the newsroom flow: on the new
// story page, an editor writes a story with axioms while the Smart Brevity
// panel follows, picks a related story, uploads a photo, saves,
// publishes, and finds the story on the public site.
func writeStory(b *browserRun) *herald.Story {
	t, n := b.t, b.n
	t.Helper()
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
	do := b.do
	// finding waits until the check's finding for rule has level.
	finding := func(rule, level string) chromedp.Action[chromedp.Void] {
		return poll(fmt.Sprintf(`document.querySelector('#brevity-findings li[data-rule=%q].%s') !== null`, rule, level), 10*time.Second)
	}
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
		poll(`document.querySelector('#preview-body .block-axiom strong') !== null &&
			document.getElementById('brevity-axioms').textContent.includes("What's next")`, 10*time.Second),
	)
	if words := browsertest.MustRun(t, b.ctx, chromedp.Text(`#brevity-words`)); words != "27" {
		t.Errorf("#brevity-words = %q, want 27", words)
	}
	// The line under the body (for phones) follows the same check.
	do("the phone's summary line follows the check", poll(`document.getElementById('brevity-mini-words').textContent === '27' &&
		document.getElementById('brevity-mini-warnings').textContent === String(document.querySelectorAll('#brevity-findings li.warning').length)`, 10*time.Second))
	do("pick a related story, section, author and photo",
		chromedp.SendKeys(`#related-search`, live[0].Headline),
		chromedp.WaitVisible(`#related-results [role=option]`),
		chromedp.Click(`#related-results [role=option]`),
		chromedp.WaitVisible(`#related-chips .chip`),
		chromedp.SetValue(`#section`, strconv.FormatInt(sections[0].ID, 10)),
		chromedp.Click(fmt.Sprintf(`#authors input[value="%d"]`, authors[0].ID)),
		chromedp.SetUploadFiles(`#photo`, []string{photo}),
		poll(`document.getElementById('photo-thumb').src.startsWith('data:image/jpeg')`, 10*time.Second),
		chromedp.SendKeys(`#photo_alt`, "Cyclists ride in a green-painted lane."),
		chromedp.SendKeys(`#photo_caption`, "Riders on Colfax Avenue."),
		chromedp.SendKeys(`#photo_credit`, "Jo Lee/Herald"),
	)
	b.screenshots("story-editor")
	do("save", chromedp.EmulateViewport(1280, 900), chromedp.Click(`#save`), chromedp.WaitVisible(`#publishing`))
	url := browsertest.MustRun(t, b.ctx, chromedp.Location())
	m := regexp.MustCompile(`/admin/stories/(\d+)$`).FindStringSubmatch(url)
	if m == nil {
		t.Fatalf("after saving the page is %s", url)
	}
	id, _ := strconv.ParseInt(m[1], 10, 64)
	// The page after saving carries the check computed on the server.
	do("the saved page shows the check", chromedp.WaitVisible(`#brevity-findings li[data-rule="why-it-matters"].ok`))

	do("a change not saved yet holds publishing back",
		chromedp.Evaluate[chromedp.Void](`window.alert = function (m) { window.heraldAlert = m; }`),
		chromedp.SendKeys(`#body`, "\n\n**The bottom line:** Crews paint the first lanes in March."),
		chromedp.Click(`#publish`),
		poll(`(window.heraldAlert || "").includes("not saved yet")`, 10*time.Second),
	)
	if st := n.story(id); st.Status != herald.StatusDraft {
		t.Fatalf("publishing with unsaved changes went ahead: %s", st.Status)
	}
	do("save again", chromedp.Evaluate[chromedp.Void](`document.querySelectorAll('.flash').forEach(f => f.remove())`),
		chromedp.Click(`#save`), chromedp.WaitVisible(`.flash`), chromedp.WaitVisible(`#publishing`))
	if st := n.story(id); !strings.Contains(st.Body, "The bottom line:") {
		t.Fatalf("the change was not saved: %q", st.Body)
	}
	do("publish", chromedp.Click(`#publish`), chromedp.WaitVisible(`#public-link`))
	if flash := browsertest.MustRun(t, b.ctx, chromedp.Text(`.flash`)); !strings.HasPrefix(flash, "Published. Smart Brevity:") {
		t.Errorf("flash after publishing: %q", flash)
	}
	st := n.story(id)
	if st.Status != herald.StatusPublished || st.Photo == nil || st.Photo.Credit != "Jo Lee/Herald" ||
		len(n.app.Media.Variants(st.Photo.Path)) != 2 || len(st.RelatedIDs) != 1 || st.RelatedIDs[0] != live[0].ID {
		t.Fatalf("stored story: %s photo %+v related %v", st.Status, st.Photo, st.RelatedIDs)
	}
	href := browsertest.MustRun(t, b.ctx, chromedp.Evaluate[string](`document.getElementById('public-link').getAttribute('href')`))
	do("open the public page", chromedp.Navigate(n.base+href), chromedp.WaitVisible(`h1`))
	if h1 := browsertest.MustRun(t, b.ctx, chromedp.Text(`h1`)); !strings.Contains(h1, headline) {
		t.Errorf("public page %s shows %q", href, h1)
	}
	do("find it in the story list", chromedp.Navigate(n.base+"/admin/stories?q=bike+lanes&status=published"),
		chromedp.WaitVisible(fmt.Sprintf(`#story-list tr[data-story="%d"] .public-link`, id)))
	do("the whole list", chromedp.Navigate(n.base+"/admin/stories"), chromedp.WaitVisible(`#story-list`))
	b.screenshots("story-list")
	return n.story(id)
}
