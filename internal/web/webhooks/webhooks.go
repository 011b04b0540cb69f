// Package webhooks receives mail providers' bounce and complaint events
// under /webhooks/: Amazon SES through SNS, Postmark and Mailgun. Every
// call is authenticated before anything in it is believed; a forged call
// gets 401 and changes nothing, and an event a provider sends twice is
// recorded once.
package webhooks

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"time"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/internal/bounce"
)

// Events records events (a *bounce.Processor).
type Events interface {
	Record(ctx context.Context, ev bounce.Event) (bounce.Result, error)
	// FindMessageID finds one of our Message-IDs in text.
	FindMessageID(text string) (edition, subscriber int64)
}

// Tokens remembers signed tokens already used (sqldb.BounceService).
type Tokens interface {
	UseWebhookToken(ctx context.Context, provider, token, digest string, keep time.Duration) (bool, error)
}

// Handler serves the providers' webhooks. A provider without its
// credentials configured answers 404.
type Handler struct {
	Events Events
	Tokens Tokens
	// SNS verifies SES notifications; nil turns /webhooks/ses off.
	SNS *bounce.SNSVerifier
	// Confirmer confirms SNS subscriptions to our topics; nil: a GET by
	// bounce.HTTPConfirmer.
	Confirmer bounce.Confirmer
	// PostmarkUser and PostmarkPassword are the HTTP Basic credentials
	// set on the Postmark webhook.
	PostmarkUser, PostmarkPassword string
	// MailgunKey is Mailgun's webhook signing key.
	MailgunKey string
	Clock      herald.Clock
	Logger     *slog.Logger
	Metrics    *bounce.Metrics
}

// maxBody bounds a webhook call; real ones are a few kilobytes.
const maxBody = 1 << 20

// Routes returns the webhooks' mux, to mount at /webhooks/.
func (h *Handler) Routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /webhooks/ses", h.ses)
	mux.HandleFunc("POST /webhooks/postmark", h.postmark)
	mux.HandleFunc("POST /webhooks/mailgun", h.mailgun)
	return mux
}

// readBody reads a bounded body; ok is false once it has answered.
func readBody(w http.ResponseWriter, r *http.Request) ([]byte, bool) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		http.Error(w, "Request body too large.", http.StatusRequestEntityTooLarge)
		return nil, false
	} else if err != nil {
		http.Error(w, "Could not read the request.", http.StatusBadRequest)
		return nil, false
	}
	return body, true
}

// forged answers 401 to a call that does not authenticate.
func (h *Handler) forged(w http.ResponseWriter, r *http.Request, provider, why string) {
	h.Metrics.Rejected("webhook "+provider, why)
	h.Logger.Warn("webhook: refused a call that does not authenticate", "provider", provider, "why", why,
		"remote", r.RemoteAddr)
	http.Error(w, "Unauthorized.", http.StatusUnauthorized)
}

// record records a call's events; any storage failure answers 500 so
// the provider retries, and what was recorded already stays recorded
// once.
func (h *Handler) record(w http.ResponseWriter, r *http.Request, events []bounce.Event) {
	for _, ev := range events {
		if _, err := h.Events.Record(r.Context(), ev); err != nil {
			h.Logger.Error("webhook: record event", "provider", ev.Provider, "event", ev.ID, "err", err)
			http.Error(w, "Could not record the event; please retry.", http.StatusInternalServerError)
			return
		}
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	io.WriteString(w, "ok\n")
}

// refine lets a status code correct a provider's word: 5.7.x and 4.7.x
// are about us (policy) whatever the provider calls them, and a
// "permanent" failure with a temporary code or a full mailbox is soft.
func refine(kind bounce.Kind, status string) bounce.Kind {
	c, ok := bounce.ParseCode(status)
	if !ok || kind == bounce.Complaint {
		return kind
	}
	switch {
	case bounce.Classify(c) == bounce.Policy:
		return bounce.Policy
	case kind == bounce.Hard && (c.Class == 4 || c == bounce.Code{Class: 5, Subject: 2, Detail: 2}):
		return bounce.Soft
	}
	return kind
}

// statusIn finds a status code in a provider's fields: an explicit code
// first, else one in the diagnostic text.
func statusIn(explicit, text string) string {
	if c, ok := bounce.ParseCode(explicit); ok {
		return c.String()
	}
	if c, ok := bounce.CodeInText(text); ok {
		return c.String()
	}
	return ""
}
