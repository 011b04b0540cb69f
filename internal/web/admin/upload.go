package admin

import (
	"errors"
	"mime"
	"net/http"

	"github.com/herald-news/herald"
)

// Limits on a multipart form: the whole request (a story with its photo,
// unless uploadLimits says otherwise for the route), and how much of it is
// kept in memory before files spill to disk.
const (
	maxUploadBytes = 25 << 20
	uploadMemory   = 8 << 20
)

// uploadLimits are the routes that take larger files than maxUploadBytes,
// by pattern, with room for the form around the file.
var uploadLimits = map[string]int64{
	"POST /admin/subscribers/import": maxImportBytes + 1<<20,
}

// parseUpload reads a multipart form within its route's limit, once the
// session, role and CSRF token have passed, before the handler touches the
// body, so no handler parses an unbounded upload with net/http's defaults.
// Other requests are left alone.
func parseUpload(w http.ResponseWriter, r *http.Request) error {
	if safeMethod(r.Method) {
		return nil
	}
	if ct, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || ct != "multipart/form-data" {
		return nil
	}
	limit, ok := uploadLimits[r.Pattern]
	if !ok {
		limit = maxUploadBytes
	}
	tooLarge := herald.Errorf(herald.EINVALID, "The upload is larger than %d MB; choose a smaller file.", limit>>20)
	if r.ContentLength > limit {
		return tooLarge
	}
	r.Body = http.MaxBytesReader(w, r.Body, limit)
	if err := r.ParseMultipartForm(uploadMemory); err != nil {
		var big *http.MaxBytesError
		if errors.As(err, &big) {
			return tooLarge
		}
		return herald.Errorf(herald.EINVALID, "The form could not be read; please try again.")
	}
	return nil
}
