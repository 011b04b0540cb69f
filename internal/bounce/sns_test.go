package bounce

import (
	"bytes"
	"context"
	"crypto"
	"crypto/hmac"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/hex"
	"encoding/pem"
	"io"
	"math/big"
	"net/http"
	"testing"
	"time"

	"github.com/herald-news/herald"
)

const testTopic = "arn:aws:sns:eu-west-1:123456789012:ses-feedback"

func mustSNSCert(t *testing.T) (*rsa.PrivateKey, *x509.Certificate, []byte) {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(7), Subject: pkix.Name{CommonName: "sns.amazonaws.com"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	return key, cert, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
}

func sign(t *testing.T, key *rsa.PrivateKey, m *SNSMessage) {
	t.Helper()
	text, err := m.StringToSign()
	if err != nil {
		t.Fatal(err)
	}
	var sig []byte
	if m.SignatureVersion == "1" {
		sum := sha1.Sum([]byte(text))
		sig, err = rsa.SignPKCS1v15(rand.Reader, key, crypto.SHA1, sum[:])
	} else {
		sum := sha256.Sum256([]byte(text))
		sig, err = rsa.SignPKCS1v15(rand.Reader, key, crypto.SHA256, sum[:])
	}
	if err != nil {
		t.Fatal(err)
	}
	m.Signature = base64.StdEncoding.EncodeToString(sig)
}

// roundTrip serves requests from memory: tests never reach the network.
type roundTrip func(*http.Request) (*http.Response, error)

func (f roundTrip) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func TestSNSSignaturesOfBothVersionsVerify(t *testing.T) {
	key, cert, _ := mustSNSCert(t)
	v := &SNSVerifier{Topics: []string{testTopic}, Certs: []*x509.Certificate{cert}, Clock: herald.SystemClock{}}
	ctx := context.Background()
	for _, version := range []string{"1", "2"} {
		for _, m := range []*SNSMessage{
			{Type: "Notification", MessageID: "m1", TopicArn: testTopic, Subject: "Amazon SES Email Event Notification",
				Message: `{"notificationType":"Bounce"}`, Timestamp: "2026-11-27T12:00:00.000Z", SignatureVersion: version,
				SigningCertURL: "https://sns.eu-west-1.amazonaws.com/SimpleNotificationService-abc.pem"},
			{Type: "SubscriptionConfirmation", MessageID: "m2", TopicArn: testTopic, Token: "2336412f37f",
				Message: "You have chosen to subscribe to the topic.", Timestamp: "2026-11-27T12:00:00.000Z",
				SubscribeURL:     "https://sns.eu-west-1.amazonaws.com/?Action=ConfirmSubscription&Token=2336412f37f",
				SignatureVersion: version, SigningCertURL: "https://sns.eu-west-1.amazonaws.com.cn/SimpleNotificationService-abc.pem"},
		} {
			sign(t, key, m)
			if err := v.Verify(ctx, m); err != nil {
				t.Errorf("v%s %s: %v", version, m.Type, err)
			}
			forged := *m
			forged.Timestamp = "2026-11-27T12:00:01.000Z"
			if err := v.Verify(ctx, &forged); err != ErrForged {
				t.Errorf("v%s %s changed after signing: %v", version, m.Type, err)
			}
		}
	}
	m := &SNSMessage{Type: "Notification", MessageID: "m3", TopicArn: testTopic, Message: "{}", Timestamp: "t",
		SignatureVersion: "3", SigningCertURL: "https://sns.eu-west-1.amazonaws.com/x.pem"}
	sign(t, key, m)
	if err := v.Verify(ctx, m); err != ErrForged {
		t.Errorf("unknown signature version: %v", err)
	}
}

func TestSNSCertificatesAreFetchedOnlyFromSNSHosts(t *testing.T) {
	key, _, certPEM := mustSNSCert(t)
	var fetched []string
	client := &http.Client{Transport: roundTrip(func(r *http.Request) (*http.Response, error) {
		fetched = append(fetched, r.URL.String())
		return &http.Response{StatusCode: 200, Body: io.NopCloser(bytes.NewReader(certPEM)), Header: http.Header{}}, nil
	})}
	v := &SNSVerifier{Topics: []string{testTopic}, Client: client, Clock: herald.SystemClock{}}
	ctx := context.Background()
	good := "https://sns.us-east-1.amazonaws.com/SimpleNotificationService-abc.pem"
	for _, certURL := range []string{
		"http://sns.us-east-1.amazonaws.com/SimpleNotificationService-abc.pem", // not https
		"https://sns.us-east-1.amazonaws.com.evil.example/x.pem",
		"https://evil.example/sns.us-east-1.amazonaws.com/x.pem",
		"https://sns.us-east-1.amazonaws.com:8443/x.pem",
		"https://user@sns.us-east-1.amazonaws.com/x.pem",
		good,
	} {
		m := &SNSMessage{Type: "Notification", MessageID: "m", TopicArn: testTopic, Message: "{}",
			Timestamp: "2026-11-27T12:00:00.000Z", SignatureVersion: "2", SigningCertURL: certURL}
		sign(t, key, m)
		err := v.Verify(ctx, m)
		if (err == nil) != (certURL == good) {
			t.Errorf("%s: %v", certURL, err)
		}
	}
	if len(fetched) != 1 || fetched[0] != good {
		t.Errorf("fetched %v", fetched)
	}
	m := &SNSMessage{Type: "Notification", MessageID: "again", TopicArn: testTopic, Message: "{}",
		Timestamp: "2026-11-27T12:00:00.000Z", SignatureVersion: "2", SigningCertURL: good}
	sign(t, key, m)
	if err := v.Verify(ctx, m); err != nil || len(fetched) != 1 {
		t.Errorf("the certificate was not cached: %v, %d fetches", err, len(fetched))
	}
	m.TopicArn = "arn:aws:sns:us-east-1:666666666666:someone-elses"
	sign(t, key, m)
	if err := v.Verify(ctx, m); err != ErrForged {
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
	if err := VerifyMailgun("k", ts, "tok", mac("k", ts, "tok"), now, 5*time.Minute); err != nil {
		t.Errorf("valid: %v", err)
	}
	for name, err := range map[string]error{
		"wrong key":   VerifyMailgun("k", ts, "tok", mac("j", ts, "tok"), now, 5*time.Minute),
		"other token": VerifyMailgun("k", ts, "tok2", mac("k", ts, "tok"), now, 5*time.Minute),
		"stale":       VerifyMailgun("k", "1795776000", "tok", mac("k", "1795776000", "tok"), now, 5*time.Minute),
		"future":      VerifyMailgun("k", "1795779000", "tok", mac("k", "1795779000", "tok"), now, 5*time.Minute),
		"no key":      VerifyMailgun("", ts, "tok", mac("", ts, "tok"), now, 5*time.Minute),
		"not hex":     VerifyMailgun("k", ts, "tok", "zz", now, 5*time.Minute),
	} {
		if err != ErrForged {
			t.Errorf("%s: %v", name, err)
		}
	}
}
