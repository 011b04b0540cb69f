package admin_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/internal/sqldb"
)

// mustSignup signs email up to nl as the public form does, and confirms
// it when asked.
func (n *newsroom) mustSignup(email string, nl *herald.Newsletter, confirm bool) *herald.Subscriber {
	n.t.Helper()
	ctx := context.Background()
	out, err := n.app.Subscribers.Signup(ctx, herald.Signup{Email: email, NewsletterID: nl.ID, IP: "203.0.113.7",
		UserAgent: "TestBrowser/1.0", Form: "/local/test#signup"})
	if err != nil {
		n.t.Fatal(err)
	}
	if confirm {
		if err := n.app.Subscribers.Confirm(ctx, out.Subscriber.ID, nl.ID, herald.Consent{IP: "203.0.113.7", Action: "confirm"}); err != nil {
			n.t.Fatal(err)
		}
	}
	return out.Subscriber
}

func (n *newsroom) newsletters() []*herald.Newsletter {
	n.t.Helper()
	nls, err := n.app.Newsroom.Newsletters(context.Background())
	if err != nil || len(nls) < 2 {
		n.t.Fatalf("newsletters: %v, %d", err, len(nls))
	}
	return nls
}

// postFile submits a multipart form with one file, as the import page does.
func (c *client) postFile(path string, fields url.Values, name, content string) *http.Response {
	c.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.WriteField("csrf", c.csrf)
	for k, vs := range fields {
		for _, v := range vs {
			mw.WriteField(k, v)
		}
	}
	fw, _ := mw.CreateFormFile("file", name)
	fw.Write([]byte(content))
	mw.Close()
	req, _ := http.NewRequest(http.MethodPost, c.n.base+path, &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Origin", c.n.base)
	return c.do(req)
}

var subscriberRow = regexp.MustCompile(`<a href="/admin/subscribers/\d+">([^<]+)</a>`)

func listed(page string) []string {
	var out []string
	for _, m := range subscriberRow.FindAllStringSubmatch(page, -1) {
		out = append(out, m[1])
	}
	return out
}

func TestSubscriberSearchAndFilter(t *testing.T) {
	n := mustNewsroom(t, newsroomOptions{})
	nls := n.newsletters()
	n.mustSignup("Ada@lovelace.example", nls[0], true)
	n.mustSignup("grace@hopper.example", nls[0], false)
	n.mustSignup("linus@lovelace.example", nls[1], true)
	c := n.signIn(herald.RoleEditor)
	for _, tc := range []struct {
		query string
		want  []string
	}{
		{"q=LOVELACE", []string{"Ada@lovelace.example", "linus@lovelace.example"}},
		{"q=ada", []string{"Ada@lovelace.example"}},
		{"q=hopper&status=pending", []string{"grace@hopper.example"}},
		{"newsletter=" + nls[0].Slug, []string{"Ada@lovelace.example", "grace@hopper.example"}},
		{"newsletter=" + nls[0].Slug + "&status=active", []string{"Ada@lovelace.example"}},
		{"q=100%25", nil}, // wildcards match literally
	} {
		res := c.get("/admin/subscribers?" + tc.query)
		page := body(res)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("%s: %d", tc.query, res.StatusCode)
		}
		if got := listed(page); fmt.Sprint(got) != fmt.Sprint(tc.want) {
			t.Errorf("%s: listed %v, want %v", tc.query, got, tc.want)
		}
		if !strings.Contains(page, fmt.Sprintf(`<strong id="subscriber-total">%d</strong>`, len(tc.want))) {
			t.Errorf("%s: the count is not %d", tc.query, len(tc.want))
		}
	}
	// The state counts for a newsletter.
	page := body(c.get("/admin/subscribers?newsletter=" + nls[0].Slug))
	for state, want := range map[string]int{"active": 1, "pending": 1, "unsubscribed": 0} {
		if !strings.Contains(page, fmt.Sprintf(`data-state="%s" data-count="%d"`, state, want)) {
			t.Errorf("count of %s is not %d", state, want)
		}
	}
	if res := c.get("/admin/subscribers?status=gone"); res.StatusCode != http.StatusBadRequest && res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("unknown state: %d", res.StatusCode)
	}
}

