package api

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
)

// cursor is where the next page of a list starts. Clients get it signed
// and opaque: a tampered or foreign cursor is refused, never guessed at.
type cursor struct {
	List string `json:"l"` // which list: a cursor for stories does not page subscribers
	ID   int64  `json:"i"` // the last ID of the page before
}

// encodeCursor signs c.
func (h *Handler) encodeCursor(c cursor) string {
	raw, _ := json.Marshal(c)
	return base64.RawURLEncoding.EncodeToString(raw) + "." + base64.RawURLEncoding.EncodeToString(h.cursorMAC(raw))
}

func (h *Handler) cursorMAC(raw []byte) []byte {
	m := hmac.New(sha256.New, h.CursorKey)
	m.Write([]byte("herald api cursor\x00"))
	m.Write(raw)
	return m.Sum(nil)[:16]
}

// decodeCursor reads the cursor query parameter for list; zero when there
// is none. Returns EINVALID for anything Herald did not hand out.
func (h *Handler) decodeCursor(r *http.Request, list string) (int64, error) {
	s := r.URL.Query().Get("cursor")
	if s == "" {
		return 0, nil
	}
	bad := errInvalid("The cursor is not one Herald gave out for this list; start again without it.")
	payload, sig, found := strings.Cut(s, ".")
	if !found {
		return 0, bad
	}
	raw, err1 := base64.RawURLEncoding.DecodeString(payload)
	mac, err2 := base64.RawURLEncoding.DecodeString(sig)
	if err1 != nil || err2 != nil || !hmac.Equal(mac, h.cursorMAC(raw)) {
		return 0, bad
	}
	var c cursor
	if err := json.Unmarshal(raw, &c); err != nil || c.List != list || c.ID <= 0 {
		return 0, bad
	}
	return c.ID, nil
}

// limitParam reads ?limit=, 1 to 200, default 50.
func limitParam(r *http.Request) (int, error) {
	s := r.URL.Query().Get("limit")
	if s == "" {
		return 50, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > 200 {
		return 0, errInvalid("limit must be a number from 1 to 200.")
	}
	return n, nil
}

// nextCursor is the cursor after a page of n items whose last ID is
// lastID, or "" when the page was not full (nothing follows).
func (h *Handler) nextCursor(list string, n, limit int, lastID int64) string {
	if n < limit {
		return ""
	}
	return h.encodeCursor(cursor{List: list, ID: lastID})
}

// pathID reads a numeric path value; a non-number names nothing.
func pathID(r *http.Request, name, what string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, notFoundf("%s not found.", what)
	}
	return id, nil
}
