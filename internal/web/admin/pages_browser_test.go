package admin_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/herald-news/herald"
	"github.com/herald-news/herald/internal/sqldb"
)

// TestBrowserAdminPagesFitPhones opens every page of the admin menu as an
// admin at phone and desktop widths: each loads without a script error or
// a refused resource (the pages' Content-Security-Policy forbids inline
// code), and none scrolls sideways on a phone.
func TestBrowserAdminPagesFitPhones(t *testing.T) {
	n := mustNewsroom(t, newsroomOptions{})
	n.mustReaders("am", 5)
	subs, err := n.app.Subscribers.ListSubscribers(context.Background(), sqldb.SubscriberFilter{Limit: 1})
	if err != nil || len(subs) == 0 {
		t.Fatalf("subscribers: %v", err)
	}
	b := newBrowserRun(t, n, "admin-pages")
	b.signIn(n.mustStaff(herald.RoleAdmin), "/admin/", `svg.chart`)
	for _, page := range []struct{ path, ready, name string }{
		{"/admin/", "svg.chart", "dashboard"},
		{"/admin/stories", "#story-list", "stories"},
		{"/admin/editions", "#draft-form", "editions"},
		{"/admin/subscribers", "#subscriber-list", "subscribers"},
		{fmt.Sprintf("/admin/subscribers/%d", subs[0].ID), "#subscriber-email", "subscriber"},
		{"/admin/subscribers/import", "#import-form", "import"},
		{"/admin/suppressions", "main h1", "suppressions"},
		{"/admin/staff", "#staff-list", "staff"},
		{"/admin/settings", "#settings-form", "settings"},
		{"/admin/settings/newsletters/am", "#newsletter-form", "newsletter-settings"},
		{"/admin/inbox", "main h1", "inbox"},
	} {
		b.do(page.name, chromedp.Navigate(b.n.base+page.path), chromedp.WaitVisible(page.ready))
		b.screenshots(page.name)
	}
	b.noConsoleErrors()
}
