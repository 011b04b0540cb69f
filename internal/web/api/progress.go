// Package api is Herald's JSON API under /api/v1, for tools and the
// newsroom's own pages. Requests carry a bearer token.
package api

import (
	"crypto/subtle"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/internal/delivery"
	"github.com/herald-news/herald/internal/web"
)

// Handler serves the API.
type Handler struct {
	Token    string // required bearer token; empty disables the API
	Progress delivery.ProgressStore
	Clock    herald.Clock
	Logger   *slog.Logger
	// Every is how often the progress stream sends an update.
	Every time.Duration
}

// Routes returns the API's mux, to mount at /api/v1/.
func (h *Handler) Routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/v1/editions/{id}/progress", h.progress)
	return h.authenticate(mux)
}

// authenticate refuses requests without the configured bearer token.
func (h *Handler) authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if h.Token == "" || !ok || subtle.ConstantTimeCompare([]byte(got), []byte(h.Token)) != 1 {
			w.Header().Set("WWW-Authenticate", `Bearer realm="herald"`)
			writeJSON(w, http.StatusUnauthorized, map[string]string{"error": "A valid API token is required."})
			return
		}
		next.ServeHTTP(w, r)
	})
}

// progress answers with the edition's progress as JSON, or, when the
// client asks for text/event-stream, streams it as Server-Sent Events
// until the send ends or the client goes away.
func (h *Handler) progress(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		writeJSON(w, http.StatusNotFound, map[string]string{"error": "Edition not found."})
		return
	}
	p, err := delivery.Report(r.Context(), h.Progress, id, h.Clock.Now())
	if err != nil {
		writeJSON(w, web.ErrorStatus(err), map[string]string{"error": herald.ErrorMessage(err)})
		return
	}
	if !strings.Contains(r.Header.Get("Accept"), "text/event-stream") {
		writeJSON(w, http.StatusOK, p)
		return
	}
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-store")
	rc := http.NewResponseController(w)
	tick := time.NewTicker(h.Every)
	defer tick.Stop()
	for {
		data, _ := json.Marshal(p)
		if _, err := fmt.Fprintf(w, "event: progress\ndata: %s\n\n", data); err != nil {
			return
		}
		if err := rc.Flush(); err != nil {
			return
		}
		if p.Status != herald.EditionSending {
			return
		}
		select {
		case <-r.Context().Done():
			return
		case <-tick.C:
		}
		if p, err = delivery.Report(r.Context(), h.Progress, id, h.Clock.Now()); err != nil {
			return
		}
	}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}
