// Package dkim signs outgoing mail with DKIM (RFC 6376, RFC 8463), so that
// receivers can tell that a message really comes from the newsroom's domain
// and was not changed on the way.
package dkim

import (
	"crypto"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"fmt"
	"os"
	"strings"

	"github.com/emersion/go-msgauth/dkim"

	"github.com/herald-news/herald"
)

// minRSABits is the smallest RSA key we sign with (RFC 8301 asks for 2048).
const minRSABits = 2048

// SignedHeaders are the header fields signed, in order. Those named twice
// are over-signed: the extra, empty instance makes the signature fail if
// anyone adds a second From, Subject or unsubscribe link on the way. List-Id
// and Feedback-ID are signed once, so a list that forwards the message may
// still add its own.
var SignedHeaders = []string{
	"From", "From",
	"To", "To",
	"Subject", "Subject",
	"Date", "Date",
	"Message-ID", "Message-ID",
	"Reply-To", "Reply-To",
	"MIME-Version",
	"Content-Type",
	"List-Id",
	"List-Unsubscribe", "List-Unsubscribe",
	"List-Unsubscribe-Post", "List-Unsubscribe-Post",
	"Feedback-ID",
}

// Signer signs outgoing messages with DKIM (RFC 6376), relaxed/relaxed,
// over SignedHeaders. It is safe for concurrent use.
type Signer struct {
	domain, selector string
	key              crypto.Signer
}

// NewSigner parses a PEM private key: PKCS#8 ("PRIVATE KEY") Ed25519 or
// RSA, or PKCS#1 ("RSA PRIVATE KEY"). It returns EINVALID for anything else
// and for RSA keys under 2048 bits.
func NewSigner(domain, selector string, pemKey []byte) (*Signer, error) {
	if !validName(domain) {
		return nil, herald.Errorf(herald.EINVALID, "The DKIM domain %q is not a valid domain name.", domain)
	}
	if !validName(selector) {
		return nil, herald.Errorf(herald.EINVALID, "The DKIM selector %q is not valid: use letters, digits and hyphens.", selector)
	}
	key, err := parseKey(pemKey)
	if err != nil {
		return nil, err
	}
	return &Signer{domain: strings.ToLower(domain), selector: selector, key: key}, nil
}

// LoadSigner reads the PEM private key at path; see NewSigner.
func LoadSigner(domain, selector, path string) (*Signer, error) {
	pemKey, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("dkim: load key: %w", err)
	}
	return NewSigner(domain, selector, pemKey)
}

// parseKey decodes a PEM private key DKIM can sign with.
func parseKey(pemKey []byte) (crypto.Signer, error) {
	block, _ := pem.Decode(pemKey)
	if block == nil {
		return nil, herald.Errorf(herald.EINVALID, "The DKIM key is not a PEM private key.")
	}
	var key any
	var err error
	switch block.Type {
	case "PRIVATE KEY":
		key, err = x509.ParsePKCS8PrivateKey(block.Bytes)
	case "RSA PRIVATE KEY":
		key, err = x509.ParsePKCS1PrivateKey(block.Bytes)
	default:
		return nil, herald.Errorf(herald.EINVALID, "The DKIM key is a %q; use an unencrypted PKCS#8 \"PRIVATE KEY\" (Ed25519 or RSA) or an \"RSA PRIVATE KEY\".", block.Type)
	}
	if err != nil {
		return nil, herald.Errorf(herald.EINVALID, "The DKIM key can't be read: %v.", err)
	}
	switch k := key.(type) {
	case ed25519.PrivateKey:
		return k, nil
	case *rsa.PrivateKey:
		if bits := k.N.BitLen(); bits < minRSABits {
			return nil, herald.Errorf(herald.EINVALID, "The DKIM key is a %d-bit RSA key; use at least %d bits (or Ed25519).", bits, minRSABits)
		}
		return k, nil
	}
	return nil, herald.Errorf(herald.EINVALID, "The DKIM key is a %T; DKIM signs with Ed25519 or RSA keys only.", key)
}

// Sign returns msg, a complete message with CRLF line endings (as
// mail.Message.Bytes writes it), with a DKIM-Signature header prepended.
// To sign with both an RSA and an Ed25519 key (RFC 8463 suggests it: not
// every receiver checks Ed25519), sign the result of one Signer with the other.
func (s *Signer) Sign(msg []byte) ([]byte, error) {
	sg, err := dkim.NewSigner(&dkim.SignOptions{
		Domain:                 s.domain,
		Selector:               s.selector,
		Signer:                 s.key,
		HeaderCanonicalization: dkim.CanonicalizationRelaxed,
		BodyCanonicalization:   dkim.CanonicalizationRelaxed,
		HeaderKeys:             SignedHeaders,
	})
	if err != nil {
		return nil, fmt.Errorf("dkim: sign: %w", err)
	}
	if _, err := sg.Write(msg); err != nil {
		_ = sg.Close() // Close reports the cause, which Write saw first
		return nil, fmt.Errorf("dkim: sign: %w", err)
	}
	if err := sg.Close(); err != nil {
		return nil, fmt.Errorf("dkim: sign: %w", err)
	}
	sig := sg.Signature()
	out := make([]byte, 0, len(sig)+len(msg))
	return append(append(out, sig...), msg...), nil
}

// DNSRecord is the TXT record value that publishes the signer's public key
// at DNSName.
func (s *Signer) DNSRecord() string { return dnsRecordFor(s.key.Public()) }

// GenerateKey makes a new key, "ed25519" or "rsa" (2048 bits), and returns
// it as PKCS#8 PEM with the DNS TXT record value that publishes it.
func GenerateKey(algo string) (pemKey []byte, dnsRecord string, err error) {
	var key crypto.Signer
	switch algo {
	case "ed25519":
		_, key, err = ed25519.GenerateKey(rand.Reader)
	case "rsa":
		key, err = rsa.GenerateKey(rand.Reader, minRSABits)
	default:
		return nil, "", herald.Errorf(herald.EINVALID, "Unknown DKIM key type %q: choose ed25519 or rsa.", algo)
	}
	if err != nil {
		return nil, "", fmt.Errorf("dkim: generate %s key: %w", algo, err)
	}
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return nil, "", fmt.Errorf("dkim: encode key: %w", err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), dnsRecordFor(key.Public()), nil
}

// dnsRecordFor formats the TXT record value of a public key: the raw key for
// Ed25519 (RFC 8463), the PKIX DER for RSA. A 2048-bit RSA record is longer
// than 255 bytes, so DNS stores it as several strings of one record.
func dnsRecordFor(pub crypto.PublicKey) string {
	if k, ok := pub.(ed25519.PublicKey); ok {
		return "v=DKIM1; k=ed25519; p=" + base64.StdEncoding.EncodeToString(k)
	}
	// Only RSA keys get here; MarshalPKIXPublicKey can't fail for them.
	der, _ := x509.MarshalPKIXPublicKey(pub)
	return "v=DKIM1; k=rsa; p=" + base64.StdEncoding.EncodeToString(der)
}

// DNSName is where the public key is published: "<selector>._domainkey.<domain>".
func DNSName(domain, selector string) string {
	return selector + "._domainkey." + domain
}

// validName accepts a DNS name of letter-digit-hyphen labels (underscores
// allowed, as in some selectors).
func validName(s string) bool {
	if s == "" || len(s) > 253 {
		return false
	}
	for _, label := range strings.Split(s, ".") {
		if label == "" || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return false
		}
		if strings.IndexFunc(label, func(r rune) bool {
			return !('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' || r == '-' || r == '_')
		}) >= 0 {
			return false
		}
	}
	return true
}
