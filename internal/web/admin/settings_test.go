package admin_test

import (
	"context"
	"net/http"
	"net/url"
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
