package webhooks_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/internal/bounce"
	"github.com/herald-news/herald/internal/bounce/snstest"
	"github.com/herald-news/herald/internal/sqldb"
	"github.com/herald-news/herald/internal/sqldb/sqldbtest"
	"github.com/herald-news/herald/internal/subscriberio"
	"github.com/herald-news/herald/internal/web/webhooks"
)

// mustHandler serves the webhooks on a real database with one reader per
// case, and returns a function that reads the kind recorded for an
// address ("" when nothing was).
func mustHandler(t *testing.T, h *webhooks.Handler, readers int) (*httptest.Server, func(email string) string) {
	t.Helper()
	ctx := context.Background()
	db := sqldbtest.MustOpen(t)
	nl := &herald.Newsletter{Slug: "am", Name: "Herald AM", TimeZone: "America/New_York", SendTime: "06:00"}
	if err := sqldb.NewNewsroomService(db).SaveNewsletter(ctx, nl); err != nil {
		t.Fatal(err)
	}
	var rows []subscriberio.Row
	for i := range readers {
		rows = append(rows, subscriberio.Row{Line: i + 2, Email: fmt.Sprintf("r%d@example.com", i)})
	}
	if _, err := sqldb.NewSubscriberService(db).ImportSink(nl.ID, true, "test").ImportRows(ctx, rows); err != nil {
		t.Fatal(err)
	}
	store := sqldb.NewBounceService(db)
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	h.Events = &bounce.Processor{Store: store, Rule: bounce.DefaultSoftRule, Clock: herald.SystemClock{}, Logger: logger}
	h.Tokens, h.Clock, h.Logger = store, herald.SystemClock{}, logger
	srv := httptest.NewServer(h.Routes())
	t.Cleanup(srv.Close)
	return srv, func(email string) string {
		var kind string
		db.SQL().QueryRow(`SELECT kind FROM bounce_events WHERE email_hash = $1`, sqldb.EmailHash(email)).Scan(&kind)
		return kind
	}
}

func TestProviderBouncesAreClassifiedWithoutBlamingReadersForUs(t *testing.T) {
	key := snstest.MustKey(t)
	cert := key.Cert
	h := &webhooks.Handler{SNS: &bounce.SNSVerifier{Topics: []string{topic}, Certs: []*x509.Certificate{cert}, Clock: herald.SystemClock{}},
		PostmarkUser: "pm", PostmarkPassword: "pw", MailgunKey: "mg-key"}
	srv, kindOf := mustHandler(t, h, 9)
	post := func(path, body string, basic bool) {
		t.Helper()
		req, _ := http.NewRequest("POST", srv.URL+path, strings.NewReader(body))
		if basic {
			req.SetBasicAuth("pm", "pw")
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%s: %d", path, resp.StatusCode)
		}
	}
	ses := func(id, email, bounceType, subType, status string) string {
		return notification(t, key, id, fmt.Sprintf(`{"notificationType":"Bounce","bounce":{"bounceType":%q,"bounceSubType":%q,
			"bouncedRecipients":[{"emailAddress":%q,"action":"failed","status":%q,"diagnosticCode":"smtp; 550 %s x"}]},"mail":{"messageId":"x"}}`,
			bounceType, subType, email, status, status))
	}
	mailgun := func(id, email, severity, code string) string {
		ts := strconv.FormatInt(time.Now().Unix(), 10)
		mac := hmac.New(sha256.New, []byte("mg-key"))
		mac.Write([]byte(ts + "tok-" + id))
		return fmt.Sprintf(`{"signature":{"timestamp":%q,"token":"tok-%s","signature":%q},"event-data":{"event":"failed","id":%q,
			"severity":%q,"recipient":%q,"delivery-status":{"enhanced-code":%q,"message":"refused"}}}`,
			ts, id, hex.EncodeToString(mac.Sum(nil)), id, severity, email, code)
	}
	post("/webhooks/ses", ses("1", "r0@example.com", "Permanent", "General", "5.1.1"), false)
	post("/webhooks/ses", ses("2", "r1@example.com", "Transient", "MailboxFull", "4.2.2"), false)
	post("/webhooks/ses", ses("3", "r2@example.com", "Permanent", "General", "5.7.1"), false)
	post("/webhooks/postmark", `{"RecordType":"Bounce","ID":1,"Type":"HardBounce","Email":"r3@example.com","Details":"smtp;550 5.1.1 unknown"}`, true)
	post("/webhooks/postmark", `{"RecordType":"Bounce","ID":2,"Type":"AutoResponder","Email":"r4@example.com"}`, true)
	post("/webhooks/mailgun", mailgun("a", "r5@example.com", "permanent", "5.1.1"), false)
	post("/webhooks/mailgun", mailgun("b", "r6@example.com", "temporary", "4.2.2"), false)
	post("/webhooks/mailgun", mailgun("c", "r7@example.com", "permanent", "4.2.2"), false)
	post("/webhooks/mailgun", mailgun("d", "r8@example.com", "permanent", "5.7.26"), false)
	for email, want := range map[string]string{
		"r0@example.com": "hard", "r1@example.com": "soft", "r2@example.com": "policy",
		"r3@example.com": "hard", "r4@example.com": "", // an auto-reply is no bounce
		"r5@example.com": "hard", "r6@example.com": "", // Mailgun still retries
		"r7@example.com": "soft", "r8@example.com": "policy",
	} {
		if got := kindOf(email); got != want {
			t.Errorf("%s: %q, want %q", email, got, want)
		}
	}
}
