package dkim

import (
	"bytes"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-msgauth/dkim"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/internal/mail"
)

const (
	domain   = "news.example.com"
	selector = "herald2026"
)

// testMessage is a newsletter message as the compose package makes them.
func testMessage(t testing.TB) []byte {
	t.Helper()
	m := &mail.Message{
		From:      mail.Address{Name: "Herald Morning Brief", Email: "morning@news.example.com"},
		To:        mail.Address{Email: "reader@example.org"},
		Subject:   "The Fed’s September signal",
		Date:      time.Date(2026, 11, 27, 11, 0, 0, 0, time.UTC),
		MessageID: "edition-42-7@news.example.com",
		Headers: []mail.Header{
			{Key: "List-Unsubscribe", Value: "<https://news.example.com/unsubscribe/tok.sig>, <mailto:unsubscribe@news.example.com?subject=unsubscribe-tok.sig>"},
			{Key: "List-Unsubscribe-Post", Value: "List-Unsubscribe=One-Click"},
			{Key: "List-Id", Value: "Morning Brief <morning-brief.news.example.com>"},
			{Key: "Feedback-ID", Value: "42:morning-brief:herald"},
		},
		Text: "1 big thing: The Fed signals a September cut\n\nWhy it matters: lower rates.   \n",
		HTML: `<p style="margin:0"><strong>Why it matters:</strong> lower rates.</p>`,
	}
	raw, err := m.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

// MustSigner generates a key of algo and returns its signer and DNS record.
func MustSigner(tb testing.TB, algo string) (*Signer, string) {
	tb.Helper()
	pemKey, record, err := GenerateKey(algo)
	if err != nil {
		tb.Fatalf("GenerateKey(%s): %v", algo, err)
	}
	s, err := NewSigner(domain, selector, pemKey)
	if err != nil {
		tb.Fatalf("NewSigner(%s): %v", algo, err)
	}
	if s.DNSRecord() != record {
		tb.Fatalf("DNSRecord() = %q, want %q", s.DNSRecord(), record)
	}
	return s, record
}

// verify checks signed against the published records (name -> TXT value),
// without the network.
func verify(t *testing.T, signed []byte, records map[string]string) []*dkim.Verification {
	t.Helper()
	vs, err := dkim.VerifyWithOptions(bytes.NewReader(signed), &dkim.VerifyOptions{
		LookupTXT: func(name string) ([]string, error) {
			if r, ok := records[name]; ok {
				return []string{r}, nil
			}
			return nil, fmt.Errorf("no TXT record at %s", name)
		},
	})
	if err != nil {
		t.Fatalf("Verify: %v", err)
	}
	return vs
}

func TestSignVerifies(t *testing.T) {
	for _, algo := range []string{"ed25519", "rsa"} {
		t.Run(algo, func(t *testing.T) {
			s, record := MustSigner(t, algo)
			if !strings.HasPrefix(record, "v=DKIM1; k="+algo+"; p=") {
				t.Errorf("record = %q", record)
			}
			msg := testMessage(t)
			signed, err := s.Sign(msg)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.HasPrefix(signed, []byte("DKIM-Signature: ")) || !bytes.HasSuffix(signed, msg) {
				t.Fatalf("Sign did not prepend one header:\n%s", signed[:200])
			}
			vs := verify(t, signed, map[string]string{DNSName(domain, selector): record})
			if len(vs) != 1 || vs[0].Err != nil || vs[0].Domain != domain {
				t.Fatalf("verification = %+v", vs[0])
			}
			for _, h := range []string{"from", "subject", "list-unsubscribe", "list-unsubscribe-post", "list-id", "feedback-id"} {
				if !strings.Contains(strings.ToLower(strings.Join(vs[0].HeaderKeys, ":")), h) {
					t.Errorf("%s is not signed: h=%v", h, vs[0].HeaderKeys)
				}
			}

			tampered := bytes.Replace(signed, []byte("Subject: "), []byte("Subject: URGENT "), 1)
			if vs := verify(t, tampered, map[string]string{DNSName(domain, selector): record}); vs[0].Err == nil {
				t.Error("a changed Subject still verifies")
			}
			added := bytes.Replace(signed, []byte("\r\nTo: "), []byte("\r\nSubject: Another\r\nTo: "), 1)
			if vs := verify(t, added, map[string]string{DNSName(domain, selector): record}); vs[0].Err == nil {
				t.Error("an added second Subject still verifies: Subject is not over-signed")
			}
		})
	}
}

func TestDualSignatureVerifiesTwice(t *testing.T) {
	ed, edRecord := MustSigner(t, "ed25519")
	rsaSigner, rsaRecord := MustSigner(t, "rsa")
	rsaSigner.selector = "rsa2026"
	once, err := rsaSigner.Sign(testMessage(t))
	if err != nil {
		t.Fatal(err)
	}
	twice, err := ed.Sign(once)
	if err != nil {
		t.Fatal(err)
	}
	vs := verify(t, twice, map[string]string{DNSName(domain, selector): edRecord, DNSName(domain, "rsa2026"): rsaRecord})
	if len(vs) != 2 || vs[0].Err != nil || vs[1].Err != nil {
		t.Fatalf("verifications = %+v, %+v", vs[0], vs[1])
	}
}

func TestNewSignerRefusesWeakOrOddKeys(t *testing.T) {
	weak, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		t.Fatal(err)
	}
	pkcs8, _ := x509.MarshalPKCS8PrivateKey(weak)
	for name, pemKey := range map[string][]byte{
		"RSA-1024 PKCS#1": pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(weak)}),
		"RSA-1024 PKCS#8": pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: pkcs8}),
		"not PEM":         []byte("hello"),
		"a certificate":   pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: []byte{1}}),
		"garbage DER":     pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: []byte{1, 2, 3}}),
	} {
		_, err := NewSigner(domain, selector, pemKey)
		if herald.ErrorCode(err) != herald.EINVALID {
			t.Errorf("%s: NewSigner = %v, want EINVALID", name, err)
		}
	}
	_, err = NewSigner(domain, selector, pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(weak)}))
	if msg := herald.ErrorMessage(err); !strings.Contains(msg, "1024-bit") || !strings.Contains(msg, "2048") {
		t.Errorf("message %q should say the key is 1024 bits and 2048 are needed", msg)
	}
	good, _, _ := GenerateKey("ed25519")
	for _, bad := range [][2]string{{"", selector}, {domain, ""}, {"exa mple.com", selector}, {domain, "a;b"}} {
		if _, err := NewSigner(bad[0], bad[1], good); herald.ErrorCode(err) != herald.EINVALID {
			t.Errorf("NewSigner(%q, %q) = %v, want EINVALID", bad[0], bad[1], err)
		}
	}
	if _, _, err := GenerateKey("dsa"); herald.ErrorCode(err) != herald.EINVALID {
		t.Errorf("GenerateKey(dsa) = %v, want EINVALID", err)
	}
}

