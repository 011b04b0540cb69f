package api_test

import (
	"context"
	"encoding/json"
	"net/http"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/internal/web/api"
)

func TestRequestsWithoutAValidTokenAreUnauthorized(t *testing.T) {
	h := mustHarness(t)
	st := h.mustStory("Denver approves a bike network")
	revoked := h.mustToken(herald.RoleAdmin)
	list, err := h.app.Staff.APITokens(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if err := h.app.Staff.RevokeAPIToken(context.Background(), list[0].ID); err != nil {
		t.Fatal(err)
	}
	for name, token := range map[string]string{"none": "", "unknown": "herald_nope", "revoked": revoked, "not herald": "abc"} {
		a := h.call(token, "GET", "/api/v1/stories", nil)
		if a.status != http.StatusUnauthorized || a.errorCode(t) != herald.EUNAUTHORIZED {
			t.Errorf("%s token: %d %s", name, a.status, a.body)
		}
		if a.header.Get("WWW-Authenticate") == "" {
			t.Errorf("%s token: no WWW-Authenticate", name)
		}
	}
	// A missing token answers 401 before anything is looked at.
	if a := h.call("", "POST", "/api/v1/stories/1/publish", nil); a.status != http.StatusUnauthorized {
		t.Errorf("publish without token: %d", a.status)
	}
	var got story
	h.must(http.StatusOK, herald.RoleWriter, "GET", "/api/v1/stories/"+itoa(st.ID), nil).json(t, &got)
	if got.Headline != st.Headline {
		t.Errorf("writer reads %+v", got)
	}
}

func TestWriterTokenCannotPublish(t *testing.T) {
	h := mustHarness(t)
	var st story
	h.must(http.StatusCreated, herald.RoleWriter, "POST", "/api/v1/stories", draftBody("A writer's draft")).json(t, &st)
	a := h.as(herald.RoleWriter, "POST", "/api/v1/stories/"+itoa(st.ID)+"/publish", nil)
	if a.status != http.StatusForbidden || a.errorCode(t) != herald.EFORBIDDEN {
		t.Fatalf("writer publishes: %d %s", a.status, a.body)
	}
	// The writer still edits the draft …
	h.must(http.StatusOK, herald.RoleWriter, "PATCH", "/api/v1/stories/"+itoa(st.ID), map[string]any{"summary": "Shorter."})
	// … but not once it is live.
	h.must(http.StatusOK, herald.RoleEditor, "POST", "/api/v1/stories/"+itoa(st.ID)+"/publish", nil)
	if a := h.as(herald.RoleWriter, "PATCH", "/api/v1/stories/"+itoa(st.ID), map[string]any{"summary": "Sneaky."}); a.status != http.StatusForbidden {
		t.Errorf("writer edits a live story: %d %s", a.status, a.body)
	}
	h.must(http.StatusOK, herald.RoleEditor, "PATCH", "/api/v1/stories/"+itoa(st.ID), map[string]any{"summary": "Edited."})
	stored, err := h.app.Stories.FindStoryByID(context.Background(), st.ID)
	if err != nil {
		t.Fatal(err)
	}
	if stored.Status != herald.StatusPublished || stored.Summary != "Edited." {
		t.Errorf("stored %s %q", stored.Status, stored.Summary)
	}
}

// Every route in the table refuses, with 403 and an error object, each
// role below the one its permission needs, before reading the request.
func TestEveryRouteRefusesRolesBelowItsPermission(t *testing.T) {
	h := mustHarness(t)
	param := regexp.MustCompile(`\{[a-z]+\}`)
	checked := 0
	for _, rt := range api.RouteTable() {
		if rt.Permission == "" {
			continue
		}
		path := param.ReplaceAllString(rt.Pattern, "1")
		for _, role := range herald.Roles {
			if role.Can(rt.Permission) {
				continue
			}
			a := h.as(role, rt.Method, path, "{}")
			if a.status != http.StatusForbidden || a.errorCode(t) != herald.EFORBIDDEN {
				t.Errorf("%s %s as %s: %d %s", rt.Method, rt.Pattern, role, a.status, a.body)
			}
			checked++
		}
		// A role that holds the permission is never refused for its role.
		if a := h.as(herald.RoleAdmin, rt.Method, path, "{}"); a.status == http.StatusForbidden || a.status == http.StatusUnauthorized {
			t.Errorf("%s %s as admin: %d %s", rt.Method, rt.Pattern, a.status, a.body)
		}
	}
	if checked < 20 {
		t.Errorf("only %d refusals checked", checked)
	}
}

func TestConfiguredTokenActsAsAdmin(t *testing.T) {
	h := mustHarness(t, "-api-token", "legacy-secret")
	h.call("legacy-secret", "GET", "/api/v1/subscribers", nil)
	if a := h.call("legacy-secret", "GET", "/api/v1/subscribers", nil); a.status != http.StatusOK {
		t.Errorf("legacy token lists subscribers: %d %s", a.status, a.body)
	}
	if a := h.call("legacy-secretx", "GET", "/api/v1/stories", nil); a.status != http.StatusUnauthorized {
		t.Errorf("wrong legacy token: %d", a.status)
	}
}

// The OpenAPI document and the route table describe the same API.
func TestOpenAPIDocumentsEveryRoute(t *testing.T) {
	h := mustHarness(t)
	a := h.call("", "GET", "/api/v1/openapi.json", nil)
	if a.status != http.StatusOK {
		t.Fatalf("openapi.json: %d %s", a.status, a.body)
	}
	var doc struct {
		OpenAPI    string                                `json:"openapi"`
		Paths      map[string]map[string]json.RawMessage `json:"paths"`
		Components struct {
			SecuritySchemes map[string]struct{ Type, Scheme string } `json:"securitySchemes"`
			Schemas         map[string]json.RawMessage               `json:"schemas"`
		} `json:"components"`
	}
	a.json(t, &doc)
	if !strings.HasPrefix(doc.OpenAPI, "3.1") {
		t.Errorf("openapi %q", doc.OpenAPI)
	}
	if s := doc.Components.SecuritySchemes["bearer"]; s.Type != "http" || s.Scheme != "bearer" {
		t.Errorf("bearer scheme %+v", s)
	}
	for _, name := range []string{"Story", "Edition", "Subscriber", "Error", "Section", "City", "Author", "Newsletter", "Progress"} {
		if doc.Components.Schemas[name] == nil {
			t.Errorf("no schema %s", name)
		}
	}
	documented := map[string]bool{}
	for path, item := range doc.Paths {
		for method := range item {
			switch method {
			case "get", "post", "put", "patch", "delete":
				documented[strings.ToUpper(method)+" "+path] = true
			}
		}
	}
	routed := map[string]bool{}
	for _, rt := range api.RouteTable() {
		routed[rt.Method+" "+rt.Pattern] = true
	}
	for _, k := range sortedKeys(documented) {
		if !routed[k] {
			t.Errorf("documented but not routed: %s", k)
		}
	}
	for _, k := range sortedKeys(routed) {
		if !documented[k] {
			t.Errorf("routed but not documented: %s", k)
		}
	}
}

func sortedKeys(m map[string]bool) []string {
	var keys []string
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
