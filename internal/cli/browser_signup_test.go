package cli

import (
	"context"
	"github.com/herald-news/herald/internal/browsertest"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// The signup box with JavaScript: an invalid then a valid address each get
// their answer inline, in the right live region, without a page load.
func TestBrowserSignupInline(t *testing.T) {
	ctx := browsertest.New(t, 90*time.Second)
	base := mustServeDemo(t)
	form := chromedp.CSS(`aside.signup form`)
	email := chromedp.CSS(`aside.signup .signup-email`)
	button := chromedp.CSS(`aside.signup button`)
	err := chromedp.Do(ctx,
		chromedp.EmulateViewport(375, 800),
		chromedp.Navigate(base+"/local/denver"),
		chromedp.WaitReady(form),
		// A marker that a page load would wipe out.
		chromedp.Evaluate[chromedp.Void](`window.__samePage = true`),
		chromedp.SendKeys(email, "not-an-address"),
		chromedp.Click(button),
	)
	if err != nil {
		t.Fatal(err)
	}
	alert := browsertest.MustRun(t, ctx, chromedp.Poll[string](
		`document.querySelector("aside.signup [role=alert]").textContent || false`, chromedp.WithPollingTimeout(10*time.Second)))
	if alert != "Please enter a valid email." {
		t.Errorf("alert = %q", alert)
	}
	if status := browsertest.MustRun(t, ctx, chromedp.Evaluate[string](`document.querySelector("aside.signup [role=status]").textContent`)); status != "" {
		t.Errorf("status region says %q after an error", status)
	}
	title := browsertest.MustRun(t, ctx, chromedp.Evaluate[string](`document.querySelector("aside.signup .signup-title").textContent`))
	if title != "Denver news in your inbox" {
		t.Errorf("city page offers %q", title)
	}
	err = chromedp.Do(ctx,
		chromedp.Evaluate[chromedp.Void](`document.querySelector("aside.signup .signup-email").value = ""`),
		chromedp.SendKeys(email, "denver.reader@example.com"),
		chromedp.Click(button),
	)
	if err != nil {
		t.Fatal(err)
	}
	status := browsertest.MustRun(t, ctx, chromedp.Poll[string](
		`document.querySelector("aside.signup [role=status]").textContent || false`, chromedp.WithPollingTimeout(10*time.Second)))
	if !strings.HasPrefix(status, "Thank you for subscribing!") || !strings.Contains(status, "confirm") {
		t.Errorf("status = %q", status)
	}
	if alert := browsertest.MustRun(t, ctx, chromedp.Evaluate[string](`document.querySelector("aside.signup [role=alert]").textContent`)); alert != "" {
		t.Errorf("alert still says %q", alert)
	}
	if !browsertest.MustRun(t, ctx, chromedp.Evaluate[bool](`window.__samePage === true`)) {
		t.Error("the page reloaded")
	}
}

// Without JavaScript the same form posts and answers with a page.
func TestBrowserSignupWithoutJavaScript(t *testing.T) {
	ctx := browsertest.New(t, 90*time.Second)
	base := mustServeDemo(t)
	disable := chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true})
		return err
	})
	email := chromedp.CSS(`aside.signup .signup-email`)
	err := chromedp.Do(ctx,
		chromedp.Navigate(base+"/"),
		disable,
		chromedp.Navigate(base+"/"),
		chromedp.WaitReady(email),
		chromedp.SendKeys(email, "no.script@example.com"),
		chromedp.Submit(email),
		chromedp.WaitReady(chromedp.CSS(`.signup-answer`)),
	)
	if err != nil {
		t.Fatal(err)
	}
	heading := browsertest.MustRun(t, ctx, chromedp.Text(chromedp.CSS(`.signup-answer h1`)))
	if heading != "Thank you for subscribing!" {
		t.Errorf("answer page heading = %q", heading)
	}
	if url := browsertest.MustRun(t, ctx, chromedp.Location()); !strings.HasSuffix(url, "/subscribe") {
		t.Errorf("no page load: still at %s", url)
	}
}
