package api_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/internal/subscriberio"
)

func TestNewslettersCreateAndChange(t *testing.T) {
	h := mustHarness(t)
	in := map[string]any{"slug": "weekend", "name": "Herald Weekend", "promise": "The week, read slowly.",
		"days": []string{"sun", "sat"}, "send_time": "08:30", "time_zone": "America/Chicago", "sections": []string{"world"},
		"curator": "ed-ito", "from_name": "Herald Weekend", "from_email": "weekend@herald.example"}
	h.must(http.StatusForbidden, herald.RoleEditor, "POST", "/api/v1/newsletters", in)
	// References must exist, and settings must make sense; nothing is stored otherwise.
	for field, bad := range map[string]any{"sections": []string{"sport"}, "curator": "nobody", "days": []string{"someday"},
		"from_email": "weekend at herald", "time_zone": "Mars/Olympus"} {
		body := map[string]any{}
		for k, v := range in {
			body[k] = v
		}
		body[field] = bad
		if a := h.as(herald.RoleAdmin, "POST", "/api/v1/newsletters", body); a.status != http.StatusBadRequest {
			t.Errorf("%s = %v: %d %s", field, bad, a.status, a.body)
		}
	}
	if _, err := h.app.Newsroom.FindNewsletter(context.Background(), "weekend"); herald.ErrorCode(err) != herald.ENOTFOUND {
		t.Fatalf("a refused newsletter was stored: %v", err)
	}
	var out struct {
		Slug, Schedule, Curator string
		Days                    []string
	}
	a := h.must(http.StatusCreated, herald.RoleAdmin, "POST", "/api/v1/newsletters", in)
	a.json(t, &out)
	if out.Slug != "weekend" || out.Schedule != "Weekends at 8:30 AM CT" || out.Curator != "ed-ito" || strings.Join(out.Days, ",") != "sat,sun" ||
		a.header.Get("Location") != "/api/v1/newsletters/weekend" {
		t.Errorf("created %+v at %q", out, a.header.Get("Location"))
	}
	h.must(http.StatusConflict, herald.RoleAdmin, "POST", "/api/v1/newsletters", in)
	in["send_time"] = "09:15"
	h.must(http.StatusOK, herald.RoleAdmin, "PUT", "/api/v1/newsletters/weekend", in)
	if n, _ := h.app.Newsroom.FindNewsletter(context.Background(), "weekend"); n == nil || n.SendTime != "09:15" {
		t.Errorf("after PUT: %+v", n)
	}
	in["slug"] = "renamed"
	h.must(http.StatusBadRequest, herald.RoleAdmin, "PUT", "/api/v1/newsletters/weekend", in)
}

// Clearing the postal address through the API is refused while a
// newsletter has readers, saying which; nothing changes.
func TestSettingsRefuseToClearPostalAddress(t *testing.T) {
	h := mustHarness(t)
	ctx := context.Background()
	site := map[string]any{"name": "The Test Herald", "postal_address": "2 Main St, Springfield", "language": "en-US"}
	h.must(http.StatusForbidden, herald.RoleEditor, "PUT", "/api/v1/settings", site)
	h.must(http.StatusOK, herald.RoleAdmin, "PUT", "/api/v1/settings", site)
	am, err := h.app.Newsroom.FindNewsletter(ctx, "am")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.app.Subscribers.ImportSink(am.ID, true, "test").ImportRows(ctx,
		[]subscriberio.Row{{Line: 2, Email: "reader@example.com"}}); err != nil {
		t.Fatal(err)
	}
	site["postal_address"] = " "
	a := h.as(herald.RoleAdmin, "PUT", "/api/v1/settings", site)
	if a.status != http.StatusBadRequest || !strings.Contains(string(a.body), "postal address cannot be empty") || !strings.Contains(string(a.body), am.Name) {
		t.Errorf("clearing the postal address: %d %s", a.status, a.body)
	}
	if s, _ := h.app.Site.Site(ctx); s.PostalAddress != "2 Main St, Springfield" {
		t.Errorf("a refused change was stored: %q", s.PostalAddress)
	}
	// Nor may the newsletter lose its From address.
	nl := map[string]any{"slug": "am", "name": am.Name, "days": am.Days, "send_time": am.SendTime, "time_zone": am.TimeZone,
		"from_email": "", "send_mode": "automatic"}
	if a := h.as(herald.RoleAdmin, "PUT", "/api/v1/newsletters/am", nl); a.status != http.StatusBadRequest || !strings.Contains(string(a.body), "From address") {
		t.Errorf("clearing the From address: %d %s", a.status, a.body)
	}
	nl["from_email"] = am.FromEmail
	var out struct {
		SendMode string `json:"send_mode"`
	}
	h.must(http.StatusOK, herald.RoleAdmin, "PUT", "/api/v1/newsletters/am", nl).json(t, &out)
	if out.SendMode != "automatic" {
		t.Errorf("send_mode = %q", out.SendMode)
	}
}
