package bounce

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base32"
	"errors"
	"strconv"
	"strings"

	"github.com/herald-news/herald/internal/token"
)

// verpPrefix opens the local part of every return path.
const verpPrefix = "bounces+"

// macBytes is how much of the HMAC an address carries: 80 bits, 16
// base32 characters, far past guessing.
const macBytes = 10

// verpEncoding is lower-case base32 without padding: mail systems may
// change the case of a local part, so the address must survive that.
var verpEncoding = base32.StdEncoding.WithPadding(base32.NoPadding)

// VERP signs and reads the envelope senders of newsletter messages,
// bounces+<sendID>.<linkKey>.<mac>@<domain>, so a bounce names its ledger
// row and reader without our trusting anything the bounce says. The link
// key is the reader's (herald.Subscriber): once they are erased the
// address names no one. Addresses from before link keys,
// bounces+<sendID>.<mac>, still verify. Safe for concurrent use.
type VERP struct {
	domain string
	keys   [][]byte // derived from the token keys, newest first
}

// NewVERP returns a VERP for domain signing with keys[0] and accepting
// any of keys, so addresses sent before a key rotation still verify.
// Each token key is first turned into a key for this purpose alone.
func NewVERP(domain string, keys ...token.Key) (*VERP, error) {
	domain = strings.ToLower(strings.TrimSpace(domain))
	if domain == "" || strings.ContainsAny(domain, "@ <>") {
		return nil, errors.New("bounce: VERP needs a bounce domain such as bounces.example.com")
	}
	if len(keys) == 0 {
		return nil, errors.New("bounce: VERP needs a key")
	}
	v := &VERP{domain: domain}
	for _, k := range keys {
		h := hmac.New(sha256.New, k.Secret)
		h.Write([]byte("herald/verp/v1"))
		v.keys = append(v.keys, h.Sum(nil))
	}
	return v, nil
}

// Domain is the bounce domain.
func (v *VERP) Domain() string { return v.domain }

// SendRef is what a return path names: a ledger row and the link key of
// its reader.
type SendRef struct {
	ID      int64
	LinkKey string
}

// maxLinkKey bounds the link key an address may carry; keys are 10 hex
// digits.
const maxLinkKey = 16

// Address is the return path of the message of ledger row sendID, to the
// reader with linkKey.
func (v *VERP) Address(sendID int64, linkKey string) string {
	signed := strconv.FormatInt(sendID, 10)
	if linkKey != "" {
		signed += "." + linkKey
	}
	return verpPrefix + signed + "." + strings.ToLower(verpEncoding.EncodeToString(v.mac(v.keys[0], signed))) + "@" + v.domain
}

// Parse returns the ledger row and link key a return path names, when it
// is one of ours: the bounce domain, the prefix and a valid signature.
// Anything else, a bad signature included, gives ok false.
func (v *VERP) Parse(addr string) (SendRef, bool) {
	addr = strings.Trim(strings.TrimSpace(addr), "<>")
	at := strings.LastIndexByte(addr, '@')
	if at < 0 || !strings.EqualFold(addr[at+1:], v.domain) {
		return SendRef{}, false
	}
	local := strings.ToLower(addr[:at])
	rest, found := strings.CutPrefix(local, verpPrefix)
	if !found {
		return SendRef{}, false
	}
	dot := strings.LastIndexByte(rest, '.')
	if dot < 0 {
		return SendRef{}, false
	}
	signed, sig := rest[:dot], rest[dot+1:]
	id, linkKey, _ := strings.Cut(signed, ".")
	if len(id) == 0 || len(id) > 19 || len(linkKey) > maxLinkKey || !isLowerHex(linkKey) ||
		len(sig) != verpEncoding.EncodedLen(macBytes) {
		return SendRef{}, false
	}
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil || n <= 0 || strconv.FormatInt(n, 10) != id {
		return SendRef{}, false
	}
	got, err := verpEncoding.DecodeString(strings.ToUpper(sig))
	if err != nil {
		return SendRef{}, false
	}
	for _, k := range v.keys {
		if hmac.Equal(got, v.mac(k, signed)) {
			return SendRef{ID: n, LinkKey: linkKey}, true
		}
	}
	return SendRef{}, false
}

func isLowerHex(s string) bool {
	for _, c := range []byte(s) {
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

// IsVERP reports whether addr has the shape of a return path for the
// bounce domain, signed correctly or not.
func (v *VERP) IsVERP(addr string) bool {
	addr = strings.Trim(strings.TrimSpace(addr), "<>")
	at := strings.LastIndexByte(addr, '@')
	return at > 0 && strings.EqualFold(addr[at+1:], v.domain) && strings.HasPrefix(strings.ToLower(addr[:at]), verpPrefix)
}

func (v *VERP) mac(key []byte, id string) []byte {
	h := hmac.New(sha256.New, key)
	h.Write([]byte("send\x00"))
	h.Write([]byte(id))
	return h.Sum(nil)[:macBytes]
}
