package bounce

import (
	"context"
	"crypto"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/herald-news/herald"
)

// SNSMessage is what Amazon SNS posts to an HTTPS subscription.
type SNSMessage struct {
	Type             string `json:"Type"`
	MessageID        string `json:"MessageId"`
	Token            string `json:"Token"`
	TopicArn         string `json:"TopicArn"`
	Subject          string `json:"Subject"`
	Message          string `json:"Message"`
	Timestamp        string `json:"Timestamp"`
	SignatureVersion string `json:"SignatureVersion"`
	Signature        string `json:"Signature"`
	SigningCertURL   string `json:"SigningCertURL"`
	SubscribeURL     string `json:"SubscribeURL"`
	UnsubscribeURL   string `json:"UnsubscribeURL"`
}

// ErrForged is returned for a webhook call that does not authenticate.
var ErrForged = &herald.Error{Code: herald.EUNAUTHORIZED, Message: "This request is not signed by a sender we trust."}

// snsHost is the host every SNS certificate and subscription URL has:
// sns.<region>.amazonaws.com, or .amazonaws.com.cn in China.
var snsHost = regexp.MustCompile(`^sns\.[a-z]{2}(-[a-z]+)+-[0-9]+\.amazonaws\.com(\.cn)?$`)

// snsCertPath is the path of an SNS signing certificate, such as
// /SimpleNotificationService-f3ecfb7224c7233fe7bb5f59f96de52f.pem.
var snsCertPath = regexp.MustCompile(`^/[A-Za-z0-9._-]+\.pem$`)

// IsSNSURL reports whether u is an https URL on an SNS host, with no
// user, password or port.
func IsSNSURL(u string) bool {
	p, err := url.Parse(u)
	return err == nil && p.Scheme == "https" && p.Opaque == "" && p.User == nil && p.Port() == "" &&
		snsHost.MatchString(p.Host)
}

// IsSNSCertURL reports whether u could be where SNS keeps a signing
// certificate: an SNS URL (IsSNSURL) whose path is one .pem file, with no
// query, fragment or escaped characters.
func IsSNSCertURL(u string) bool {
	p, err := url.Parse(u)
	return err == nil && IsSNSURL(u) && p.RawQuery == "" && !p.ForceQuery && p.Fragment == "" && p.RawPath == "" &&
		!strings.Contains(u, "%") && snsCertPath.MatchString(p.Path) && !strings.Contains(p.Path, "..")
}

// StringToSign is the text SNS signs, per AWS's documentation: chosen
// fields as "Name\nvalue\n", in order, by message type.
func (m *SNSMessage) StringToSign() (string, error) {
	var fields []string
	switch m.Type {
	case "Notification":
		fields = []string{"Message", m.Message, "MessageId", m.MessageID}
		if m.Subject != "" {
			fields = append(fields, "Subject", m.Subject)
		}
		fields = append(fields, "Timestamp", m.Timestamp, "TopicArn", m.TopicArn, "Type", m.Type)
	case "SubscriptionConfirmation", "UnsubscribeConfirmation":
		fields = []string{"Message", m.Message, "MessageId", m.MessageID, "SubscribeURL", m.SubscribeURL,
			"Timestamp", m.Timestamp, "Token", m.Token, "TopicArn", m.TopicArn, "Type", m.Type}
	default:
		return "", fmt.Errorf("bounce: unknown SNS message type %q", m.Type)
	}
	var b strings.Builder
	for _, f := range fields {
		b.WriteString(f)
		b.WriteByte('\n')
	}
	return b.String(), nil
}

