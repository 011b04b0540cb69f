package admin_test

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/herald-news/herald"
)

// When no new stories are left to draft, the editor is told so in the
// newsletter's own time, and offered a blank edition; the blank one opens
// in the composer with no stories and cannot be sent empty.
func TestNoNewStoriesOffersABlankEdition(t *testing.T) {
	n := mustNewsroom(t, newsroomOptions{})
	c := n.signIn(herald.RoleEditor)
	var page string
	for day := 1; day <= 12; day++ {
		res := c.post("/admin/editions", url.Values{"newsletter": {"denver"}, "date": {fmt.Sprintf("2027-01-%02d", day)}})
		if res.StatusCode == http.StatusSeeOther {
			continue
		}
		page = body(res)
		break
	}
	if !strings.Contains(page, "No new stories for") {
		t.Fatalf("twelve drafts later, still no 'no new stories' answer: %q", page)
	}
	if regexp.MustCompile(`\d{4}-\d\d-\d\dT\d\d:\d\d`).MatchString(page) || !regexp.MustCompile(`\d\d:\d\d M[SD]T`).MatchString(page) {
		t.Errorf("the answer does not give the time in Denver's zone: %q", page)
	}
	if !strings.Contains(page, "Start a blank edition") {
		t.Error("the answer offers no blank edition")
	}

	res := c.post("/admin/editions", url.Values{"newsletter": {"denver"}, "date": {"2027-02-01"}, "blank": {"1"}})
	loc := res.Header.Get("Location")
	id, err := strconv.ParseInt(strings.TrimPrefix(loc, "/admin/editions/"), 10, 64)
	if res.StatusCode != http.StatusSeeOther || err != nil {
		t.Fatalf("blank edition: %d %q", res.StatusCode, loc)
	}
	ed := n.edition(id)
	if len(ed.Items) != 0 || ed.Opening.StoryID != 0 || !strings.Contains(ed.Subject, "Monday, February 1") {
		t.Errorf("the blank edition: %q with %d items", ed.Subject, len(ed.Items))
	}
	if res := c.get(loc); res.StatusCode != http.StatusOK {
		t.Errorf("the composer of a blank edition: %d", res.StatusCode)
	}
	if _, err := n.app.SendNow(t.Context(), id); err == nil {
		t.Error("an empty edition was sent")
	}
}
