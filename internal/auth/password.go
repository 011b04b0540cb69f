// Package auth holds the secrets of staff access: argon2id password hashes,
// and the random secrets behind session cookies and API tokens, of which
// the database keeps only a SHA-256.
package auth

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/herald-news/herald"
	"golang.org/x/crypto/argon2"
)

// Argon2id parameters: OWASP's first recommended set (19 MiB, 2 passes,
// one lane), about 25 ms on one core here.
const (
	argonMemory  = 19 * 1024
	argonTime    = 2
	argonThreads = 1
	argonKeyLen  = 32
	saltLen      = 16
)

// Password length limits. The upper one keeps hashing cheap to refuse.
const (
	MinPasswordLen = 10
	MaxPasswordLen = 256
)

// CheckPassword says, for a person, what is wrong with a new password.
func CheckPassword(pw string) error {
	n := utf8.RuneCountInString(pw)
	switch {
	case n < MinPasswordLen:
		return herald.Errorf(herald.EINVALID, "The password needs at least %d characters.", MinPasswordLen)
	case len(pw) > MaxPasswordLen:
		return herald.Errorf(herald.EINVALID, "The password may have at most %d bytes.", MaxPasswordLen)
	case strings.TrimSpace(pw) == "":
		return herald.Errorf(herald.EINVALID, "The password cannot be only spaces.")
	}
	return nil
}

// HashPassword returns an argon2id hash of pw in the PHC string format
// ($argon2id$v=19$m=…,t=…,p=…$salt$key), computed in the hashing pool:
// ErrBusy when no slot frees up in time.
func HashPassword(ctx context.Context, pw string) (string, error) {
	if err := CheckPassword(pw); err != nil {
		return "", err
	}
	salt := make([]byte, saltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("auth: salt: %w", err)
	}
	var key []byte
	if err := withHashSlot(ctx, func() {
		key = argon2.IDKey([]byte(pw), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	}); err != nil {
		return "", err
	}
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime, argonThreads,
		b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// VerifyPassword reports whether pw matches hash, hashing in the pool
// (ErrBusy when no slot frees up in time). A malformed hash matches
// nothing. The comparison takes the same time wherever the keys differ.
func VerifyPassword(ctx context.Context, hash, pw string) (bool, error) {
	ok := false
	err := withHashSlot(ctx, func() { ok = verifyPassword(hash, pw) })
	return ok, err
}

func verifyPassword(hash, pw string) bool {
	if len(pw) > MaxPasswordLen {
		return false
	}
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" || parts[2] != fmt.Sprintf("v=%d", argon2.Version) {
		return false
	}
	var memory, passes uint32
	var threads uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &memory, &passes, &threads); err != nil ||
		memory == 0 || memory > 1<<20 || passes == 0 || passes > 16 || threads == 0 {
		return false
	}
	b64 := base64.RawStdEncoding
	salt, err1 := b64.DecodeString(parts[4])
	key, err2 := b64.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(key) == 0 || len(key) > 64 {
		return false
	}
	got := argon2.IDKey([]byte(pw), salt, passes, memory, threads, uint32(len(key)))
	return subtle.ConstantTimeCompare(got, key) == 1
}

// dummyHash is verified against when no account matches, so that a wrong
// address takes as long as a wrong password (no account enumeration).
var dummyHash, _ = HashPassword(context.Background(), "not a real password, only for timing")

// VerifyNobody spends the time of one VerifyPassword, in the pool like
// it, and matches nothing.
func VerifyNobody(ctx context.Context, pw string) error {
	_, err := VerifyPassword(ctx, dummyHash, pw)
	return err
}
