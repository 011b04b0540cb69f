package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"

	"github.com/herald-news/herald"
)

// Prefixes of the secrets Herald hands out, so that a leaked one is
// recognisable (secret scanners match on them).
const (
	SessionPrefix = "hs_"
	TokenPrefix   = "herald_"
)

// NewSecret returns prefix followed by 32 random bytes, URL-safe.
func NewSecret(prefix string) (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("auth: new secret: %w", err)
	}
	return prefix + base64.RawURLEncoding.EncodeToString(b), nil
}

// HashSecret is what the database keeps of a secret: its SHA-256 in hex.
// Secrets are 256 random bits, so a fast hash is enough.
func HashSecret(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

// GeneratePassword returns a random password for people who did not give
// one: 20 characters, about 119 bits.
func GeneratePassword() (string, error) {
	b := make([]byte, 15)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("auth: generate password: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// NewAPIToken makes the secret of a new API token: it sets t.Prefix and
// returns the secret, to show once, and the hash to store with t.
func NewAPIToken(t *herald.APIToken) (secret, hash string, err error) {
	secret, err = NewSecret(TokenPrefix)
	if err != nil {
		return "", "", err
	}
	t.Prefix = secret[:len(TokenPrefix)+6]
	return secret, HashSecret(secret), nil
}
