package admin_test

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/internal/sqldb"
)

func TestDashboardChartsMatchTheDatabase(t *testing.T) {
	n := mustNewsroom(t, newsroomOptions{})
	ctx := context.Background()
	nls := n.newsletters()
	for i := range 5 {
		n.mustSignup(fmt.Sprintf("a%d@example.org", i), nls[0], i < 3)
	}
	n.mustSignup("b0@example.org", nls[1], true)
	unsub := n.mustSignup("b1@example.org", nls[1], true)
	if err := n.app.Subscribers.Unsubscribe(ctx, unsub.ID, nls[1].ID, herald.Consent{}); err != nil {
		t.Fatal(err)
	}
	c := n.signIn(herald.RoleEditor)
	page := body(c.get("/admin/"))
	for _, id := range []string{"chart-subscribers", "chart-signups"} {
		if !strings.Contains(page, `aria-labelledby="`+id+`-title `+id+`-desc"`) || !strings.Contains(page, `<title id="`+id+`-title">`) {
			t.Errorf("no accessible SVG chart %s", id)
		}
	}
	// Active subscribers today, per newsletter, as the database counts them.
	for _, nl := range nls[:2] {
		want, err := n.app.Subscribers.CountSubscribers(ctx, sqldb.SubscriberFilter{NewsletterID: nl.ID, Status: herald.SubActive})
		if err != nil {
			t.Fatal(err)
		}
		line := regexp.MustCompile(`<polyline class="series s\d" fill="none" points="[^"]*" data-series="` + regexp.QuoteMeta(nl.Name) + `" data-value="(\d+)"`)
		m := line.FindStringSubmatch(page)
		if m == nil || m[1] != fmt.Sprint(want) {
			t.Errorf("%s: chart shows %v, the database has %d active", nl.Slug, m, want)
		}
	}
	// Today's signups: 7, one per signup form submission.
	today := time.Now().UTC().Format("Jan 2")
	if !strings.Contains(page, `data-series="Signups" data-label="`+today+`" data-value="7"`) || !strings.Contains(page, `<strong id="signup-total">7</strong>`) {
		t.Errorf("today's signups are not 7")
	}
	// 90 days has 90 points.
	page = body(c.get("/admin/?days=90"))
	m := regexp.MustCompile(`data-series="` + regexp.QuoteMeta(nls[0].Name) + `"`).FindStringIndex(page)
	if m == nil {
		t.Fatal("no line on the 90-day chart")
	}
	pts := regexp.MustCompile(`points="([^"]*)" data-series="` + regexp.QuoteMeta(nls[0].Name)).FindStringSubmatch(page)
	if pts == nil || len(strings.Fields(pts[1])) != 90 {
		t.Errorf("the 90-day chart does not have 90 points")
	}
	// A writer sees no figures.
	if page := body(n.signIn(herald.RoleWriter).get("/admin/")); strings.Contains(page, "chart-subscribers") {
		t.Error("a writer sees the subscriber chart")
	}
}
