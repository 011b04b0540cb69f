// Package api is Herald's JSON API under /api/v1, for other tools: stories,
// the newsroom's lists, editions and subscribers, with bearer tokens whose
// role decides what they may do. Every route is declared once, in the
// route table (routes.go), with the permission it needs; the OpenAPI
// document (openapi.yaml) describes the same routes, and a test holds the
// two together.
package api

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/internal/media"
	"github.com/herald-news/herald/internal/sqldb"
	"github.com/herald-news/herald/internal/subscribe"
	"github.com/herald-news/herald/internal/subscriberio"
)

// Desk is the edition desk and the import the CLI and admin share
// (*app.App implements it), so the API does exactly what they do.
type Desk interface {
	DraftEdition(ctx context.Context, slug, date string, blank bool) (*herald.Edition, error)
	SendTestEdition(ctx context.Context, id int64, to string) error
	ScheduleEdition(ctx context.Context, id int64, when time.Time) (*herald.Edition, error)
	SetEditionState(ctx context.Context, id int64, verb string) error
	SendNow(ctx context.Context, id int64) (int, error)
	ImportSubscribers(ctx context.Context, r io.Reader, size int64, slug string, confirmed bool, source string,
		progress func(subscriberio.Progress)) (*herald.Newsletter, subscriberio.Report, error)
}

// Handler serves the API.
type Handler struct {
	Stories     *sqldb.StoryService
	Newsroom    *sqldb.NewsroomService
	Editions    *sqldb.EditionService
	Site        *sqldb.SiteService
	Subscribers *sqldb.SubscriberService
	Staff       *sqldb.StaffService // finds API tokens
	Idempotency *sqldb.IdempotencyStore
	Subscribe   *subscribe.Service // sends the confirmation of subscribers added unconfirmed
	Desk        Desk
	Media       *media.Store // uploaded photos
	// BaseURL is the site's public address, without a trailing slash: the
	// API gives stored photos as absolute URLs under BaseURL/media/.
	BaseURL string
	// LegacyToken, when set, is accepted as an admin token: the single
	// HERALD_API_TOKEN of earlier versions. It cannot use idempotency keys.
	LegacyToken string
	// CursorKey signs pagination cursors; the same on every node.
	CursorKey []byte
	Clock     herald.Clock
	Logger    *slog.Logger
	// Every is how often the progress stream sends an update.
	Every time.Duration
}

// Routes returns the API's mux, to mount at /api/v1/.
func (h *Handler) Routes() http.Handler {
	mux, paths := http.NewServeMux(), http.NewServeMux()
	allowed := map[string][]string{}
	for _, rt := range routes {
		mux.Handle(rt.Method+" "+rt.Pattern, h.serve(rt))
		if allowed[rt.Pattern] == nil {
			paths.Handle(rt.Pattern, http.NotFoundHandler())
		}
		allowed[rt.Pattern] = append(allowed[rt.Pattern], rt.Method)
	}
	mux.HandleFunc("/api/v1/", func(w http.ResponseWriter, r *http.Request) {
		if _, pattern := paths.Handler(r); pattern != "" {
			w.Header().Set("Allow", strings.Join(allowed[pattern], ", "))
			writeError(w, h.Logger, herald.Errorf(eMethod, "%s does not take %s; it takes %s.", r.URL.Path, r.Method,
				strings.Join(allowed[pattern], ", ")))
			return
		}
		writeError(w, h.Logger, herald.Errorf(herald.ENOTFOUND, "There is no API route %s %s.", r.Method, r.URL.Path))
	})
	return mux
}

// Progress returns the progress stream on the handler's edition store, for
// surfaces with their own authentication (the admin).
func (h *Handler) Progress() *ProgressStream {
	return &ProgressStream{Store: h.Editions, Clock: h.Clock, Every: h.Every, Logger: h.Logger}
}
