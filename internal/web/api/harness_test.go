package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/internal/app"
	"github.com/herald-news/herald/internal/app/apptest"
	"github.com/herald-news/herald/internal/auth"
	"github.com/herald-news/herald/internal/mail/devinbox"
	"github.com/herald-news/herald/internal/sqldb"
)

// harness is a whole Herald on a temporary database (PostgreSQL when
// HERALD_TEST_POSTGRES is set), served over real HTTP, mail going to the
// development inbox, with a token of each role.
type harness struct {
	t      testing.TB
	app    *app.App
	srv    *apptest.Server
	tokens map[herald.Role]string
}

func mustHarness(t testing.TB, args ...string) *harness {
	t.Helper()
	h := &harness{t: t, tokens: map[herald.Role]string{}}
	h.srv = apptest.Start(t, apptest.Options{Args: append([]string{"-check-domains", "off"}, args...),
		Seed: func(a *app.App) error {
			h.app = a
			h.seed()
			for _, role := range herald.Roles {
				h.tokens[role] = h.mustToken(role)
			}
			return nil
		}})
	return h
}

// seed stores a site, a section, an author, a city and a newsletter.
func (h *harness) seed() {
	ctx := context.Background()
	a := h.app
	ed := &herald.Author{Slug: "ed-ito", Name: "Ed Ito", Kind: herald.AuthorStaff}
	for _, err := range []error{
		a.Site.SaveSite(ctx, &herald.Site{Name: "The Test Herald", PostalAddress: "1 Main St, Springfield", Language: "en-US"}),
		a.Newsroom.SaveSection(ctx, &herald.Section{Slug: "world", Name: "World"}),
		a.Newsroom.SaveAuthor(ctx, ed),
		a.Newsroom.SaveCity(ctx, &herald.City{Slug: "denver", Name: "Denver", TimeZone: "America/Denver"}),
		a.Newsroom.SaveNewsletter(ctx, &herald.Newsletter{Slug: "am", Name: "Herald AM", Promise: "The morning news.",
			Curator: ed, Days: []string{"mon", "tue", "wed", "thu", "fri", "sat", "sun"}, SendTime: "06:00",
			TimeZone: "America/New_York", FromName: "Herald AM", FromEmail: "am@herald.example"}),
	} {
		if err != nil {
			h.t.Fatal(err)
		}
	}
}

// mustToken creates an API token of role and returns its secret.
func (h *harness) mustToken(role herald.Role) string {
	h.t.Helper()
	secret, err := auth.NewSecret(auth.TokenPrefix)
	if err != nil {
		h.t.Fatal(err)
	}
	tok := &herald.APIToken{Name: string(role) + " tool", Role: role, Prefix: secret[:13]}
	if err := h.app.Staff.CreateAPIToken(context.Background(), tok, auth.HashSecret(secret)); err != nil {
		h.t.Fatal(err)
	}
	return secret
}

// answer is one HTTP response, body read.
type answer struct {
	status int
	header http.Header
	body   []byte
}

// json decodes the answer's body into v, failing the test if it is not JSON.
func (a answer) json(t testing.TB, v any) {
	t.Helper()
	if err := json.Unmarshal(a.body, v); err != nil {
		t.Fatalf("answer %d %q is not JSON: %v", a.status, a.body, err)
	}
}

// errorCode returns the code of an error answer's error object.
func (a answer) errorCode(t testing.TB) string {
	t.Helper()
	var e struct {
		Error struct{ Code, Message string }
	}
	a.json(t, &e)
	if e.Error.Code == "" || e.Error.Message == "" {
		t.Fatalf("answer %d %q has no error object", a.status, a.body)
	}
	return e.Error.Code
}

// call makes a request with a token ("" for none); a body that is not a
// string or []byte is sent as JSON. header is pairs of name and value.
func (h *harness) call(token, method, path string, body any, header ...string) answer {
	h.t.Helper()
	var r io.Reader
	contentType := "application/json"
	switch b := body.(type) {
	case nil:
	case string:
		r = strings.NewReader(b)
	case []byte:
		r = bytes.NewReader(b)
	default:
		raw, err := json.Marshal(b)
		if err != nil {
			h.t.Fatal(err)
		}
		r = bytes.NewReader(raw)
	}
	req, err := http.NewRequest(method, h.srv.URL+path, r)
	if err != nil {
		h.t.Fatal(err)
	}
	if r != nil {
		req.Header.Set("Content-Type", contentType)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		h.t.Fatal(err)
	}
	return answer{resp.StatusCode, resp.Header, raw}
}

// as calls with the token of role.
func (h *harness) as(role herald.Role, method, path string, body any, header ...string) answer {
	h.t.Helper()
	return h.call(h.tokens[role], method, path, body, header...)
}

// must calls as role and fails the test unless the status is want.
func (h *harness) must(want int, role herald.Role, method, path string, body any, header ...string) answer {
	h.t.Helper()
	a := h.as(role, method, path, body, header...)
	if a.status != want {
		h.t.Fatalf("%s %s as %s: %d %s, want %d", method, path, role, a.status, a.body, want)
	}
	return a
}

// count counts the rows of a table.
func (h *harness) count(table string) int {
	h.t.Helper()
	var n int
	if err := h.app.DB.SQL().QueryRow(`SELECT COUNT(*) FROM ` + table).Scan(&n); err != nil {
		h.t.Fatal(err)
	}
	return n
}

// inbox returns the development inbox, newest first.
func (h *harness) inbox() []*devinbox.StoredMessage {
	h.t.Helper()
	msgs, err := sqldb.NewInboxStore(h.app.DB).InboxMessages(context.Background(), 0)
	if err != nil {
		h.t.Fatal(err)
	}
	return msgs
}

// story is the part of a story answer the tests read.
type story struct {
	ID          int64    `json:"id"`
	Slug        string   `json:"slug"`
	Headline    string   `json:"headline"`
	Status      string   `json:"status"`
	Topics      []string `json:"topics"`
	PublishedAt string   `json:"published_at"`
}

// draftBody is a valid story creation body.
func draftBody(headline string) map[string]any {
	return map[string]any{"headline": headline, "section": "world", "authors": []string{"ed-ito"},
		"body": "The council voted 9-2 on Tuesday.\n\n**Why it matters:** Traffic deaths have risen.", "topics": []string{"Transit"}}
}

// mustStory creates a draft as an editor.
func (h *harness) mustStory(headline string) story {
	h.t.Helper()
	var st story
	h.must(http.StatusCreated, herald.RoleEditor, "POST", "/api/v1/stories", draftBody(headline)).json(h.t, &st)
	return st
}
