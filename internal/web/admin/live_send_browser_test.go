package admin_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/emersion/go-smtp"
	"github.com/herald-news/herald"
	"github.com/herald-news/herald/internal/browsertest"
	"github.com/herald-news/herald/internal/mail/smtptest"
)

// The live send view in a browser, with a relay that refuses some readers
// for good (550 5.1.1) and defers others (451): every reader not accepted
// is listed with the relay's answer, and the deferred ones show as
// waiting to retry with the time of the next try.
func TestBrowserLiveViewListsEveryReaderNotAccepted(t *testing.T) {
	refused := func(to string) bool { return strings.HasSuffix(to, "3@example.com") }
	deferred := func(to string) bool { return strings.HasSuffix(to, "7@example.com") }
	relay := &smtptest.Relay{Discard: true, Reply: func(_ int, _ string, to []string) *smtp.SMTPError {
		switch {
		case refused(to[0]):
			return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "no such mailbox here"}
		case deferred(to[0]):
			return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 2, 1}, Message: "mailbox busy, come back later"}
		}
		return nil
	}}
	port := smtptest.MustStart(t, relay, nil)
	n := mustNewsroom(t, newsroomOptions{args: []string{"-smtp-url", fmt.Sprintf("smtp://127.0.0.1:%d", port), "-retry-base", "10m"}})
	n.mustReaders("pm", 30)
	ctx := browsertest.New(t, 3*time.Minute)
	b := &browserRun{t: t, n: n, ctx: ctx}
	b.console.Listen(t, ctx)
	email := n.mustStaff(herald.RoleEditor)
	ed := n.signIn(herald.RoleEditor).mustDraft("pm")
	if _, err := n.app.SendNow(t.Context(), ed.ID); err != nil {
		t.Fatal(err)
	}
	b.signIn(email, fmt.Sprintf("/admin/editions/%d/send", ed.ID), `#live-send`)
	b.do("wait for every reader not accepted",
		poll(`document.querySelectorAll('#send-failures tbody tr:not(.none)').length === 6 && !document.getElementById('send-retry').hidden`, time.Minute))
	rows := browsertest.MustRun(t, ctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll('#send-failures tbody tr')).map(tr => tr.textContent)`))
	retry := browsertest.MustRun(t, ctx, chromedp.Text(`#send-retry`))
	listed := strings.Join(rows, "\n")
	for i := range 30 {
		to := fmt.Sprintf("reader%03d@example.com", i)
		want := ""
		switch {
		case refused(to):
			want = "no such mailbox here"
		case deferred(to):
			want = "mailbox busy"
		default:
			if strings.Contains(listed, to) {
				t.Errorf("%s was accepted but is listed", to)
			}
			continue
		}
		if !strings.Contains(listed, to) || !strings.Contains(listed, want) {
			t.Errorf("%s is not listed with the relay's answer %q:\n%s", to, want, listed)
		}
	}
	if !strings.Contains(retry, "3 waiting to retry, next at ") {
		t.Errorf("retry note %q", retry)
	}
	b.noConsoleErrors()
}
