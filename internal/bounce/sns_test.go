package bounce_test

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/herald-news/herald/internal/bounce"
	"github.com/herald-news/herald/internal/bounce/snstest"

	"github.com/herald-news/herald"
)

const testTopic = "arn:aws:sns:eu-west-1:123456789012:ses-feedback"

// roundTrip serves requests from memory: tests never reach the network.
type roundTrip func(*http.Request) (*http.Response, error)

func (f roundTrip) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func TestSNSSignaturesOfBothVersionsVerify(t *testing.T) {
	key := snstest.MustKey(t)
	cert := key.Cert
	v := &bounce.SNSVerifier{Topics: []string{testTopic}, Certs: []*x509.Certificate{cert}, Clock: herald.SystemClock{}}
	ctx := context.Background()
	for _, version := range []string{"1", "2"} {
		for _, m := range []*bounce.SNSMessage{
			{Type: "Notification", MessageID: "m1", TopicArn: testTopic, Subject: "Amazon SES Email bounce.Event Notification",
				Message: `{"notificationType":"Bounce"}`, Timestamp: "2026-11-27T12:00:00.000Z", SignatureVersion: version,
				SigningCertURL: "https://sns.eu-west-1.amazonaws.com/SimpleNotificationService-abc.pem"},
			{Type: "SubscriptionConfirmation", MessageID: "m2", TopicArn: testTopic, Token: "2336412f37f",
				Message: "You have chosen to subscribe to the topic.", Timestamp: "2026-11-27T12:00:00.000Z",
				SubscribeURL:     "https://sns.eu-west-1.amazonaws.com/?bounce.Action=ConfirmSubscription&Token=2336412f37f",
				SignatureVersion: version, SigningCertURL: "https://sns.eu-west-1.amazonaws.com.cn/SimpleNotificationService-abc.pem"},
		} {
			key.Sign(t, m)
			if err := v.Verify(ctx, m); err != nil {
				t.Errorf("v%s %s: %v", version, m.Type, err)
			}
			forged := *m
			forged.Timestamp = "2026-11-27T12:00:01.000Z"
			if err := v.Verify(ctx, &forged); err != bounce.ErrForged {
				t.Errorf("v%s %s changed after signing: %v", version, m.Type, err)
			}
		}
	}
	m := &bounce.SNSMessage{Type: "Notification", MessageID: "m3", TopicArn: testTopic, Message: "{}", Timestamp: "t",
		SignatureVersion: "3", SigningCertURL: "https://sns.eu-west-1.amazonaws.com/x.pem"}
	key.Sign(t, m)
	if err := v.Verify(ctx, m); err != bounce.ErrForged {
		t.Errorf("unknown signature version: %v", err)
	}
}

func TestSNSCertificatesAreFetchedOnlyFromSNSHosts(t *testing.T) {
	key := snstest.MustKey(t)
	certPEM := key.CertPEM
	var fetched []string
	client := &http.Client{Transport: roundTrip(func(r *http.Request) (*http.Response, error) {
		fetched = append(fetched, r.URL.String())
		return &http.Response{StatusCode: 200, Body: io.NopCloser(bytes.NewReader(certPEM)), Header: http.Header{}}, nil
	})}
	v := &bounce.SNSVerifier{Topics: []string{testTopic}, Client: client, Clock: herald.SystemClock{}}
	ctx := context.Background()
	good := "https://sns.us-east-1.amazonaws.com/SimpleNotificationService-abc.pem"
	for _, certURL := range []string{
		"http://sns.us-east-1.amazonaws.com/SimpleNotificationService-abc.pem", // not https
		"https://sns.us-east-1.amazonaws.com.evil.example/x.pem",
		"https://evil.example/sns.us-east-1.amazonaws.com/x.pem",
		"https://sns.us-east-1.amazonaws.com:8443/x.pem",
		"https://user@sns.us-east-1.amazonaws.com/x.pem",
		"https://sns.us-east-1.amazonaws.com/x.pem?a=b",
		"https://sns.us-east-1.amazonaws.com/x.pem#a",
		"https://sns.us-east-1.amazonaws.com/x.crt",
		"https://sns.us-east-1.amazonaws.com/a/%2e%2e/x.pem",
		good,
	} {
		m := &bounce.SNSMessage{Type: "Notification", MessageID: "m", TopicArn: testTopic, Message: "{}",
			Timestamp: "2026-11-27T12:00:00.000Z", SignatureVersion: "2", SigningCertURL: certURL}
		key.Sign(t, m)
		err := v.Verify(ctx, m)
		if (err == nil) != (certURL == good) {
			t.Errorf("%s: %v", certURL, err)
		}
	}
	if len(fetched) != 1 || fetched[0] != good {
		t.Errorf("fetched %v", fetched)
	}
	m := &bounce.SNSMessage{Type: "Notification", MessageID: "again", TopicArn: testTopic, Message: "{}",
		Timestamp: "2026-11-27T12:00:00.000Z", SignatureVersion: "2", SigningCertURL: good}
	key.Sign(t, m)
	if err := v.Verify(ctx, m); err != nil || len(fetched) != 1 {
		t.Errorf("the certificate was not cached: %v, %d fetches", err, len(fetched))
	}
	m.TopicArn = "arn:aws:sns:us-east-1:666666666666:someone-elses"
	key.Sign(t, m)
	if err := v.Verify(ctx, m); err != bounce.ErrForged {
		t.Errorf("another account's topic: %v", err)
	}
}

