package app_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/internal/bounce"
	"github.com/herald-news/herald/internal/bounce/snstest"
	"github.com/herald-news/herald/internal/delivery"
)

const (
	sesTopic   = "arn:aws:sns:us-east-1:123456789012:herald-ses"
	snsCertURL = "https://sns.us-east-1.amazonaws.com/SimpleNotificationService-test.pem"
	mailgunKey = "key-3ax6xnjp29jd6fds4gc373sgvjxteol0"
)

// mustSNSKey makes a stand-in SNS key whose certificate is written to a
// PEM file the configuration names.
func mustSNSKey(t *testing.T) (*snstest.Key, string) {
	t.Helper()
	key := snstest.MustKey(t)
	path := filepath.Join(t.TempDir(), "sns.pem")
	if err := os.WriteFile(path, key.CertPEM, 0o600); err != nil {
		t.Fatal(err)
	}
	return key, path
}

// snsNotification is an SES complaint about s, through SNS, signed with
// key (SignatureVersion 2), after edit has had its way with it.
func snsNotification(t *testing.T, key *snstest.Key, id string, s sent, edit func(*bounce.SNSMessage)) string {
	t.Helper()
	ses := fmt.Sprintf(`{"notificationType":"Complaint","complaint":{"feedbackId":"0100018c-%[1]s","complaintFeedbackType":"abuse",
		"complainedRecipients":[{"emailAddress":%[2]q}],"timestamp":"2026-11-27T16:40:00.000Z"},
		"mail":{"messageId":"0100018c-ses-%[1]s","source":"am@herald.example","destination":[%[2]q],
		"headers":[{"name":"Message-ID","value":"<%[3]s>"}],"commonHeaders":{"messageId":"<%[3]s>","subject":"The Fed holds, for now"}}}`,
		id, s.to, s.messageID)
	m := &bounce.SNSMessage{Type: "Notification", MessageID: "sns-" + id, TopicArn: sesTopic, Message: ses,
		Timestamp: "2026-11-27T16:40:01.000Z", SignatureVersion: "2", SigningCertURL: snsCertURL}
	key.Sign(t, m)
	if edit != nil {
		edit(m)
	}
	body, _ := json.Marshal(m)
	return string(body)
}

// mailgunComplaint is a Mailgun "complained" webhook about s, signed
// with key at ts with token.
func mailgunComplaint(key string, ts time.Time, token string, s sent) string {
	stamp := strconv.FormatInt(ts.Unix(), 10)
	mac := hmac.New(sha256.New, []byte(key))
	mac.Write([]byte(stamp + token))
	return fmt.Sprintf(`{"signature":{"timestamp":%q,"token":%q,"signature":%q},
		"event-data":{"event":"complained","id":"mg-%s","timestamp":%d,"recipient":%q,
		"message":{"headers":{"message-id":%q,"subject":"The Fed holds, for now"}}}}`,
		stamp, token, hex.EncodeToString(mac.Sum(nil)), token, ts.Unix(), s.to, s.messageID)
}

