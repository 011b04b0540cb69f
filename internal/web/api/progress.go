package api

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/internal/delivery"
)

// ProgressStream answers with an edition's send progress. It checks no
// credentials: the API and the admin each authenticate before calling it.
type ProgressStream struct {
	Store  delivery.ProgressStore
	Clock  herald.Clock
	Every  time.Duration // how often the stream sends an update
	Logger *slog.Logger
}

// Serve answers with the edition's progress as JSON, or, when the client
// asks for text/event-stream, streams it as Server-Sent Events ("event:
// progress") until the send ends or the client goes away.
func (p *ProgressStream) Serve(w http.ResponseWriter, r *http.Request, editionID int64) {
	rep, err := delivery.Report(r.Context(), p.Store, editionID, p.Clock.Now())
	if err != nil {
		writeError(w, p.Logger, err)
		return
	}
	if !strings.Contains(r.Header.Get("Accept"), "text/event-stream") {
		writeJSON(w, http.StatusOK, rep)
		return
	}
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-store")
	rc := http.NewResponseController(w)
	every := p.Every
	if every <= 0 {
		every = time.Second
	}
	tick := time.NewTicker(every)
	defer tick.Stop()
	for {
		// The server's write timeout would cut a long send's stream:
		// each event pushes the deadline on.
		rc.SetWriteDeadline(time.Now().Add(30 * time.Second))
		data, _ := json.Marshal(rep)
		if _, err := fmt.Fprintf(w, "event: progress\ndata: %s\n\n", data); err != nil {
			return
		}
		if err := rc.Flush(); err != nil {
			return
		}
		if rep.Status != herald.EditionSending {
			return
		}
		select {
		case <-r.Context().Done():
			return
		case <-tick.C:
		}
		if rep, err = delivery.Report(r.Context(), p.Store, editionID, p.Clock.Now()); err != nil {
			return
		}
	}
}

// editionProgress: GET /api/v1/editions/{id}/progress, JSON or SSE.
func (h *Handler) editionProgress(w http.ResponseWriter, r *http.Request, _ *caller) error {
	id, err := pathID(r, "id", "Edition")
	if err != nil {
		return err
	}
	h.Progress().Serve(w, r, id)
	return nil
}

// brevityBody is a draft to check.
type brevityBody struct {
	Headline string `json:"headline"`
	Body     string `json:"body"`
}

// brevityCheck runs the Smart Brevity check on a draft; nothing is stored.
func (h *Handler) brevityCheck(w http.ResponseWriter, r *http.Request, _ *caller) error {
	var in brevityBody
	if err := decode(r, &in); err != nil {
		return err
	}
	if err := herald.CheckMarkdown("body", in.Body, herald.MaxStoryBodyChars); err != nil {
		return err
	}
	return ok(w, herald.CheckBrevity(in.Headline, in.Body))
}
