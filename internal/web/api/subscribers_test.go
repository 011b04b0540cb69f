package api_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/herald-news/herald"
)

type subscriber struct {
	ID            int64  `json:"id"`
	Email         string `json:"email"`
	Subscriptions []struct {
		Newsletter string `json:"newsletter"`
		Status     string `json:"status"`
	} `json:"subscriptions"`
}

func TestSubscribersAddListImportExportErase(t *testing.T) {
	h := mustHarness(t)
	// A writer sees no readers.
	h.must(http.StatusForbidden, herald.RoleWriter, "GET", "/api/v1/subscribers", nil)

	// Unconfirmed: pending, and the one confirmation email goes out.
	var pending subscriber
	h.must(http.StatusCreated, herald.RoleEditor, "POST", "/api/v1/subscribers",
		map[string]any{"email": "Reader@Example.com", "newsletters": []string{"am"}}).json(t, &pending)
	if len(pending.Subscriptions) != 1 || pending.Subscriptions[0].Status != "pending" {
		t.Fatalf("added %+v", pending)
	}
	deadline := time.Now().Add(10 * time.Second)
	for len(h.inbox()) == 0 && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	if msgs := h.inbox(); len(msgs) != 1 || !strings.EqualFold(msgs[0].To, "reader@example.com") {
		t.Fatalf("confirmation: %+v", msgs)
	}
	// Confirmed needs the consent's source.
	h.must(http.StatusBadRequest, herald.RoleEditor, "POST", "/api/v1/subscribers",
		map[string]any{"email": "met@example.com", "newsletters": []string{"am"}, "confirmed": true})
	var active subscriber
	h.must(http.StatusCreated, herald.RoleEditor, "POST", "/api/v1/subscribers",
		map[string]any{"email": "met@example.com", "newsletters": []string{"am"}, "confirmed": true, "consent_source": "Town hall sheet"}).json(t, &active)
	if active.Subscriptions[0].Status != "active" {
		t.Errorf("confirmed reader %+v", active)
	}
	var imp struct {
		Rows, Changed, Bad int
		Errors             []struct{ Line int }
	}
	csv := "email,name\nnew1@example.com,One\nnot-an-address,Two\nmet@example.com,Met\n"
	req := h.as(herald.RoleEditor, "POST", "/api/v1/subscribers/import?newsletter=am", []byte(csv), "Content-Type", "text/csv")
	if req.status != http.StatusOK {
		t.Fatalf("import: %d %s", req.status, req.body)
	}
	req.json(t, &imp)
	if imp.Rows != 3 || imp.Changed != 1 || imp.Bad != 1 || len(imp.Errors) != 1 || imp.Errors[0].Line != 3 {
		t.Errorf("import report %+v", imp)
	}
	var list struct {
		Data []subscriber `json:"data"`
	}
	h.must(http.StatusOK, herald.RoleEditor, "GET", "/api/v1/subscribers?newsletter=am&status=pending", nil).json(t, &list)
	if len(list.Data) != 2 {
		t.Errorf("pending readers %+v", list.Data)
	}
	h.must(http.StatusOK, herald.RoleEditor, "GET", "/api/v1/subscribers?email=ME", nil).json(t, &list)
	if len(list.Data) != 1 || list.Data[0].Email != "met@example.com" {
		t.Errorf("by prefix %+v", list.Data)
	}
	export := h.must(http.StatusOK, herald.RoleEditor, "GET", "/api/v1/subscribers/export", nil)
	if !strings.HasPrefix(export.header.Get("Content-Type"), "text/csv") || strings.Count(string(export.body), "@example.com") != 3 {
		t.Errorf("export %s", export.body)
	}
	h.must(http.StatusNoContent, herald.RoleEditor, "DELETE", "/api/v1/subscribers/"+itoa(active.ID), nil)
	h.must(http.StatusNotFound, herald.RoleEditor, "GET", "/api/v1/subscribers/"+itoa(active.ID), nil)
	// Erased means gone for good: adding the address again is refused.
	a := h.as(herald.RoleEditor, "POST", "/api/v1/subscribers",
		map[string]any{"email": "met@example.com", "newsletters": []string{"am"}, "confirmed": true, "consent_source": "again"})
	if a.status != http.StatusConflict {
		t.Errorf("re-adding an erased reader: %d %s", a.status, a.body)
	}
}
