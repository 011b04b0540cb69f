package webhooks_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/internal/bounce"
	"github.com/herald-news/herald/internal/bounce/snstest"
	"github.com/herald-news/herald/internal/web/webhooks"
)

// fakeSNS stands in for AWS's certificate hosts on loopback: every https
// request, whatever host it names, reaches it. It counts the certificate
// fetches and answers with status (200: the key's certificate).
type fakeSNS struct {
	client  *http.Client
	fetches atomic.Int64
	status  atomic.Int64
}

func mustFakeSNS(t *testing.T, key *snstest.Key) *fakeSNS {
	t.Helper()
	f := &fakeSNS{}
	f.status.Store(http.StatusOK)
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.fetches.Add(1)
		if status := int(f.status.Load()); status != http.StatusOK {
			http.Error(w, "no", status)
			return
		}
		w.Write(key.CertPEM)
	}))
	t.Cleanup(srv.Close)
	tr := srv.Client().Transport.(*http.Transport).Clone()
	tr.TLSClientConfig.ServerName = "example.com" // the test server's certificate names it
	tr.DialContext = func(ctx context.Context, network, _ string) (net.Conn, error) {
		return (&net.Dialer{}).DialContext(ctx, network, srv.Listener.Addr().String())
	}
	tr.DialTLSContext = nil
	f.client = &http.Client{Transport: tr}
	return f
}

