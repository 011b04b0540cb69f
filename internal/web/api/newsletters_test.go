package api_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/herald-news/herald"
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
