package cli

import (
	"github.com/herald-news/herald/internal/browsertest"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

func TestBrowserPagesFitPhonesAndDesktops(t *testing.T) {
	ctx := browsertest.New(t, 90*time.Second)
	base := mustServeDemo(t)
	_, home := mustFetch(t, base+"/")
	var storyPath string
	for _, href := range between(home, `<h3 class="card-headline"><a href="`, `"`) {
		if !strings.HasPrefix(href, "/local/") {
			storyPath = href
			break
		}
	}
	if storyPath == "" {
		t.Fatal("no story link on the home page")
	}
	var errs browsertest.ConsoleErrors
	errs.Listen(t, ctx)
	for _, width := range []int64{375, 1280} {
		for _, path := range []string{"/", storyPath, "/local/denver"} {
			err := chromedp.Do(ctx,
				chromedp.EmulateViewport(width, 800),
				chromedp.Navigate(base+path),
				chromedp.WaitReady("footer"),
			)
			if err != nil {
				t.Fatalf("%s at %dpx: %v", path, width, err)
			}
			title := browsertest.MustRun(t, ctx, chromedp.Title())
			scrollWidth := browsertest.MustRun(t, ctx, chromedp.Evaluate[int64](`document.documentElement.scrollWidth`))
			innerWidth := browsertest.MustRun(t, ctx, chromedp.Evaluate[int64](`window.innerWidth`))
			if title == "" || strings.Contains(title, "not found") {
				t.Errorf("%s at %dpx: title %q", path, width, title)
			}
			if width == 375 && scrollWidth > innerWidth {
				t.Errorf("%s at 375px scrolls sideways: content is %dpx wide", path, scrollWidth)
			}
			// Give late resource errors a moment to arrive.
			time.Sleep(200 * time.Millisecond)
			for _, e := range errs.Take() {
				t.Errorf("%s at %dpx: %s", path, width, e)
			}
		}
	}
}

func TestBrowserKeyboardReachesSkipLink(t *testing.T) {
	ctx := browsertest.New(t, 90*time.Second)
	base := mustServeDemo(t)
	err := chromedp.Do(ctx,
		chromedp.EmulateViewport(375, 800),
		chromedp.Navigate(base+"/"),
		chromedp.WaitReady("footer"),
		chromedp.KeyEvent("\t"),
	)
	if err != nil {
		t.Fatal(err)
	}
	focused := browsertest.MustRun(t, ctx, chromedp.Evaluate[string](`document.activeElement.textContent.trim()`))
	if focused != "Skip to content" {
		t.Errorf("first Tab focuses %q, want the skip link", focused)
	}
}
