package api

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/herald-news/herald"
)

// Versions travel as entity tags: ETag: "v3" on every read of a versioned
// resource, If-Match: "v3" on a change. A stale If-Match gets 412 with the
// current version; a missing one changes whatever is stored (last write
// wins), as clients written before versions expect.

func setVersion(w http.ResponseWriter, version int) {
	w.Header().Set("ETag", versionTag(version))
}

func versionTag(version int) string { return `"v` + strconv.Itoa(version) + `"` }

// ifMatch is the version a change must be made from: stored when the
// request has no If-Match (or "*"), else the one it names, which must be
// the stored one.
func ifMatch(r *http.Request, stored int) (int, error) {
	header := strings.TrimSpace(r.Header.Get("If-Match"))
	if header == "" || header == "*" {
		return 0, nil
	}
	for tag := range strings.SplitSeq(header, ",") {
		if strings.TrimPrefix(strings.TrimSpace(tag), "W/") == versionTag(stored) {
			return stored, nil
		}
	}
	return 0, &herald.Error{Code: herald.ESTALE, Message: fmt.Sprintf(
		"If-Match %s: the resource has changed since; it is now %s. Read it again and retry.", header, versionTag(stored))}
}
