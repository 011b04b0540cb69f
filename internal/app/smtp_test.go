package app_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/internal/mail/smtptest"
)

// The same signup, with a real relay configured: the confirmation goes over
// SMTP on loopback to an in-process go-smtp server, and /dev/inbox is gone.
func TestSignupConfirmationOverSMTP(t *testing.T) {
	t.Parallel()
	relay := &smtptest.Relay{}
	port := smtptest.MustStart(t, relay, nil)
	// No DNS here: the domain check has its own tests in internal/address.
	h := mustHarness(t, "-smtp-url", fmt.Sprintf("smtp://127.0.0.1:%d", port), "-check-domains", "off")
	if a, v := h.signupJSON("reader@example.com"); a.status != 200 || v["ok"] != true {
		t.Fatalf("signup: %d %v", a.status, v)
	}
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) && len(relay.Messages()) == 0 {
		time.Sleep(50 * time.Millisecond)
	}
	msgs := relay.Messages()
	if len(msgs) != 1 {
		t.Fatalf("relay got %d messages", len(msgs))
	}
	m := msgs[0]
	if m.From != "am@herald.example" || len(m.To) != 1 || m.To[0] != "reader@example.com" {
		t.Errorf("envelope from %q to %v", m.From, m.To)
	}
	data := string(m.Data)
	if !strings.Contains(data, "Subject: Confirm your subscription to Herald AM") || !strings.Contains(data, h.srv.URL+"/confirm/") {
		t.Errorf("message:\n%s", data)
	}
	if a := h.signIn(herald.RoleAdmin).get("/dev/inbox/"); a.status != 404 {
		t.Errorf("/dev/inbox/ with a real relay, to an admin = %d, want 404", a.status)
	}
}
