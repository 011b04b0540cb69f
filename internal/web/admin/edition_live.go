package admin

import (
	"net/http"
	"time"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/internal/delivery"
	"github.com/herald-news/herald/internal/sqldb"
	"github.com/herald-news/herald/internal/web/api"
)

// The live send view: how a send is going, refreshed by Server-Sent
// Events from the same progress stream the JSON API serves.

// paceWindow is how far back the messages-per-minute chart looks.
const paceWindow = time.Hour

// sendStatuses are the ledger statuses in the order the view lists them.
var sendStatuses = []herald.SendStatus{herald.SendQueued, herald.SendSending, herald.SendAccepted, herald.SendDeferred,
	herald.SendFailed, herald.SendSuppressed, herald.SendUnknown}

type statusCount struct {
	Status herald.SendStatus
	Count  int
}

type liveData struct {
	Edition  *herald.Edition
	Progress *delivery.Progress
	Percent  int
	Counts   []statusCount
	Pace     []sqldb.MinuteCount
	Active   bool // the stream has more to say: sending or paused
	Accepted int  // accepted when the page was made: the stream's events add what comes after
}

// percentDone is how far through its ledger a send is, 0 to 100. A send
// that has finished is 100 even with no readers.
func percentDone(p *delivery.Progress) int {
	if p.Total == 0 {
		if p.Status == herald.EditionSent {
			return 100
		}
		return 0
	}
	return p.Done * 100 / p.Total
}

// liveSend shows an edition's send: the current numbers on the server,
// kept live by send.js.
func (h *Handler) liveSend(w http.ResponseWriter, r *http.Request) {
	ed, ok := h.pathEdition(w, r)
	if !ok {
		return
	}
	ctx := r.Context()
	now := h.Clock.Now()
	p, err := delivery.Report(ctx, h.Editions, ed.ID, now)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	data := liveData{Edition: ed, Progress: p, Percent: percentDone(p),
		Active: ed.Status == herald.EditionSending || ed.Status == herald.EditionPaused, Accepted: p.Counts[herald.SendAccepted]}
	for _, s := range sendStatuses {
		data.Counts = append(data.Counts, statusCount{s, p.Counts[s]})
	}
	if !ed.StartedAt.IsZero() {
		until := now
		if !ed.FinishedAt.IsZero() {
			until = ed.FinishedAt
		}
		since := until.Add(-paceWindow)
		if since.Before(ed.StartedAt) {
			since = ed.StartedAt
		}
		if data.Pace, err = h.Editions.AcceptedPerMinute(ctx, ed.ID, since, until); err != nil {
			h.fail(w, r, err)
			return
		}
	}
	h.render(w, r, http.StatusOK, "edition_send", "Sending "+ed.Newsletter.Name+" "+ed.DateString(), data)
}

// editionProgress streams an edition's progress as Server-Sent Events
// (or answers once with JSON), on the admin's session.
func (h *Handler) editionProgress(w http.ResponseWriter, r *http.Request) {
	ed, ok := h.pathEdition(w, r)
	if !ok {
		return
	}
	stream := &api.ProgressStream{Store: h.Editions, Clock: h.Clock, Every: time.Second, Logger: h.Logger}
	stream.Serve(w, r, ed.ID)
}
