// Package token signs and verifies the links in emails: confirm,
// unsubscribe and preferences. A token is HMAC-SHA256 over its purpose, key
// id, subscriber, newsletter, expiry and the subscriber's link key
// (DESIGN.md invariant 4); old keys keep verifying after a rotation.
package token

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/herald-news/herald"
)

// Purpose says what a token may be used for; a token for one purpose never
// works for another.
type Purpose string

// Token purposes.
const (
	Confirm     Purpose = "confirm"
	Unsubscribe Purpose = "unsubscribe"
	Preferences Purpose = "preferences"
)

// Key is one signing key.
type Key struct {
	ID     string `json:"id"`
	Secret []byte `json:"secret"`
}

// NewKey returns a fresh random key.
func NewKey() (Key, error) {
	id := make([]byte, 4)
	secret := make([]byte, 32)
	if _, err := rand.Read(id); err != nil {
		return Key{}, fmt.Errorf("token: new key: %w", err)
	}
	if _, err := rand.Read(secret); err != nil {
		return Key{}, fmt.Errorf("token: new key: %w", err)
	}
	return Key{ID: hex.EncodeToString(id), Secret: secret}, nil
}

// Claims are what a token says.
type Claims struct {
	Purpose      Purpose
	KeyID        string
	SubscriberID int64
	NewsletterID int64
	Expires      time.Time
	// LinkKey is the subscriber's random link key: the caller compares it
	// with the stored one, so a link outlives no erasure. Tokens signed
	// before link keys (v1) carry none.
	LinkKey string
}

// ErrInvalid is returned for any token that does not verify; readers see
// its message whatever the reason, so a forger learns nothing.
var ErrInvalid = &herald.Error{Code: herald.EINVALID, Message: "This link is not valid or has expired."}

// ErrGone is a well-signed token whose reader is no longer there: erased,
// or the id now someone else's. Nothing is done with it.
var ErrGone = &herald.Error{Code: herald.EINVALID, Message: "This link is no longer valid."}

// Signer signs with its first key and verifies with any of them.
type Signer struct {
	keys []Key
}

// NewSigner returns a signer; keys[0] signs new tokens.
func NewSigner(keys ...Key) (*Signer, error) {
	if len(keys) == 0 {
		return nil, errors.New("token: no keys")
	}
	for _, k := range keys {
		if len(k.Secret) < 32 || k.ID == "" || strings.ContainsAny(k.ID, ".|") {
			return nil, fmt.Errorf("token: key %q is too short or badly named", k.ID)
		}
	}
	return &Signer{keys: keys}, nil
}

// Sign returns a URL-safe token.
func (s *Signer) Sign(c Claims) string {
	c.KeyID = s.keys[0].ID
	payload := encodeClaims(c)
	return base64.RawURLEncoding.EncodeToString([]byte(payload)) + "." +
		base64.RawURLEncoding.EncodeToString(mac(s.keys[0].Secret, payload))
}

// Verify checks a token's signature, purpose and expiry at now.
func (s *Signer) Verify(tok string, want Purpose, now time.Time) (Claims, error) {
	if len(tok) > 512 {
		return Claims{}, ErrInvalid
	}
	p64, m64, ok := strings.Cut(tok, ".")
	if !ok {
		return Claims{}, ErrInvalid
	}
	payload, err1 := base64.RawURLEncoding.DecodeString(p64)
	sig, err2 := base64.RawURLEncoding.DecodeString(m64)
	if err1 != nil || err2 != nil {
		return Claims{}, ErrInvalid
	}
	c, err := decodeClaims(string(payload))
	if err != nil {
		return Claims{}, ErrInvalid
	}
	for _, k := range s.keys {
		if k.ID == c.KeyID {
			if !hmac.Equal(sig, mac(k.Secret, string(payload))) || c.Purpose != want || !now.Before(c.Expires) {
				return Claims{}, ErrInvalid
			}
			return c, nil
		}
	}
	return Claims{}, ErrInvalid
}

func mac(secret []byte, payload string) []byte {
	h := hmac.New(sha256.New, secret)
	h.Write([]byte(payload))
	return h.Sum(nil)
}

// encodeClaims is the signed text: version, purpose, key, subscriber,
// newsletter, expiry (unix seconds) and link key, separated by "|". v1,
// without the link key, is still read.
func encodeClaims(c Claims) string {
	return strings.Join([]string{"v2", string(c.Purpose), c.KeyID, strconv.FormatInt(c.SubscriberID, 10),
		strconv.FormatInt(c.NewsletterID, 10), strconv.FormatInt(c.Expires.Unix(), 10), c.LinkKey}, "|")
}

func decodeClaims(s string) (Claims, error) {
	f := strings.Split(s, "|")
	linkKey := ""
	switch {
	case len(f) == 6 && f[0] == "v1":
	case len(f) == 7 && f[0] == "v2":
		linkKey = f[6]
	default:
		return Claims{}, ErrInvalid
	}
	sub, err1 := strconv.ParseInt(f[3], 10, 64)
	nl, err2 := strconv.ParseInt(f[4], 10, 64)
	exp, err3 := strconv.ParseInt(f[5], 10, 64)
	if err1 != nil || err2 != nil || err3 != nil {
		return Claims{}, ErrInvalid
	}
	return Claims{Purpose: Purpose(f[1]), KeyID: f[2], SubscriberID: sub, NewsletterID: nl,
		Expires: time.Unix(exp, 0).UTC(), LinkKey: linkKey}, nil
}