func TestLoadSignerReadsPKCS1(t *testing.T) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "dkim.pem")
	if err := os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)}), 0o600); err != nil {
		t.Fatal(err)
	}
	s, err := LoadSigner(domain, selector, path)
	if err != nil {
		t.Fatal(err)
	}
	signed, err := s.Sign(testMessage(t))
	if err != nil {
		t.Fatal(err)
	}
	if vs := verify(t, signed, map[string]string{DNSName(domain, selector): s.DNSRecord()}); vs[0].Err != nil {
		t.Errorf("verification: %v", vs[0].Err)
	}
	if _, err := LoadSigner(domain, selector, path+".missing"); err == nil {
		t.Error("LoadSigner of a missing file succeeded")
	}
}

func TestSignIsSafeForConcurrentUse(t *testing.T) {
	s, record := MustSigner(t, "ed25519")
	msg := testMessage(t)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 20 {
				signed, err := s.Sign(msg)
				if err != nil {
					t.Error(err)
					return
				}
				if vs := verify(t, signed, map[string]string{DNSName(domain, selector): record}); vs[0].Err != nil {
					t.Errorf("verification: %v", vs[0].Err)
					return
				}
			}
		})
	}
	wg.Wait()
}

func TestDNSName(t *testing.T) {
	if got := DNSName("example.com", "s1"); got != "s1._domainkey.example.com" {
		t.Errorf("DNSName = %q", got)
	}
}

func BenchmarkSign(b *testing.B) {
	for _, algo := range []string{"ed25519", "rsa"} {
		b.Run(algo, func(b *testing.B) {
			s, _ := MustSigner(b, algo)
			msg := testMessage(b)
			b.ReportAllocs()
			for b.Loop() {
				if _, err := s.Sign(msg); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
