package api

import (
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"strings"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/internal/web"
)

// Body limits: JSON requests are small; a CSV import may be large.
const (
	maxJSONBody = 1 << 20
	maxCSVBody  = 256 << 20
)

// Error codes of the API's own, beside herald's.
const (
	eTooLarge    = "too_large"
	eUnsupported = "unsupported_media_type"
	eRateLimited = "rate_limited"
	eMethod      = "method_not_allowed"
)

// errorStatus maps an error to its HTTP status: the API's own codes here,
// herald's through web.ErrorStatus.
func errorStatus(err error) int {
	switch herald.ErrorCode(err) {
	case eTooLarge:
		return http.StatusRequestEntityTooLarge
	case eUnsupported:
		return http.StatusUnsupportedMediaType
	case eRateLimited:
		return http.StatusTooManyRequests
	case eMethod:
		return http.StatusMethodNotAllowed
	}
	return web.ErrorStatus(err)
}

// errorBody is the one shape of every error answer.
type errorBody struct {
	Error errorObject `json:"error"`
}

type errorObject struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// writeError answers with the error object; only internal errors are
// logged, and their details never leave the server.
func writeError(w http.ResponseWriter, logger *slog.Logger, err error) {
	status := errorStatus(err)
	if herald.ErrorCode(err) == herald.EUNAVAILABLE {
		w.Header().Set("Retry-After", "30") // busy, not broken: nothing to log
	} else if status >= 500 {
		if logger == nil {
			logger = slog.Default()
		}
		logger.Error("api", "err", err)
	}
	if status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="herald"`)
	}
	writeJSON(w, status, errorBody{errorObject{Code: herald.ErrorCode(err), Message: herald.ErrorMessage(err)}})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

// created answers 201 with the new resource and its address.
func created(w http.ResponseWriter, location string, v any) error {
	w.Header().Set("Location", location)
	writeJSON(w, http.StatusCreated, v)
	return nil
}

// ok answers 200 with v.
func ok(w http.ResponseWriter, v any) error {
	writeJSON(w, http.StatusOK, v)
	return nil
}

// page is a list answer with the cursor of the next page ("" at the end).
type page[T any] struct {
	Data       []T    `json:"data"`
	NextCursor string `json:"next_cursor"`
}

// decode reads a JSON body into v: one object, no unknown fields, within
// the body limit. Its errors say what is wrong in words a developer can act
// on.
func decode(r *http.Request, v any) error {
	if ct := r.Header.Get("Content-Type"); ct != "" {
		if mt, _, _ := mime.ParseMediaType(ct); mt != "application/json" {
			return herald.Errorf(eUnsupported, "Send the body as application/json, not %s.", mt)
		}
	}
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	if err == nil {
		if dec.Decode(&struct{}{}) != io.EOF {
			return herald.Errorf(herald.EINVALID, "Send one JSON object, with nothing after it.")
		}
		return nil
	}
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	var tooLarge *http.MaxBytesError
	switch {
	case errors.As(err, &tooLarge):
		return errTooLarge(tooLarge.Limit)
	case errors.Is(err, io.EOF):
		return herald.Errorf(herald.EINVALID, "The request needs a JSON object as its body.")
	case errors.As(err, &syntax):
		return herald.Errorf(herald.EINVALID, "The body is not valid JSON (at byte %d).", syntax.Offset)
	case errors.Is(err, io.ErrUnexpectedEOF):
		return herald.Errorf(herald.EINVALID, "The body is not valid JSON: it ends too soon.")
	case errors.As(err, &typ):
		if typ.Field == "" {
			return herald.Errorf(herald.EINVALID, "The body must be a JSON object.")
		}
		return herald.Errorf(herald.EINVALID, "%s: expected %s, got a JSON %s.", typ.Field, typeName(typ.Type.Kind().String()), typ.Value)
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		return herald.Errorf(herald.EINVALID, "Unknown field %s: check its spelling against the OpenAPI document.",
			strings.TrimPrefix(err.Error(), "json: unknown field "))
	}
	return herald.Errorf(herald.EINVALID, "The body could not be read: %s.", err)
}

func typeName(kind string) string {
	switch kind {
	case "int", "int64", "float64":
		return "a number"
	case "slice":
		return "a list"
	case "struct", "map", "ptr":
		return "an object"
	}
	return "a " + kind
}

// errInvalid is shorthand for an EINVALID error.
func errInvalid(format string, args ...any) error {
	return herald.Errorf(herald.EINVALID, format, args...)
}

// errTooLarge is the error of a body over limit bytes.
func errTooLarge(limit int64) error {
	return herald.Errorf(eTooLarge, "The request body is over %d bytes.", limit)
}

// notFoundf is shorthand for an ENOTFOUND error.
func notFoundf(format string, args ...any) error {
	return herald.Errorf(herald.ENOTFOUND, format, args...)
}
