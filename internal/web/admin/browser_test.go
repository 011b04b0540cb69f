package admin_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/herald-news/herald/internal/browsertest"
)

// browserRun is one headless Chromium driving the admin of n, with the
// steps, waits and screenshots the browser tests share.
type browserRun struct {
	t       *testing.T
	n       *newsroom
	ctx     context.Context
	shots   string // folder of screenshots; it outlives the test so people can look
	console browsertest.ConsoleErrors
}

func newBrowserRun(t *testing.T, n *newsroom, name string) *browserRun {
	t.Helper()
	b := &browserRun{t: t, n: n, ctx: browsertest.New(t, 4*time.Minute)}
	b.console.Listen(t, b.ctx)
	var err error
	if b.shots, err = os.MkdirTemp("", "herald-"+name+"-"); err != nil {
		t.Fatal(err)
	}
	return b
}

// do runs a named step's actions, failing the test with the step's name.
func (b *browserRun) do(step string, actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	if err := chromedp.Do(b.ctx, actions...); err != nil {
		b.t.Fatalf("%s: %v", step, err)
	}
}

// poll waits until js is true, for at most timeout.
func poll(js string, timeout time.Duration) chromedp.Action[chromedp.Void] {
	return chromedp.Poll[chromedp.Void](js, chromedp.WithPollingTimeout(timeout))
}

// signIn signs in through the real form and waits for the page at next.
func (b *browserRun) signIn(email, next, waitFor string) {
	b.t.Helper()
	b.do("sign in through the form",
		chromedp.EmulateViewport(1280, 900),
		chromedp.Navigate(b.n.base+"/admin/sign-in?next="+next),
		chromedp.SendKeys(`input[name=email]`, email),
		chromedp.SendKeys(`input[name=password]`, testPassword),
		chromedp.Click(`main button.primary`),
		chromedp.WaitVisible(waitFor),
	)
}

// screenshots saves the page at 1280 and 375 px and checks that it does
// not scroll sideways on a phone. Chromium paints sandboxed frames only
// once they have been on screen, so each is scrolled into view first.
func (b *browserRun) screenshots(name string) {
	b.t.Helper()
	for _, width := range []int64{1280, 375} {
		b.do(fmt.Sprintf("resize to %d px", width), chromedp.EmulateViewport(width, 900),
			chromedp.Evaluate[chromedp.Void](`document.querySelectorAll('iframe').forEach(f => f.scrollIntoView())`),
			chromedp.Evaluate[chromedp.Void](`window.scrollTo(0, 0)`),
			chromedp.Sleep(500*time.Millisecond))
		png := browsertest.MustRun(b.t, b.ctx, chromedp.FullScreenshot(100)) // quality 100 makes a PNG
		path := filepath.Join(b.shots, fmt.Sprintf("%s-%d.png", name, width))
		if err := os.WriteFile(path, png, 0o644); err != nil {
			b.t.Fatal(err)
		}
		b.t.Logf("screenshot: %s", path)
		fmt.Println("screenshot:", path)
		if width == 375 {
			if scroll := browsertest.MustRun(b.t, b.ctx, chromedp.Evaluate[int64](`document.documentElement.scrollWidth`)); scroll > width {
				b.t.Errorf("%s scrolls sideways at 375 px: %d px wide", name, scroll)
			}
		}
	}
	b.do("back to 1280 px", chromedp.EmulateViewport(1280, 900))
}

// noConsoleErrors fails the test for anything the page logged as an error.
func (b *browserRun) noConsoleErrors() {
	b.t.Helper()
	time.Sleep(200 * time.Millisecond) // late resource errors
	for _, e := range b.console.Take() {
		if strings.Contains(e, "/favicon.ico") {
			continue // the admin has no icon; the browser asks anyway
		}
		b.t.Errorf("browser: %s", e)
	}
}
