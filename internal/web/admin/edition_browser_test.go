package admin_test

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/herald-news/herald"
	"github.com/herald-news/herald/internal/browsertest"
)

// TestBrowserNewsroom is the newsroom's day in a browser: an editor signs
// in, writes a story with axioms and an uploaded photo while the Smart
// Brevity check follows the text, publishes it and finds it on the public
// site; then composes the PM edition with it, sends a test, sends it to
// 200 readers through the dev inbox and watches the progress reach 100%.
// Screenshots of the editor, the composer and the live send view at 1280
// and 375 px go to a folder the test prints.
func TestBrowserNewsroom(t *testing.T) {
	n := mustNewsroom(t, newsroomOptions{})
	n.mustReaders("pm", 200)
	b := newBrowserRun(t, n, "newsroom")
	email := n.mustStaff(herald.RoleEditor)
	b.signIn(email, "/admin/stories/new", `#story-form`)
	story := writeStory(b)
	composeAndSend(b, email, story)
	b.noConsoleErrors()
}

// composeAndSend drafts the next PM edition, makes sure it carries story
// (adding it through the story picker when the desk left it out, else
// adding another story), moves an item, sends a test, sends the edition
// to the 200 readers and watches the live send view reach 100%.
func composeAndSend(b *browserRun, email string, story *herald.Story) {
	t, n, ctx, do := b.t, b.n, b.ctx, b.do
	t.Helper()
	// submit clicks a button that posts a form and waits for the next
	// page's notice.
	submit := func(button string) []chromedp.Action[chromedp.Void] {
		return []chromedp.Action[chromedp.Void]{
			chromedp.Evaluate[chromedp.Void](`document.querySelectorAll('.flash').forEach(f => f.remove())`),
			chromedp.Click(button),
			chromedp.WaitVisible(`.flash`),
		}
	}
	do("draft the next PM",
		chromedp.Navigate(n.base+"/admin/editions?newsletter=pm"),
		chromedp.WaitVisible(`#draft-form`),
		chromedp.Click(`#draft-form button`),
		chromedp.WaitVisible(`#composer-form`),
	)
	m := regexp.MustCompile(`/admin/editions/(\d+)`).FindStringSubmatch(browsertest.MustRun(t, ctx, chromedp.Location()))
	if m == nil {
		t.Fatal("drafting did not open the composer")
	}
	id, _ := strconv.ParseInt(m[1], 10, 64)
	ed := n.edition(id)

	// The story just published, if the desk left it out; else another
	// live story that is not in the edition yet. Found by its headline.
	inEdition := func(id int64) bool {
		return id == ed.Opening.StoryID || slices.ContainsFunc(ed.Items, func(it herald.EditionItem) bool { return it.StoryID == id })
	}
	extra := story
	if inEdition(story.ID) {
		live, _, err := n.app.Stories.FindStories(context.Background(), herald.StoryFilter{LiveAt: n.app.Clock.Now(), Limit: 50})
		if err != nil {
			t.Fatal(err)
		}
		for _, st := range live {
			if !inEdition(st.ID) {
				extra = st
				break
			}
		}
	}
	do("search the story picker",
		chromedp.SendKeys(`#story-q`, extra.Headline),
		poll(fmt.Sprintf(`[...document.querySelectorAll('#story-results li')].some(li => li.textContent.includes(%q))`, extra.Headline), 10*time.Second),
	)
	do("add the story", submit(`#story-results form.add-story button`)...)
	ed = n.edition(id)
	if last := ed.Items[len(ed.Items)-1]; last.StoryID != extra.ID || len(ed.Items) < 2 || !inEdition(story.ID) {
		t.Fatalf("after adding %q the items are %q", extra.Headline, headlines(ed.Items))
	}
	before := headlines(ed.Items)
	do("move item 1 down: it saves on its own",
		chromedp.Click(`#item-1 .move-down`),
		poll(`document.getElementById('save-status').textContent.startsWith('Saved')`, 10*time.Second),
	)
	if after := headlines(n.edition(id).Items); after[0] != before[1] || after[1] != before[0] {
		t.Errorf("after moving item 1 down: %q, was %q", after, before)
	}
	do("send a test", submit(`#send-test`)...)
	if flash := browsertest.MustRun(t, ctx, chromedp.Text(`.flash`)); flash != "A test copy is on its way to "+email+"." {
		t.Errorf("after sending a test: %q", flash)
	}
	msgs, err := n.app.Inbox.Messages(context.Background(), 1)
	if err != nil || len(msgs) != 1 || !strings.HasPrefix(msgs[0].Subject, "[Test] ") {
		t.Fatalf("test copy: %v %+v", err, msgs)
	}
	do("the previews load", poll(`document.getElementById('preview-desktop').getBoundingClientRect().height > 100`, 10*time.Second))
	b.screenshots("composer")

	label := browsertest.MustRun(t, ctx, chromedp.Text(`#send-now`))
	if label != "Send now to 200 readers" {
		t.Errorf("send button says %q", label)
	}
	do("send now, confirming",
		chromedp.Evaluate[chromedp.Void](`window.confirm = function (msg) { return msg.includes('200 readers'); }`),
		chromedp.Click(`#send-now`),
		chromedp.WaitVisible(`#send-progress`),
		poll(`document.getElementById('send-progress').getAttribute('data-percent') === '100'`, time.Minute),
		poll(`document.getElementById('send-status').textContent === 'sent'`, 10*time.Second),
	)
	if counts := browsertest.MustRun(t, ctx, chromedp.Text(`#send-counts td[data-status=accepted]`)); counts != "200" {
		t.Errorf("accepted count on the page: %q", counts)
	}
	b.screenshots("send-view")
	if all, _ := n.app.Inbox.Messages(context.Background(), 0); len(all) != 201 {
		t.Errorf("dev inbox holds %d messages, want 200 and the test", len(all))
	}
}
