package admin

import (
	"errors"
	"mime"
	"net/http"

	"github.com/herald-news/herald"
)

// Limits on a multipart form (a story with its photo): the whole request,
// and how much of it is kept in memory before files spill to disk.
const (
	maxUploadBytes  = 25 << 20
	uploadMemory    = 8 << 20
	maxUploadInWord = "25 MB"
)

// parseUpload reads a multipart form within maxUploadBytes before anything
// else touches the body, so the CSRF check (which reads the form's csrf
// field) never parses an unbounded upload with net/http's defaults. Other
// requests are left alone.
func parseUpload(w http.ResponseWriter, r *http.Request) error {
	if safeMethod(r.Method) {
		return nil
	}
	if ct, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || ct != "multipart/form-data" {
		return nil
	}
	if r.ContentLength > maxUploadBytes {
		return tooLarge()
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxUploadBytes)
	if err := r.ParseMultipartForm(uploadMemory); err != nil {
		var big *http.MaxBytesError
		if errors.As(err, &big) {
			return tooLarge()
		}
		return herald.Errorf(herald.EINVALID, "The form could not be read; please try again.")
	}
	return nil
}

func tooLarge() error {
	return herald.Errorf(herald.EINVALID, "The upload is larger than %s. Choose a smaller photo.", maxUploadInWord)
}
