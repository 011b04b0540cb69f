// Package snstest makes Amazon SNS signing keys and signed messages for
// tests, so that no test reaches AWS.
package snstest

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"math/big"
	"testing"
	"time"

	"github.com/herald-news/herald/internal/bounce"
)

// Key is an RSA key with a self-signed certificate standing in for SNS's.
type Key struct {
	Private *rsa.PrivateKey
	Cert    *x509.Certificate
	CertPEM []byte
}

// MustKey makes a fresh key and certificate.
func MustKey(tb testing.TB) *Key {
	tb.Helper()
	priv, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		tb.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "sns.amazonaws.com"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &priv.PublicKey, priv)
	if err != nil {
		tb.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		tb.Fatal(err)
	}
	return &Key{Private: priv, Cert: cert, CertPEM: pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})}
}

// Sign sets m's signature as SNS makes it: SHA1withRSA for
// SignatureVersion 1, SHA256withRSA otherwise.
func (k *Key) Sign(tb testing.TB, m *bounce.SNSMessage) {
	tb.Helper()
	text, err := m.StringToSign()
	if err != nil {
		tb.Fatal(err)
	}
	var sig []byte
	if m.SignatureVersion == "1" {
		sum := sha1.Sum([]byte(text))
		sig, err = rsa.SignPKCS1v15(rand.Reader, k.Private, crypto.SHA1, sum[:])
	} else {
		sum := sha256.Sum256([]byte(text))
		sig, err = rsa.SignPKCS1v15(rand.Reader, k.Private, crypto.SHA256, sum[:])
	}
	if err != nil {
		tb.Fatal(err)
	}
	m.Signature = base64.StdEncoding.EncodeToString(sig)
}

// Signed signs m and returns it as SNS posts it.
func (k *Key) Signed(tb testing.TB, m *bounce.SNSMessage) string {
	tb.Helper()
	k.Sign(tb, m)
	body, err := json.Marshal(m)
	if err != nil {
		tb.Fatal(err)
	}
	return string(body)
}