// SNSVerifier checks SNS signatures (SignatureVersion 1, SHA1withRSA, and
// 2, SHA256withRSA) and that a message comes from one of our topics.
// Everything the message says is checked before any certificate is
// fetched: its topic, type, signature version and signature, and that
// SigningCertURL is where SNS keeps certificates (IsSNSCertURL).
type SNSVerifier struct {
	// Topics are the topic ARNs whose messages are accepted.
	Topics []string
	// Certs, when set, are the only certificates trusted, and nothing is
	// fetched (tests, or an operator pinning AWS's certificate).
	Certs []*x509.Certificate
	// Client fetches SigningCertURL when Certs is empty, within
	// certFetchTimeout and without following redirects; nil is
	// http.DefaultTransport's.
	Client *http.Client
	Clock  herald.Clock

	mu      sync.Mutex
	fetched map[string]*certFetch // by URL, at most maxCachedCerts
}

// Verify returns ErrForged unless m is signed by SNS for one of Topics.
// A certificate that cannot be fetched for now (the network, or SNS
// answering 5xx) is an EINTERNAL error, so the caller can ask SNS to
// retry.
func (v *SNSVerifier) Verify(ctx context.Context, m *SNSMessage) error {
	if !slices.Contains(v.Topics, m.TopicArn) {
		return ErrForged
	}
	text, err := m.StringToSign()
	if err != nil {
		return ErrForged
	}
	sig, err := base64.StdEncoding.DecodeString(m.Signature)
	if err != nil || len(sig) == 0 || len(sig) > maxSignatureBytes {
		return ErrForged
	}
	var hash crypto.Hash
	var sum []byte
	switch m.SignatureVersion {
	case "1":
		s := sha1.Sum([]byte(text))
		hash, sum = crypto.SHA1, s[:]
	case "2":
		s := sha256.Sum256([]byte(text))
		hash, sum = crypto.SHA256, s[:]
	default:
		return ErrForged
	}
	if !IsSNSCertURL(m.SigningCertURL) {
		return ErrForged
	}
	certs := v.Certs
	if len(certs) == 0 {
		cert, err := v.cert(ctx, m.SigningCertURL)
		if err != nil {
			return err
		}
		certs = []*x509.Certificate{cert}
	}
	for _, c := range certs {
		if pub, ok := c.PublicKey.(*rsa.PublicKey); ok && rsa.VerifyPKCS1v15(pub, hash, sum, sig) == nil {
			return nil
		}
	}
	return ErrForged
}

// ParseCerts reads the PEM certificates in data.
func ParseCerts(data []byte) ([]*x509.Certificate, error) {
	var certs []*x509.Certificate
	for {
		var block *pem.Block
		block, data = pem.Decode(data)
		if block == nil {
			break
		}
		if block.Type != "CERTIFICATE" {
			continue
		}
		c, err := x509.ParseCertificate(block.Bytes)
		if err != nil {
			return nil, fmt.Errorf("bounce: certificate: %w", err)
		}
		certs = append(certs, c)
	}
	if len(certs) == 0 {
		return nil, errors.New("bounce: no PEM certificate found")
	}
	return certs, nil
}

// LoadCerts reads the PEM certificates in a file.
func LoadCerts(path string) ([]*x509.Certificate, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("bounce: %w", err)
	}
	return ParseCerts(data)
}

// Confirmer confirms an SNS subscription by visiting its SubscribeURL.
type Confirmer interface {
	Confirm(ctx context.Context, subscribeURL string) error
}

// HTTPConfirmer confirms with a GET request.
type HTTPConfirmer struct{ Client *http.Client }

// Confirm visits subscribeURL, which must be an https URL on an SNS host.
func (c HTTPConfirmer) Confirm(ctx context.Context, subscribeURL string) error {
	if !IsSNSURL(subscribeURL) {
		return ErrForged
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, subscribeURL, nil)
	if err != nil {
		return fmt.Errorf("bounce: confirm subscription: %w", err)
	}
	client := c.Client
	if client == nil {
		client = &http.Client{Timeout: 10 * time.Second}
	}
	resp, err := client.Do(req)
	if err != nil {
		return fmt.Errorf("bounce: confirm subscription: %w", err)
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("bounce: confirm subscription: SNS answered %s", resp.Status)
	}
	return nil
}