func TestSubscriberPageShowsConsentAndUnsubscribes(t *testing.T) {
	n := mustNewsroom(t, newsroomOptions{})
	nls := n.newsletters()
	sub := n.mustSignup("reader@example.org", nls[0], true)
	c := n.signIn(herald.RoleEditor)
	path := fmt.Sprintf("/admin/subscribers/%d", sub.ID)
	page := body(c.get(path))
	for _, want := range []string{"reader@example.org", "203.0.113.7", "TestBrowser/1.0", "/local/test#signup", ">signup<", ">confirm<",
		herald.ConsentWordingVersion, `<span class="badge active">active</span>`} {
		if !strings.Contains(page, want) {
			t.Errorf("the subscriber page lacks %q", want)
		}
	}
	res := c.post(path+"/unsubscribe", url.Values{"newsletter": {fmt.Sprint(nls[0].ID)}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("unsubscribe: %d %s", res.StatusCode, body(res))
	}
	got, err := n.app.Subscribers.FindSubscriber(context.Background(), sub.ID)
	if err != nil || got.Subscriptions[0].Status != herald.SubUnsubscribed {
		t.Fatalf("after unsubscribing: %v %+v", err, got)
	}
	if page := body(c.get(path)); !strings.Contains(page, "admin by editor@newsroom.example") {
		t.Errorf("the unsubscription is not recorded as the editor's")
	}
}

func TestEraseLeavesOnlyASuppression(t *testing.T) {
	n := mustNewsroom(t, newsroomOptions{})
	ctx := context.Background()
	nl := n.newsletters()[0]
	sub := n.mustSignup("erase.me@example.org", nl, true)
	c := n.signIn(herald.RoleEditor)
	res := c.post(fmt.Sprintf("/admin/subscribers/%d/erase", sub.ID), nil)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/admin/subscribers" {
		t.Fatalf("erase: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	if _, err := n.app.Subscribers.FindSubscriber(ctx, sub.ID); herald.ErrorCode(err) != herald.ENOTFOUND {
		t.Errorf("the subscriber is still there: %v", err)
	}
	if ok, err := n.app.Subscribers.IsSuppressed(ctx, "Erase.Me@example.org"); err != nil || !ok {
		t.Errorf("the address is not suppressed: %v %v", ok, err)
	}
	// Signing up again records nothing.
	if out, err := n.app.Subscribers.Signup(ctx, herald.Signup{Email: "erase.me@example.org", NewsletterID: nl.ID}); err != nil || out.SendConfirm {
		t.Errorf("signup after erasure: %+v %v", out, err)
	}
	if _, err := n.app.Subscribers.FindSubscriberByEmail(ctx, "erase.me@example.org"); herald.ErrorCode(err) != herald.ENOTFOUND {
		t.Errorf("signup after erasure stored the address: %v", err)
	}
	if page := body(c.get("/admin/subscribers?q=erase.me")); len(listed(page)) != 0 {
		t.Errorf("the erased reader is still listed")
	}
	// The suppression list shows the entry without the address.
	page := body(c.get("/admin/suppressions"))
	if strings.Contains(page, "erase.me@example.org") || !strings.Contains(page, "erased on request") {
		t.Errorf("the suppression list shows the erased address, or not the entry")
	}
}

// importProgress follows an import as the page's script does, until it
// ends.
func (c *client) importProgress(path string) map[string]any {
	c.t.Helper()
	for range 600 {
		req, _ := http.NewRequest(http.MethodGet, c.n.base+path, nil)
		req.Header.Set("Accept", "application/json")
		res := c.do(req)
		var p map[string]any
		if err := json.NewDecoder(res.Body).Decode(&p); err != nil {
			c.t.Fatalf("import progress: %d %v", res.StatusCode, err)
		}
		if p["done"] == true {
			return p
		}
		time.Sleep(50 * time.Millisecond)
	}
	c.t.Fatal("the import never finished")
	return nil
}

func TestImportThroughTheAdminThenExport(t *testing.T) {
	n := mustNewsroom(t, newsroomOptions{})
	nl := n.newsletters()[0]
	c := n.signIn(herald.RoleEditor)
	csv := "email,name\nnew.one@example.org,New One\nnot an address,Bad\nnew.two@example.org,New Two\nNEW.ONE@example.org,Again\n,Empty\n"
	// Confirmed without saying where: refused, nothing stored.
	res := c.postFile("/admin/subscribers/import", url.Values{"newsletter": {nl.Slug}, "confirmed": {"1"}}, "list.csv", csv)
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body(res), "Say where these people confirmed") {
		t.Fatalf("confirmed without a source: %d", res.StatusCode)
	}
	if _, err := n.app.Subscribers.FindSubscriberByEmail(context.Background(), "new.one@example.org"); err == nil {
		t.Fatal("a refused import stored a subscriber")
	}
	res = c.postFile("/admin/subscribers/import", url.Values{"newsletter": {nl.Slug}, "confirmed": {"1"},
		"source": {"Mailchimp, double opt-in"}}, "list.csv", csv)
	loc := res.Header.Get("Location")
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/admin/subscribers/imports/") {
		t.Fatalf("import: %d %q %s", res.StatusCode, loc, body(res))
	}
	p := c.importProgress(loc)
	rep := p["report"].(map[string]any)
	if p["percent"] != 100.0 || p["error"] != nil || rep["Rows"] != 5.0 || rep["Changed"] != 2.0 || rep["Duplicates"] != 1.0 || rep["Bad"] != 2.0 {
		t.Fatalf("import result: %v", p)
	}
	page := body(c.get(loc))
	for _, want := range []string{`<progress id="import-progress" max="100" value="100"`, `<td data-line="3">3</td>`, `<td data-line="6">6</td>`,
		`<dd data-field="changed">2</dd>`} {
		if !strings.Contains(page, want) {
			t.Errorf("the import page lacks %q", want)
		}
	}
	sub, err := n.app.Subscribers.FindSubscriberByEmail(context.Background(), "new.two@example.org")
	if err != nil || sub.Subscriptions[0].Status != herald.SubActive {
		t.Fatalf("imported subscriber: %v %+v", err, sub)
	}
	if page := body(c.get(fmt.Sprintf("/admin/subscribers/%d", sub.ID))); !strings.Contains(page, "confirmed: Mailchimp, double opt-in") {
		t.Errorf("the consent record lacks the source")
	}

	res = c.get("/admin/subscribers/export.csv")
	export := body(res)
	if res.Header.Get("Content-Type") != "text/csv; charset=utf-8" || !strings.HasPrefix(res.Header.Get("Content-Disposition"), "attachment;") {
		t.Errorf("export headers: %v", res.Header)
	}
	for _, want := range []string{"new.one@example.org", "new.two@example.org", "New Two"} {
		if !strings.Contains(export, want) {
			t.Errorf("the export lacks %q", want)
		}
	}
	if strings.Contains(export, "not an address") {
		t.Error("the export has a bad row")
	}
}