// postJSON posts body to path with optional Basic credentials.
func (h *harness) postJSON(path, body string, basic ...string) int {
	h.t.Helper()
	req, _ := http.NewRequest("POST", h.srv.URL+path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if len(basic) == 2 {
		req.SetBasicAuth(basic[0], basic[1])
	}
	return h.do(req).status
}

func TestComplaintsByEveryRouteUnsubscribeTheReader(t *testing.T) {
	t.Parallel()
	key, certFile := mustSNSKey(t)
	h, relay := bounceHarness(t, "-ses-topics", sesTopic, "-ses-cert", certFile,
		"-postmark-user", "postmark", "-postmark-password", "pm-s3cret", "-mailgun-signing-key", mailgunKey)
	h.mustReaders(h.am, 6, active)
	h.mustReaders(h.den, 6, active)
	ed, got := h.mustSendOn(relay, h.am, 0)
	reader := func(i int) sent { return got[fmt.Sprintf("reader%04d@example.com", i)] }
	stillIn := func(route string, s sent) {
		t.Helper()
		if h.status(s.to, h.am) != herald.SubActive || h.suppressed(s.to) {
			t.Fatalf("%s: a forged call changed %s", route, s.to)
		}
	}
	unsubscribed := func(route string, s sent) {
		t.Helper()
		if h.status(s.to, h.am) != herald.SubUnsubscribed || h.status(s.to, h.den) != herald.SubUnsubscribed || !h.suppressed(s.to) {
			t.Errorf("%s: %s is %s on AM and %s on Denver", route, s.to, h.status(s.to, h.am), h.status(s.to, h.den))
		}
	}
	events := func(provider string) int {
		return h.count(`SELECT COUNT(*) FROM bounce_events WHERE provider = $1 AND kind = 'complaint'`, provider)
	}

	// ARF abuse report, by SMTP to the message's return path.
	arf := report(t, "arf-abuse.eml", reader(0))
	h.mustMailBounce(reader(0).returnPath, arf)
	h.mustMailBounce(reader(0).returnPath, arf)
	unsubscribed("ARF", reader(0))

	// Amazon SES through SNS.
	other, _ := mustSNSKey(t)
	for name, body := range map[string]string{
		"signed by another key": snsNotification(t, other, "1", reader(1), nil),
		"another topic":         snsNotification(t, key, "1", reader(1), func(m *bounce.SNSMessage) { m.TopicArn += "-x" }),
		"certificate elsewhere": snsNotification(t, key, "1", reader(1), func(m *bounce.SNSMessage) { m.SigningCertURL = "https://evil.example/sns.pem" }),
		"changed after signing": snsNotification(t, key, "1", reader(1), func(m *bounce.SNSMessage) { m.Message = strings.Replace(m.Message, "0001", "0005", 1) }),
		"unsigned":              snsNotification(t, key, "1", reader(1), func(m *bounce.SNSMessage) { m.Signature = "" }),
		"not JSON":              "Type=Notification",
	} {
		if status := h.postJSON("/webhooks/ses", body); status != http.StatusUnauthorized {
			t.Errorf("SES %s: %d, want 401", name, status)
		}
	}
	stillIn("SES", reader(1))
	stillIn("SES", reader(5))
	valid := snsNotification(t, key, "1", reader(1), nil)
	for range 2 {
		if status := h.postJSON("/webhooks/ses", valid); status != http.StatusOK {
			t.Fatalf("SES: %d", status)
		}
	}
	unsubscribed("SES", reader(1))

	// Postmark.
	pm := fmt.Sprintf(`{"RecordType":"SpamComplaint","ID":4323372036854775807,"Type":"SpamComplaint","TypeCode":100001,
		"MessageID":"883953f4-6105-42a2-a16a-77a8eac79483","Email":%q,"From":"am@herald.example",
		"BouncedAt":"2026-11-27T16:33:54Z","Subject":"The Fed holds, for now","Content":"Message-ID: <%s>"}`,
		reader(2).to, reader(2).messageID)
	for name, creds := range map[string][]string{"no credentials": nil, "wrong password": {"postmark", "guess"}, "wrong user": {"admin", "pm-s3cret"}} {
		if status := h.postJSON("/webhooks/postmark", pm, creds...); status != http.StatusUnauthorized {
			t.Errorf("Postmark %s: %d, want 401", name, status)
		}
	}
	stillIn("Postmark", reader(2))
	for range 2 {
		if status := h.postJSON("/webhooks/postmark", pm, "postmark", "pm-s3cret"); status != http.StatusOK {
			t.Fatalf("Postmark: %d", status)
		}
	}
	unsubscribed("Postmark", reader(2))

	// Mailgun.
	now := time.Now()
	good := mailgunComplaint(mailgunKey, now, "tok-3", reader(3))
	for name, body := range map[string]string{
		"wrong key":        mailgunComplaint("key-guessed", now, "tok-3", reader(3)),
		"stale":            mailgunComplaint(mailgunKey, now.Add(-10*time.Minute), "tok-old", reader(3)),
		"signature reused": strings.Replace(mailgunComplaint(mailgunKey, now, "tok-x", reader(3)), `"token":"tok-x"`, `"token":"tok-y"`, 1),
	} {
		if status := h.postJSON("/webhooks/mailgun", body); status != http.StatusUnauthorized {
			t.Errorf("Mailgun %s: %d, want 401", name, status)
		}
	}
	stillIn("Mailgun", reader(3))
	for range 2 {
		if status := h.postJSON("/webhooks/mailgun", good); status != http.StatusOK {
			t.Fatalf("Mailgun: %d", status)
		}
	}
	unsubscribed("Mailgun", reader(3))
	// The signed token, replayed on another event, is refused.
	replayed := strings.ReplaceAll(good, reader(3).to, reader(4).to)
	if status := h.postJSON("/webhooks/mailgun", replayed); status != http.StatusUnauthorized {
		t.Errorf("Mailgun token replayed on another body: %d, want 401", status)
	}
	stillIn("Mailgun", reader(4))

	for provider, want := range map[string]int{"mail": 1, "ses": 1, "postmark": 1, "mailgun": 1} {
		if n := events(provider); n != want {
			t.Errorf("%s: %d complaint events recorded, want %d", provider, n, want)
		}
	}
	// Four complaints of six: the send's progress shouts.
	p, err := delivery.Report(context.Background(), h.app.Editions, ed.ID, time.Now())
	if err != nil || p.Complaints != 4 || p.WarningLevel != "critical" || !strings.Contains(p.Warning, "0.3%") {
		t.Errorf("progress: %+v %v", p, err)
	}
	if !strings.Contains(h.metrics(), `herald_edition_complaint_rate{edition="`+strconv.FormatInt(ed.ID, 10)+`",newsletter="am"} 0.666`) {
		t.Error("/metrics lacks the edition's complaint rate")
	}
}
