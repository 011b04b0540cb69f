package app_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/herald-news/herald/internal/delivery"
	"github.com/herald-news/herald/internal/mail/smtptest"
)

func TestProgressStream(t *testing.T) {
	t.Parallel()
	relay := &smtptest.Relay{Delay: 5 * time.Millisecond}
	h := sendingHarness(t, relay, "-api-token", "s3cret-token", "-smtp-connections", "1")
	h.mustReaders(h.am, 200, func(int) string { return "active" })
	ed := h.mustEdition(h.am)
	path := fmt.Sprintf("/api/v1/editions/%d/progress", ed.ID)
	for _, auth := range []string{"", "Bearer wrong", "s3cret-token"} {
		req, _ := http.NewRequest("GET", h.srv.URL+path, nil)
		if auth != "" {
			req.Header.Set("Authorization", auth)
		}
		if a := h.do(req); a.status != http.StatusUnauthorized {
			t.Errorf("Authorization %q: %d", auth, a.status)
		}
	}
	if _, err := h.app.SendNow(context.Background(), ed.ID); err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest("GET", h.srv.URL+path, nil)
	req.Header.Set("Authorization", "Bearer s3cret-token")
	req.Header.Set("Accept", "text/event-stream")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.Header.Get("Content-Type") != "text/event-stream" {
		t.Fatalf("content type %q", resp.Header.Get("Content-Type"))
	}
	sc := bufio.NewScanner(resp.Body)
	var last delivery.Progress
	events := 0
	for sc.Scan() {
		data, ok := strings.CutPrefix(sc.Text(), "data: ")
		if !ok {
			continue
		}
		events++
		if err := json.Unmarshal([]byte(data), &last); err != nil {
			t.Fatal(err)
		}
	}
	if events < 2 || last.Status != "sent" || last.Total != 200 || last.Done != 200 {
		t.Errorf("%d events, last %+v", events, last)
	}
}