func TestSuppressionLiftNeedsAnAdminAndAReason(t *testing.T) {
	n := mustNewsroom(t, newsroomOptions{})
	ctx := context.Background()
	nl := n.newsletters()[0]
	n.mustSignup("bounced@example.org", nl, true)
	// A hard bounce suppresses without erasing; here, the simplest way in.
	if _, err := n.app.DB.SQL().ExecContext(ctx, `INSERT INTO suppressions (email_hash, reason, created_at) VALUES ($1, 'hard bounce 5.1.1', $2)`,
		sqldb.EmailHash("bounced@example.org"), time.Now().UTC()); err != nil {
		t.Fatal(err)
	}
	editor := n.signIn(herald.RoleEditor)
	if page := body(editor.get("/admin/suppressions")); !strings.Contains(page, "bounced@example.org") || strings.Contains(page, "Lift suppression") {
		t.Errorf("the editor's suppression list: address missing, or a lift form shown")
	}
	if res := editor.post("/admin/suppressions/lift", url.Values{"email": {"bounced@example.org"}, "reason": {"fixed"}}); res.StatusCode != http.StatusForbidden {
		t.Errorf("an editor lifted a suppression: %d", res.StatusCode)
	}
	admin := n.signIn(herald.RoleAdmin)
	admin.post("/admin/suppressions/lift", url.Values{"email": {"bounced@example.org"}})
	if ok, _ := n.app.Subscribers.IsSuppressed(ctx, "bounced@example.org"); !ok {
		t.Fatal("lifted without a reason")
	}
	admin.post("/admin/suppressions/lift", url.Values{"email": {"bounced@example.org"}, "reason": {"the mailbox exists again"}})
	if ok, _ := n.app.Subscribers.IsSuppressed(ctx, "bounced@example.org"); ok {
		t.Fatal("not lifted")
	}
}