// sesServer serves the SES webhook with no pinned certificate: the
// verifier fetches through sns.
func sesServer(t *testing.T, sns *fakeSNS, conf *confirmations) *httptest.Server {
	t.Helper()
	h := &webhooks.Handler{SNS: &bounce.SNSVerifier{Topics: []string{topic}, Client: sns.client, Clock: herald.SystemClock{}},
		Confirmer: conf, Clock: herald.SystemClock{}, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
	srv := httptest.NewServer(h.Routes())
	t.Cleanup(srv.Close)
	return srv
}

// confirmation is a subscription confirmation for our topic, its
// certificate at certURL, signed by key unless changed after.
func confirmation(id, certURL string) *bounce.SNSMessage {
	return &bounce.SNSMessage{Type: "SubscriptionConfirmation", MessageID: id, Token: "2336412f37fb",
		TopicArn: topic, Message: "You have chosen to subscribe.",
		SubscribeURL: "https://sns.us-east-1.amazonaws.com/?Action=ConfirmSubscription&TopicArn=" + topic + "&Token=2336412f37fb",
		Timestamp:    "2026-11-27T12:00:00.000Z", SignatureVersion: "2", SigningCertURL: certURL}
}

func postSES(t *testing.T, srv *httptest.Server, body string) int {
	t.Helper()
	resp, err := http.Post(srv.URL+"/webhooks/ses", "text/plain", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

const goodCertURL = "https://sns.us-east-1.amazonaws.com/SimpleNotificationService-f3ecfb7224c7233fe7bb5f59f96de52f.pem"

// Without -ses-cert, a message is checked in full before any certificate
// is fetched: one that is not from our topic, not signed, or whose
// certificate URL is not exactly where SNS keeps certificates gets 401,
// and nothing is fetched.
func TestSESMessageIsCheckedBeforeItsCertificateIsFetched(t *testing.T) {
	key := snstest.MustKey(t)
	sns := mustFakeSNS(t, key)
	conf := &confirmations{}
	srv := sesServer(t, sns, conf)
	signed := func(m *bounce.SNSMessage) string { return key.Signed(t, m) }
	bad := map[string]string{}
	for _, u := range []string{
		"http://sns.us-east-1.amazonaws.com/SimpleNotificationService-abc.pem",
		"https://sns.us-east-1.amazonaws.com.evil.example/SimpleNotificationService-abc.pem",
		"https://evil.example/sns.us-east-1.amazonaws.com/x.pem",
		"https://sns.evil.amazonaws.com/x.pem",
		"https://sns.us-east-1.amazonaws.com:443/x.pem",
		"https://aws@sns.us-east-1.amazonaws.com/x.pem",
		"https://sns.us-east-1.amazonaws.com/x.pem?redirect=https://evil.example/",
		"https://sns.us-east-1.amazonaws.com/x.pem?",
		"https://sns.us-east-1.amazonaws.com/x.pem#frag",
		"https://sns.us-east-1.amazonaws.com/x.txt",
		"https://sns.us-east-1.amazonaws.com/",
		"https://sns.us-east-1.amazonaws.com/a/../x.pem",
		"https://sns.us-east-1.amazonaws.com/%2e%2e/x.pem",
		"https://SNS.us-east-1.amazonaws.com/x.pem",
		"//sns.us-east-1.amazonaws.com/x.pem",
		"",
	} {
		bad["cert URL "+u] = signed(confirmation("c", u))
	}
	other := confirmation("t", goodCertURL)
	other.TopicArn = topic + "-someone-elses"
	bad["another topic"] = signed(other)
	unsigned := confirmation("u", goodCertURL)
	bad["no signature"] = toJSON(t, unsigned)
	badVersion := confirmation("v", goodCertURL)
	badVersion.SignatureVersion = "3"
	bad["signature version 3"] = signed(badVersion)
	weird := confirmation("w", goodCertURL)
	weird.Type = "Surprise"
	weird.Signature = "c2lnbmF0dXJl"
	bad["unknown type"] = toJSON(t, weird)
	for name, body := range bad {
		if status := postSES(t, srv, body); status != http.StatusUnauthorized {
			t.Errorf("%s: %d, want 401", name, status)
		}
	}
	if n := sns.fetches.Load(); n != 0 {
		t.Errorf("refused messages fetched %d certificates", n)
	}
	if len(conf.urls) != 0 {
		t.Errorf("confirmed %v", conf.urls)
	}

	// A good message fetches its certificate once; the next reuses it.
	for _, id := range []string{"first", "second"} {
		if status := postSES(t, srv, signed(confirmation(id, goodCertURL))); status != http.StatusOK {
			t.Errorf("%s good message: %d", id, status)
		}
	}
	if n := sns.fetches.Load(); n != 1 || len(conf.urls) != 2 {
		t.Errorf("two good messages: %d fetches, %d confirmations; want 1 and 2", n, len(conf.urls))
	}
	// Signed by someone else, with SNS's real certificate: 401.
	if status := postSES(t, srv, snstest.MustKey(t).Signed(t, confirmation("forged", goodCertURL))); status != http.StatusUnauthorized {
		t.Errorf("forged signature: %d, want 401", status)
	}
}

// A certificate SNS cannot serve for now (it answers 5xx) gets 503, so SNS
// sends the message again; one it does not have (404) gets 401.
func TestSESCertificateFetchFailures(t *testing.T) {
	key := snstest.MustKey(t)
	sns := mustFakeSNS(t, key)
	srv := sesServer(t, sns, &confirmations{})
	sns.status.Store(http.StatusInternalServerError)
	if status := postSES(t, srv, key.Signed(t, confirmation("a", goodCertURL))); status != http.StatusServiceUnavailable {
		t.Errorf("SNS answering 500: %d, want 503", status)
	}
	sns.status.Store(http.StatusNotFound)
	if status := postSES(t, srv, key.Signed(t, confirmation("b", goodCertURL))); status != http.StatusUnauthorized {
		t.Errorf("no certificate at the URL: %d, want 401", status)
	}
	// Failures are not cached: once SNS serves it, the message verifies.
	sns.status.Store(http.StatusOK)
	if status := postSES(t, srv, key.Signed(t, confirmation("c", goodCertURL))); status != http.StatusOK {
		t.Errorf("SNS serving the certificate again: %d, want 200", status)
	}
	if n := sns.fetches.Load(); n != 3 {
		t.Errorf("%d fetches, want 3", n)
	}
}

// toJSON is m as SNS posts it, without signing it.
func toJSON(t *testing.T, m *bounce.SNSMessage) string {
	t.Helper()
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