func TestMailgunSignatures(t *testing.T) {
	now := time.Unix(1795777323, 0)
	mac := func(key, ts, token string) string {
		h := hmac.New(sha256.New, []byte(key))
		h.Write([]byte(ts + token))
		return hex.EncodeToString(h.Sum(nil))
	}
	ts := "1795777300"
	if err := bounce.VerifyMailgun("k", ts, "tok", mac("k", ts, "tok"), now, 5*time.Minute); err != nil {
		t.Errorf("valid: %v", err)
	}
	for name, err := range map[string]error{
		"wrong key":   bounce.VerifyMailgun("k", ts, "tok", mac("j", ts, "tok"), now, 5*time.Minute),
		"other token": bounce.VerifyMailgun("k", ts, "tok2", mac("k", ts, "tok"), now, 5*time.Minute),
		"stale":       bounce.VerifyMailgun("k", "1795776000", "tok", mac("k", "1795776000", "tok"), now, 5*time.Minute),
		"future":      bounce.VerifyMailgun("k", "1795779000", "tok", mac("k", "1795779000", "tok"), now, 5*time.Minute),
		"no key":      bounce.VerifyMailgun("", ts, "tok", mac("", ts, "tok"), now, 5*time.Minute),
		"not hex":     bounce.VerifyMailgun("k", ts, "tok", "zz", now, 5*time.Minute),
	} {
		if err != bounce.ErrForged {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// Messages that arrive together with one certificate URL wait for one
// fetch of it.
func TestSNSCertificateIsFetchedOnceForMessagesAtOnce(t *testing.T) {
	key := snstest.MustKey(t)
	var fetches atomic.Int64
	unblock := make(chan struct{})
	client := &http.Client{Transport: roundTrip(func(r *http.Request) (*http.Response, error) {
		fetches.Add(1)
		<-unblock
		return &http.Response{StatusCode: 200, Body: io.NopCloser(bytes.NewReader(key.CertPEM)), Header: http.Header{}}, nil
	})}
	v := &bounce.SNSVerifier{Topics: []string{testTopic}, Client: client, Clock: herald.SystemClock{}}
	const messages = 8
	errs := make(chan error, messages)
	for i := range messages {
		m := &bounce.SNSMessage{Type: "Notification", MessageID: "m" + strconv.Itoa(i), TopicArn: testTopic, Message: "{}",
			Timestamp: "2026-11-27T12:00:00.000Z", SignatureVersion: "2",
			SigningCertURL: "https://sns.eu-west-1.amazonaws.com/SimpleNotificationService-abc.pem"}
		key.Sign(t, m)
		go func() { errs <- v.Verify(context.Background(), m) }()
	}
	for fetches.Load() == 0 {
		time.Sleep(time.Millisecond)
	}
	time.Sleep(20 * time.Millisecond) // let the others line up behind it
	close(unblock)
	for range messages {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
	if n := fetches.Load(); n != 1 {
		t.Errorf("%d fetches for %d messages with one certificate URL", n, messages)
	}
}

// A certificate URL that redirects, or serves something too large to be a
// certificate, is not trusted.
func TestSNSCertificateFetchFollowsNoRedirectAndIsBounded(t *testing.T) {
	key := snstest.MustKey(t)
	var fetched []string
	client := &http.Client{Transport: roundTrip(func(r *http.Request) (*http.Response, error) {
		fetched = append(fetched, r.URL.String())
		switch r.URL.Path {
		case "/redirect.pem":
			return &http.Response{StatusCode: http.StatusFound, Body: http.NoBody,
				Header: http.Header{"Location": {"https://evil.example/cert.pem"}}}, nil
		case "/huge.pem":
			return &http.Response{StatusCode: 200, Header: http.Header{},
				Body: io.NopCloser(io.MultiReader(bytes.NewReader(key.CertPEM), bytes.NewReader(make([]byte, 1<<20))))}, nil
		}
		return nil, fmt.Errorf("unexpected fetch of %s", r.URL)
	})}
	v := &bounce.SNSVerifier{Topics: []string{testTopic}, Client: client, Clock: herald.SystemClock{}}
	for _, path := range []string{"/redirect.pem", "/huge.pem"} {
		m := &bounce.SNSMessage{Type: "Notification", MessageID: "m", TopicArn: testTopic, Message: "{}",
			Timestamp: "2026-11-27T12:00:00.000Z", SignatureVersion: "2", SigningCertURL: "https://sns.eu-west-1.amazonaws.com" + path}
		key.Sign(t, m)
		if err := v.Verify(context.Background(), m); err != bounce.ErrForged {
			t.Errorf("%s: %v, want forged", path, err)
		}
	}
	if len(fetched) != 2 {
		t.Errorf("fetched %v; a redirect must not be followed", fetched)
	}
}
