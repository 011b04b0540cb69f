package webhooks_test

import (
	"context"
	"crypto/x509"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/internal/bounce"
	"github.com/herald-news/herald/internal/bounce/snstest"
	"github.com/herald-news/herald/internal/web/webhooks"
)

const topic = "arn:aws:sns:us-east-1:123456789012:herald-ses"

// confirmations records the subscriptions confirmed, instead of visiting
// AWS: tests never reach the network.
type confirmations struct{ urls []string }

func (c *confirmations) Confirm(_ context.Context, u string) error {
	c.urls = append(c.urls, u)
	return nil
}

func subscription(t *testing.T, key *snstest.Key, topicArn, subscribeURL string) string {
	t.Helper()
	m := &bounce.SNSMessage{Type: "SubscriptionConfirmation", MessageID: "165545c9-2a5c-472c-8df2-7ff2be2b3b1b",
		Token:    "2336412f37fb687f5d51e6e241d09c805a5a57b30d712f794cc5f6a988666d92768dd60a747ba6f3beb71854e285d6ad02428b09ceece29417f1f02d609c582afbacc99c583a916b9981dd2728f4ae6fdb82efd087cc3b7849e05798d2d2785c03b0879594eeac82c01f235d0e717736",
		TopicArn: topicArn, Message: "You have chosen to subscribe to the topic " + topicArn + ". To confirm, visit the SubscribeURL.",
		SubscribeURL: subscribeURL, Timestamp: "2026-11-27T12:00:00.000Z", SignatureVersion: "2",
		SigningCertURL: "https://sns.us-east-1.amazonaws.com/SimpleNotificationService-f3ecfb7224c7233fe7bb5f59f96de52f.pem"}
	return key.Signed(t, m)
}

// notification is an SNS notification of an SES event, signed with key
// (SignatureVersion 1).
func notification(t *testing.T, key *snstest.Key, id, message string) string {
	t.Helper()
	m := &bounce.SNSMessage{Type: "Notification", MessageID: "sns-" + id, TopicArn: topic, Message: message,
		Timestamp: "2026-11-27T12:00:00.000Z", SignatureVersion: "1",
		SigningCertURL: "https://sns.us-east-1.amazonaws.com/SimpleNotificationService-f3ecfb7224c7233fe7bb5f59f96de52f.pem"}
	return key.Signed(t, m)
}

func TestSESSubscriptionIsConfirmedOnlyForOurTopicOnAnSNSHost(t *testing.T) {
	key := snstest.MustKey(t)
	cert := key.Cert
	other := snstest.MustKey(t)
	conf := &confirmations{}
	h := &webhooks.Handler{SNS: &bounce.SNSVerifier{Topics: []string{topic}, Certs: []*x509.Certificate{cert}, Clock: herald.SystemClock{}},
		Confirmer: conf, Clock: herald.SystemClock{}, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
	srv := httptest.NewServer(h.Routes())
	t.Cleanup(srv.Close)
	post := func(path, body string) int {
		resp, err := http.Post(srv.URL+path, "text/plain", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	good := "https://sns.us-east-1.amazonaws.com/?Action=ConfirmSubscription&TopicArn=" + topic + "&Token=2336412f37fb"
	for name, body := range map[string]string{
		"signed by another key":   subscription(t, other, topic, good),
		"another topic":           subscription(t, key, topic+"-x", good),
		"subscribe URL elsewhere": subscription(t, key, topic, "https://attacker.example/?Action=ConfirmSubscription"),
		"subscribe URL over http": subscription(t, key, topic, strings.Replace(good, "https:", "http:", 1)),
	} {
		if status := post("/webhooks/ses", body); status != http.StatusUnauthorized {
			t.Errorf("%s: %d, want 401", name, status)
		}
	}
	if len(conf.urls) != 0 {
		t.Fatalf("confirmed %v", conf.urls)
	}
	if status := post("/webhooks/ses", subscription(t, key, topic, good)); status != http.StatusOK || len(conf.urls) != 1 || conf.urls[0] != good {
		t.Errorf("valid confirmation: %d, confirmed %v", status, conf.urls)
	}
	// Providers without credentials are off.
	for _, path := range []string{"/webhooks/postmark", "/webhooks/mailgun"} {
		if status := post(path, "{}"); status != http.StatusNotFound {
			t.Errorf("%s unconfigured: %d, want 404", path, status)
		}
	}
}
