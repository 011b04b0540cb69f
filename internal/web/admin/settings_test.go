package admin_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/herald-news/herald"
)

func TestSettings(t *testing.T) {
	n := mustNewsroom(t, newsroomOptions{})
	ctx := context.Background()
	before, err := n.app.Site.Site(ctx)
	if err != nil {
		t.Fatal(err)
	}
	editor := n.signIn(herald.RoleEditor)
	if res := editor.post("/admin/settings", url.Values{"name": {"Taken over"}}); res.StatusCode != http.StatusForbidden {
		t.Errorf("an editor saving settings: %d", res.StatusCode)
	}
	admin := n.signIn(herald.RoleAdmin)
	form := url.Values{"name": {before.Name}, "tagline": {before.Tagline}, "postal_address": {before.PostalAddress},
		"language": {"en-US"}, "twitter_handle": {"@not a handle"}}
	res := admin.post("/admin/settings", form)
	if page := body(res); res.StatusCode != http.StatusBadRequest || !strings.Contains(page, "must be up to 15 letters") ||
		!strings.Contains(page, `value="@not a handle"`) {
		t.Errorf("a bad handle: %d", res.StatusCode)
	}
	if after, _ := n.app.Site.Site(ctx); *after != *before {
		t.Errorf("a refused form changed the settings: %+v", after)
	}
	form.Set("twitter_handle", "heraldnews")
	if res := admin.post("/admin/settings", form); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("saving: %d %s", res.StatusCode, body(res))
	}
	if after, _ := n.app.Site.Site(ctx); after.TwitterHandle != "@heraldnews" || after.Name != before.Name {
		t.Errorf("saved settings %+v", after)
	}
	if page := body(admin.get("/admin/settings")); !strings.Contains(page, `value="@heraldnews"`) || !strings.Contains(page, "Saved.") {
		t.Error("the settings page does not show the saved handle and the notice")
	}
}

func TestNewsletterSettings(t *testing.T) {
	n := mustNewsroom(t, newsroomOptions{})
	ctx := context.Background()
	admin := n.signIn(herald.RoleAdmin)
	form := url.Values{"name": {"Herald Weekend"}, "slug": {"weekend"}, "promise": {"The week, read slowly."},
		"days": {"sun", "sat"}, "send_time": {"08:30"}, "time_zone": {"America/Chicago"},
		"sections": {"politics"}, "from_name": {"Herald Weekend"}, "from_email": {"weekend@herald.example"}}
	if res := n.signIn(herald.RoleEditor).post("/admin/settings/newsletters", withoutCSRF(form)); res.StatusCode != http.StatusForbidden {
		t.Errorf("an editor creates a newsletter: %d", res.StatusCode)
	}
	// Bad input is refused with the typed values kept, and nothing stored.
	bad := withoutCSRF(form)
	bad.Set("from_email", "not an address")
	res := admin.post("/admin/settings/newsletters", bad)
	if page := body(res); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(page, "is not an email address") ||
		!strings.Contains(page, `value="Herald Weekend"`) {
		t.Errorf("a bad From address: %d", res.StatusCode)
	}
	if _, err := n.app.Newsroom.FindNewsletter(ctx, "weekend"); herald.ErrorCode(err) != herald.ENOTFOUND {
		t.Fatalf("a refused newsletter was stored: %v", err)
	}
	if res := admin.post("/admin/settings/newsletters", form); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("create: %d %s", res.StatusCode, body(res))
	}
	nl, err := n.app.Newsroom.FindNewsletter(ctx, "weekend")
	if err != nil || strings.Join(nl.Days, ",") != "sat,sun" || nl.SendTime != "08:30" || nl.Schedule() != "Weekends at 8:30 AM CT" ||
		strings.Join(nl.Sections, ",") != "politics" || nl.FromEmail != "weekend@herald.example" {
		t.Fatalf("stored %+v (%v)", nl, err)
	}
	// The slug is taken now; an existing newsletter keeps its slug when edited.
	if res := admin.post("/admin/settings/newsletters", form); res.StatusCode != http.StatusUnprocessableEntity ||
		!strings.Contains(body(res), "already has the slug") {
		t.Errorf("a second newsletter with the slug: %d", res.StatusCode)
	}
	form.Set("send_time", "09:00")
	form.Set("slug", "hijacked")
	if res := admin.post("/admin/settings/newsletters/weekend", form); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("edit: %d %s", res.StatusCode, body(res))
	}
	if nl, _ := n.app.Newsroom.FindNewsletter(ctx, "weekend"); nl == nil || nl.SendTime != "09:00" {
		t.Errorf("after the edit: %+v", nl)
	}
	if _, err := n.app.Newsroom.FindNewsletter(ctx, "hijacked"); herald.ErrorCode(err) != herald.ENOTFOUND {
		t.Error("editing changed the slug")
	}
	if page := body(admin.get("/admin/settings")); !strings.Contains(page, `href="/admin/settings/newsletters/weekend"`) {
		t.Error("the settings page does not list the new newsletter")
	}
}

