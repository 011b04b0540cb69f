package auth

import (
	"strings"
	"testing"
)

func TestPasswordRoundTrip(t *testing.T) {
	h, err := HashPassword(t.Context(), "correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Fatalf("hash %q is not in the PHC argon2id format", h)
	}
	if !verifyPassword(h, "correct horse battery") {
		t.Error("the right password does not verify")
	}
	for _, wrong := range []string{"", "correct horse batter", "Correct horse battery", strings.Repeat("x", 300)} {
		if verifyPassword(h, wrong) {
			t.Errorf("%q verifies", wrong)
		}
	}
	h2, _ := HashPassword(t.Context(), "correct horse battery")
	if h == h2 {
		t.Error("two hashes of one password are equal: the salt is not random")
	}
}

func TestVerifyMalformedHash(t *testing.T) {
	for _, h := range []string{"", "$argon2id$", "$argon2i$v=19$m=19456,t=2,p=1$c2FsdA$a2V5",
		"$argon2id$v=19$m=99999999,t=2,p=1$c2FsdA$a2V5", "$argon2id$v=19$m=19456,t=2,p=1$!!$a2V5",
		"$argon2id$v=19$m=19456,t=0,p=1$c2FsdA$a2V5"} {
		if verifyPassword(h, "anything at all") {
			t.Errorf("malformed hash %q verifies", h)
		}
	}
}

func TestCheckPassword(t *testing.T) {
	for pw, ok := range map[string]bool{"short": false, "          ": false, "long enough now": true,
		strings.Repeat("é", 200): false, strings.Repeat("a", 256): true} {
		if err := CheckPassword(pw); (err == nil) != ok {
			t.Errorf("CheckPassword(%.20q) = %v, want ok=%v", pw, err, ok)
		}
	}
	if _, err := HashPassword(t.Context(), "short"); err == nil {
		t.Error("HashPassword took a short password")
	}
}

func TestSecrets(t *testing.T) {
	a, _ := NewSecret(TokenPrefix)
	b, _ := NewSecret(TokenPrefix)
	if a == b || !strings.HasPrefix(a, TokenPrefix) || len(a) != len(TokenPrefix)+43 {
		t.Fatalf("secrets %q, %q", a, b)
	}
	// SHA-256("abc"), from FIPS 180-2.
	if got := HashSecret("abc"); got != "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" {
		t.Errorf("HashSecret(abc) = %s", got)
	}
	if HashSecret(a) == HashSecret(b) {
		t.Error("two secrets hash alike")
	}
	if err := VerifyNobody(t.Context(), "x"); err != nil {
		t.Errorf("VerifyNobody: %v", err)
	}
}
