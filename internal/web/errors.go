package web

import (
	"net/http"

	"github.com/herald-news/herald"
)

// statusByCode maps domain error codes to HTTP statuses; the one place
// that does.
var statusByCode = map[string]int{
	herald.ECONFLICT:     http.StatusConflict,
	herald.EINVALID:      http.StatusBadRequest,
	herald.ENOTFOUND:     http.StatusNotFound,
	herald.EUNAUTHORIZED: http.StatusUnauthorized,
	herald.EFORBIDDEN:    http.StatusForbidden,
	herald.EUNAVAILABLE:  http.StatusServiceUnavailable,
	herald.ESTALE:        http.StatusPreconditionFailed,
	herald.EINTERNAL:     http.StatusInternalServerError,
}

// ErrorStatus returns the HTTP status for err.
func ErrorStatus(err error) int {
	if status, ok := statusByCode[herald.ErrorCode(err)]; ok {
		return status
	}
	return http.StatusInternalServerError
}
