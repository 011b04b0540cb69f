package token_test

import (
	"errors"
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
