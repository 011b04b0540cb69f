package bounce

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"time"
)

// StoredEvent is a recorded bounce or complaint, as the admin and the CLI
// show it.
type StoredEvent struct {
	ID         int64
	Provider   string
	Kind       Kind
	Status     string
	Diagnostic string
	Action     Action
	EditionID  int64
	CreatedAt  time.Time
}

// Alert is an operator alert: mail refused for our own authentication
// or policy.
type Alert struct {
	ID         int64
	Kind       string // "bounce policy"
	Message    string
	EventID    int64 // the bounce event that raised it
	CreatedAt  time.Time
	ResolvedAt time.Time // zero while open
}

// Suppression is an entry of the suppression list. Only a hash of the
// address is stored; Email is filled in when a subscriber still has it.
type Suppression struct {
	EmailHash string
	Email     string
	Reason    string // "hard bounce 5.1.1", "complaint", "erased on request", …
	Source    string // where it came from: "ses event 12", "" for entries made by the sender
	EventID   int64  // the bounce event, when one caused it
	CreatedAt time.Time
}

// VerifyMailgun checks a Mailgun webhook signature: the hex HMAC-SHA256
// of timestamp and token under the signing key, made within window of
// now. The caller must also refuse a token seen before.
func VerifyMailgun(key, timestamp, token, signature string, now time.Time, window time.Duration) error {
	if key == "" || token == "" || len(token) > 200 {
		return ErrForged
	}
	sec, err := strconv.ParseInt(timestamp, 10, 64)
	if err != nil {
		return ErrForged
	}
	if d := now.Sub(time.Unix(sec, 0)); d > window || d < -window {
		return ErrForged
	}
	got, err := hex.DecodeString(signature)
	if err != nil {
		return ErrForged
	}
	h := hmac.New(sha256.New, []byte(key))
	h.Write([]byte(timestamp + token))
	if !hmac.Equal(got, h.Sum(nil)) {
		return ErrForged
	}
	return nil
}
