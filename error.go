// Package herald is the vocabulary of the newsroom: stories, sections,
// authors, cities, photos and newsletters, the service interfaces that the
// storage and web layers implement and use, and Smart Brevity parsing.
// It does no I/O.
package herald

import (
	"errors"
	"fmt"
)

// Error codes, mapped to HTTP statuses in one place (internal/web).
const (
	ECONFLICT     = "conflict"
	EINTERNAL     = "internal"
	EINVALID      = "invalid"
	ENOTFOUND     = "not_found"
	EUNAUTHORIZED = "unauthorized"
	EFORBIDDEN    = "forbidden"
	EUNAVAILABLE  = "unavailable" // busy for now: try again later
	ESTALE        = "stale"       // saved from a version someone has changed since
)

// Error is an error whose Message is safe to show to a reader or editor.
type Error struct {
	Code    string
	Message string
}

// Error implements the error interface.
func (e *Error) Error() string {
	return fmt.Sprintf("herald error: code=%s message=%s", e.Code, e.Message)
}

// Errorf returns an *Error with the given code and a formatted safe message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the first *Error in err's chain, EINTERNAL
// for any other non-nil error, and "" for nil.
func ErrorCode(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the safe message of err, or a generic one for
// internal errors that must not leak.
func ErrorMessage(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Message
	}
	return "Something went wrong on our side. Please try again."
}
