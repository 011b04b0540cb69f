package token_test

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/herald-news/herald/internal/token"
)

func mustKey(t *testing.T) token.Key {
	t.Helper()
	k, err := token.NewKey()
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func TestSignVerify(t *testing.T) {
	now := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
	old, current := mustKey(t), mustKey(t)
	oldSigner, _ := token.NewSigner(old)
	signer, err := token.NewSigner(current, old)
	if err != nil {
		t.Fatal(err)
	}
	claims := token.Claims{Purpose: token.Confirm, SubscriberID: 42, NewsletterID: 7, Expires: now.Add(7 * 24 * time.Hour)}
	tok := signer.Sign(claims)
	got, err := signer.Verify(tok, token.Confirm, now)
	if err != nil || got.SubscriberID != 42 || got.NewsletterID != 7 || got.KeyID != current.ID {
		t.Fatalf("Verify = %+v, %v", got, err)
	}
	// A token signed before a rotation still verifies.
	if _, err := signer.Verify(oldSigner.Sign(claims), token.Confirm, now); err != nil {
		t.Errorf("old key's token: %v", err)
	}
	tampered := []string{
		"", ".", "abc", tok + "x", strings.Replace(tok, ".", "..", 1),
		flip(tok, 3),             // payload changed
		flip(tok, len(tok)-2),    // signature changed
		strings.Repeat("a", 600), // oversized
	}
	for _, bad := range tampered {
		if _, err := signer.Verify(bad, token.Confirm, now); !errors.Is(err, token.ErrInvalid) {
			t.Errorf("Verify(%q) = %v, want invalid", bad, err)
		}
	}
	if _, err := signer.Verify(tok, token.Unsubscribe, now); !errors.Is(err, token.ErrInvalid) {
		t.Error("a confirm token works as an unsubscribe token")
	}
	if _, err := signer.Verify(tok, token.Confirm, claims.Expires); !errors.Is(err, token.ErrInvalid) {
		t.Error("an expired token verifies")
	}
	stranger, _ := token.NewSigner(mustKey(t))
	if _, err := stranger.Verify(tok, token.Confirm, now); !errors.Is(err, token.ErrInvalid) {
		t.Error("a token verifies under a key that did not sign it")
	}
}

// flip changes one character of s.
func flip(s string, i int) string {
	b := []byte(s)
	if b[i] == 'A' {
		b[i] = 'B'
	} else {
		b[i] = 'A'
	}
	return string(b)
}

func TestNewSignerRejectsWeakKeys(t *testing.T) {
	if _, err := token.NewSigner(); err == nil {
		t.Error("no keys accepted")
	}
	if _, err := token.NewSigner(token.Key{ID: "a", Secret: []byte("short")}); err == nil {
		t.Error("short secret accepted")
	}
}

// A token carries its reader's link key under the signature; tokens
// mailed before link keys (v1) still verify, with none.
func TestTokensCarryTheLinkKey(t *testing.T) {
	now := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
	k := mustKey(t)
	signer, _ := token.NewSigner(k)
	claims := token.Claims{Purpose: token.Unsubscribe, SubscriberID: 9, NewsletterID: 1, Expires: now.Add(time.Hour), LinkKey: "0a1b2c3d4e"}
	got, err := signer.Verify(signer.Sign(claims), token.Unsubscribe, now)
	if err != nil || got.LinkKey != "0a1b2c3d4e" {
		t.Fatalf("Verify = %+v, %v", got, err)
	}
	payload := fmt.Sprintf("v1|unsubscribe|%s|9|1|%d", k.ID, now.Add(time.Hour).Unix())
	h := hmac.New(sha256.New, k.Secret)
	h.Write([]byte(payload))
	v1 := base64.RawURLEncoding.EncodeToString([]byte(payload)) + "." + base64.RawURLEncoding.EncodeToString(h.Sum(nil))
	got, err = signer.Verify(v1, token.Unsubscribe, now)
	if err != nil || got.SubscriberID != 9 || got.LinkKey != "" {
		t.Errorf("v1 token: %+v, %v", got, err)
	}
	// The key cannot be swapped: the payload is signed whole.
	tok := signer.Sign(claims)
	p64, sig, _ := strings.Cut(tok, ".")
	raw, _ := base64.RawURLEncoding.DecodeString(p64)
	swapped := base64.RawURLEncoding.EncodeToString([]byte(strings.Replace(string(raw), "0a1b2c3d4e", "ffffffffff", 1))) + "." + sig
	if _, err := signer.Verify(swapped, token.Unsubscribe, now); !errors.Is(err, token.ErrInvalid) {
		t.Errorf("a token with another link key verified: %v", err)
	}
}
