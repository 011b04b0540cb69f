package api

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"net/http"

	"github.com/herald-news/herald"
)

// maxIdempotencyKey bounds the header a client may send.
const maxIdempotencyKey = 200

// storedAnswer is what the idempotency table's body column holds: the
// response body and the one header a creation answer carries.
type storedAnswer struct {
	Location string          `json:"location,omitempty"`
	Body     json.RawMessage `json:"body"`
}

// idempotent serves a creating request that carries an Idempotency-Key:
// the first request with a key runs and its answer is kept for 24 hours;
// the same request again gets the same answer without running again; a
// different request with the key is refused.
func (h *Handler) idempotent(w http.ResponseWriter, r *http.Request, rt Route, c *caller, key string) {
	if len(key) > maxIdempotencyKey {
		writeError(w, h.Logger, errInvalid("The Idempotency-Key may have at most %d characters.", maxIdempotencyKey))
		return
	}
	if c.TokenID == 0 {
		writeError(w, h.Logger, errInvalid("Idempotency keys need a token made with herald token create, not HERALD_API_TOKEN."))
		return
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			err = errTooLarge(tooLarge.Limit)
		}
		writeError(w, h.Logger, err)
		return
	}
	sum := sha256.New()
	for _, part := range [][]byte{[]byte(r.Method), []byte(r.URL.RequestURI()), []byte(r.Header.Get("Content-Type")), body} {
		sum.Write(part)
		sum.Write([]byte{0})
	}
	hash := hex.EncodeToString(sum.Sum(nil))
	ctx := r.Context()
	prior, err := h.Idempotency.Claim(ctx, c.TokenID, key, hash)
	switch {
	case err != nil:
		writeError(w, h.Logger, err)
		return
	case prior != nil && prior.RequestHash != hash:
		writeError(w, h.Logger, herald.Errorf(herald.ECONFLICT,
			"This Idempotency-Key was already used for a different request; use a new key for a new request."))
		return
	case prior != nil && prior.Status == 0:
		writeError(w, h.Logger, herald.Errorf(herald.ECONFLICT,
			"A request with this Idempotency-Key is still being handled; retry in a moment."))
		return
	case prior != nil:
		var a storedAnswer
		if err := json.Unmarshal(prior.Body, &a); err != nil {
			writeError(w, h.Logger, err)
			return
		}
		if a.Location != "" {
			w.Header().Set("Location", a.Location)
		}
		w.Header().Set("Idempotent-Replayed", "true")
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Cache-Control", "no-store")
		w.WriteHeader(prior.Status)
		w.Write(append(a.Body, '\n')) // as json.Encoder ends the first answer
		return
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	rec := &recorder{header: http.Header{}}
	if err := rt.handle(h, rec, r, c); err != nil {
		writeError(rec, h.Logger, err)
	}
	if rec.status >= 500 {
		if err := h.Idempotency.Release(context.WithoutCancel(r.Context()), c.TokenID, key); err != nil {
			h.Logger.Error("api: release idempotency key", "err", err)
		}
	} else {
		raw, _ := json.Marshal(storedAnswer{Location: rec.header.Get("Location"), Body: json.RawMessage(bytes.TrimSpace(rec.body.Bytes()))})
		if err := h.Idempotency.Save(context.WithoutCancel(r.Context()), c.TokenID, key, rec.status, raw); err != nil {
			h.Logger.Error("api: save idempotent answer", "err", err)
		}
	}
	for k, v := range rec.header {
		w.Header()[k] = v
	}
	w.WriteHeader(rec.status)
	w.Write(rec.body.Bytes())
}

// recorder keeps a handler's answer so it can be stored before it is sent.
type recorder struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (r *recorder) Header() http.Header { return r.header }

func (r *recorder) Write(p []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	return r.body.Write(p)
}

func (r *recorder) WriteHeader(status int) {
	if r.status == 0 {
		r.status = status
	}
}
