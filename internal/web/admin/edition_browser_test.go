package admin_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
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

// TestBrowserComposeAndSend: an editor signs in, drafts an edition, adds
// a story to it, moves an item, sends a test, sends it to 200 readers
// through the dev inbox and watches the live send view reach 100%.
func TestBrowserComposeAndSend(t *testing.T) {
	n := mustNewsroom(t, newsroomOptions{})
	n.mustReaders("pm", 200)
	ctx := browsertest.New(t, 3*time.Minute)
	var console browsertest.ConsoleErrors
	console.Listen(t, ctx)
	email := n.mustStaff(herald.RoleEditor)
	shots, err := os.MkdirTemp("", "herald-composer-")
	if err != nil {
		t.Fatal(err)
	}
	do := func(step string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, actions...); err != nil {
			t.Fatalf("%s: %v", step, err)
		}
	}
	poll := func(js string, timeout time.Duration) chromedp.Action[chromedp.Void] {
		return chromedp.Poll[chromedp.Void](js, chromedp.WithPollingTimeout(timeout))
	}
	// submit clicks a button that posts a form and waits for the next
	// page's notice.
	submit := func(button string) []chromedp.Action[chromedp.Void] {
		return []chromedp.Action[chromedp.Void]{
			chromedp.Evaluate[chromedp.Void](`document.querySelectorAll('.flash').forEach(f => f.remove())`),
			chromedp.Click(button),
			chromedp.WaitVisible(`.flash`),
		}
	}
	screenshots := func(name string) {
		t.Helper()
		for _, width := range []int64{1280, 375} {
			// Chromium paints the sandboxed previews only once they have
			// been on screen.
			do(fmt.Sprintf("resize to %d px", width), chromedp.EmulateViewport(width, 900),
				chromedp.Evaluate[chromedp.Void](`document.querySelectorAll('iframe').forEach(f => f.scrollIntoView())`),
				chromedp.Sleep(500*time.Millisecond))
			png := browsertest.MustRun(t, ctx, chromedp.FullScreenshot(100))
			path := filepath.Join(shots, fmt.Sprintf("%s-%d.png", name, width))
			if err := os.WriteFile(path, png, 0o644); err != nil {
				t.Fatal(err)
			}
			t.Logf("screenshot: %s", path)
			fmt.Println("screenshot:", path)
			if width == 375 {
				if scroll := browsertest.MustRun(t, ctx, chromedp.Evaluate[int64](`document.documentElement.scrollWidth`)); scroll > width {
					t.Errorf("%s scrolls sideways at 375 px: %d px wide", name, scroll)
				}
			}
		}
		do("back to 1280 px", chromedp.EmulateViewport(1280, 900))
	}

	do("sign in and draft the next PM",
		chromedp.EmulateViewport(1280, 900),
		chromedp.Navigate(n.base+"/admin/sign-in?next=/admin/editions%3Fnewsletter%3Dpm"),
		chromedp.SendKeys(`input[name=email]`, email),
		chromedp.SendKeys(`input[name=password]`, testPassword),
		chromedp.Click(`main button.primary`),
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

	// A live story that is not in the edition yet, found by its headline.
	live, _, err := n.app.Stories.FindStories(context.Background(), herald.StoryFilter{LiveAt: n.app.Clock.Now(), Limit: 50})
	if err != nil {
		t.Fatal(err)
	}
	var extra *herald.Story
	for _, st := range live {
		if st.ID != ed.Opening.StoryID && !slices.ContainsFunc(ed.Items, func(it herald.EditionItem) bool { return it.StoryID == st.ID }) {
			extra = st
			break
		}
	}
	do("search the story picker",
		chromedp.SendKeys(`#story-q`, extra.Headline),
		poll(fmt.Sprintf(`[...document.querySelectorAll('#story-results li')].some(li => li.textContent.includes(%q))`, extra.Headline), 10*time.Second),
	)
	do("add the story", submit(`#story-results form.add-story button`)...)
	ed = n.edition(id)
	if last := ed.Items[len(ed.Items)-1]; last.StoryID == 0 || len(ed.Items) < 2 {
		t.Fatalf("after adding a story the items are %q", headlines(ed.Items))
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
	screenshots("composer")

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
	screenshots("send-view")
	if all, _ := n.app.Inbox.Messages(context.Background(), 0); len(all) != 201 {
		t.Errorf("dev inbox holds %d messages, want 200 and the test", len(all))
	}
	time.Sleep(200 * time.Millisecond) // late resource errors
	for _, e := range console.Take() {
		if strings.Contains(e, "/favicon.ico") {
			continue // the site's, not the admin's
		}
		t.Errorf("browser: %s", e)
	}
}
