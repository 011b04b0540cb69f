package cli

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// chromiumPath finds a Chromium binary; outside CI a missing browser skips
// the test, in CI it fails it.
func chromiumPath(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "headless-shell"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("Chromium is not installed; .ci/run must install it")
	}
	t.Skip("Chromium not installed (apt-get install chromium); skipped outside CI")
	return ""
}

// browser starts a headless Chromium on its own empty profile.
func browser(t *testing.T) context.Context {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromiumPath(t)),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(allocCtx)
	ctx, cancelTimeout := context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(func() { cancelTimeout(); cancelCtx(); cancelAlloc() })
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start Chromium: %v", err)
	}
	return ctx
}

// consoleErrors collects console errors, uncaught exceptions and browser
// log errors (failed loads, CSP violations) from the page.
type consoleErrors struct {
	mu   sync.Mutex
	errs []string
}

func (c *consoleErrors) listen(t *testing.T, ctx context.Context) {
	t.Helper()
	err := chromedp.Listen(ctx, func(ev any) {
		c.mu.Lock()
		defer c.mu.Unlock()
		switch ev := ev.(type) {
		case *runtime.EventConsoleAPICalled:
			if ev.Type == runtime.ConsoleAPICalledTypeError {
				c.errs = append(c.errs, fmt.Sprintf("console.error: %v", ev.Args))
			}
		case *runtime.EventExceptionThrown:
			c.errs = append(c.errs, "exception: "+ev.ExceptionDetails.Text)
		case *log.EventEntryAdded:
			if ev.Entry.Level == log.EntryLevelError {
				c.errs = append(c.errs, fmt.Sprintf("log: %s (%s)", ev.Entry.Text, ev.Entry.URL))
			}
		}
	})
	if err != nil {
		t.Fatalf("listen to the page: %v", err)
	}
}

func (c *consoleErrors) take() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	errs := c.errs
	c.errs = nil
	return errs
}

func TestBrowserPagesFitPhonesAndDesktops(t *testing.T) {
	ctx := browser(t)
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
	var errs consoleErrors
	errs.listen(t, ctx)
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
			title := mustRun(t, ctx, chromedp.Title())
			scrollWidth := mustRun(t, ctx, chromedp.Evaluate[int64](`document.documentElement.scrollWidth`))
			innerWidth := mustRun(t, ctx, chromedp.Evaluate[int64](`window.innerWidth`))
			if title == "" || strings.Contains(title, "not found") {
				t.Errorf("%s at %dpx: title %q", path, width, title)
			}
			if width == 375 && scrollWidth > innerWidth {
				t.Errorf("%s at 375px scrolls sideways: content is %dpx wide", path, scrollWidth)
			}
			// Give late resource errors a moment to arrive.
			time.Sleep(200 * time.Millisecond)
			for _, e := range errs.take() {
				t.Errorf("%s at %dpx: %s", path, width, e)
			}
		}
	}
}

func TestBrowserKeyboardReachesSkipLink(t *testing.T) {
	ctx := browser(t)
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
	focused := mustRun(t, ctx, chromedp.Evaluate[string](`document.activeElement.textContent.trim()`))
	if focused != "Skip to content" {
		t.Errorf("first Tab focuses %q, want the skip link", focused)
	}
}

// mustRun runs one browser action and returns its value.
func mustRun[T any](t *testing.T, ctx context.Context, a chromedp.Action[T]) T {
	t.Helper()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	return v
}