// withoutCSRF copies a form, leaving out the token a client's post added.
func withoutCSRF(form url.Values) url.Values {
	out := url.Values{}
	for k, v := range form {
		if k != "csrf" {
			out[k] = v
		}
	}
	return out
}

// Two admins change the site's settings and a newsletter from the same
// version: the second save is refused with the conflict shown and her
// values kept, and the first admin's change stays.
func TestSecondSaveOfSettingsShowsTheConflict(t *testing.T) {
	n := mustNewsroom(t, newsroomOptions{})
	ctx := context.Background()
	a, b := n.signIn(herald.RoleAdmin), n.signIn(herald.RoleAdmin)
	site, err := n.app.Site.Site(ctx)
	if err != nil {
		t.Fatal(err)
	}
	siteForm := func(tagline string) url.Values {
		return url.Values{"name": {site.Name}, "tagline": {tagline}, "postal_address": {site.PostalAddress},
			"language": {site.Language}, "version": {strconv.Itoa(site.Version)}}
	}
	if res := a.post("/admin/settings", siteForm("The first admin's tagline")); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("first save: %d %s", res.StatusCode, body(res))
	}
	res := b.post("/admin/settings", siteForm("The second admin's tagline"))
	if page := body(res); res.StatusCode != http.StatusConflict || !strings.Contains(page, "Someone else saved the site") ||
		!strings.Contains(page, "The second admin&#39;s tagline") {
		t.Errorf("the second site save: %d", res.StatusCode)
	}
	if now, _ := n.app.Site.Site(ctx); now.Tagline != "The first admin's tagline" {
		t.Errorf("the tagline is %q", now.Tagline)
	}

	nl, err := n.app.Newsroom.FindNewsletter(ctx, "am")
	if err != nil {
		t.Fatal(err)
	}
	nlForm := func(promise string) url.Values {
		return url.Values{"name": {nl.Name}, "promise": {promise}, "days": nl.Days, "send_time": {nl.SendTime},
			"time_zone": {nl.TimeZone}, "from_name": {nl.FromName}, "from_email": {nl.FromEmail},
			"send_mode": {string(nl.SendMode)}, "version": {strconv.Itoa(nl.Version)}}
	}
	if res := a.post("/admin/settings/newsletters/am", nlForm("The first promise")); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("first newsletter save: %d %s", res.StatusCode, body(res))
	}
	res = b.post("/admin/settings/newsletters/am", nlForm("The second promise"))
	if page := body(res); res.StatusCode != http.StatusConflict || !strings.Contains(page, "after you opened it") ||
		!strings.Contains(page, "The second promise") {
		t.Errorf("the second newsletter save: %d", res.StatusCode)
	}
	if now, _ := n.app.Newsroom.FindNewsletter(ctx, "am"); now.Promise != "The first promise" {
		t.Errorf("the promise is %q", now.Promise)
	}
}
