package webhooks

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"time"

	"github.com/herald-news/herald/internal/bounce"
)

// mailgunWindow is how old (or how far ahead) a Mailgun signature may
// be; tokens are remembered for twice as long, so none is used twice.
const mailgunWindow = 5 * time.Minute

// mailgunCall is a Mailgun webhook: a signature and one event.
type mailgunCall struct {
	Signature struct {
		Timestamp string `json:"timestamp"`
		Token     string `json:"token"`
		Signature string `json:"signature"`
	} `json:"signature"`
	Event struct {
		Event          string `json:"event"`
		ID             string `json:"id"`
		Severity       string `json:"severity"`
		Reason         string `json:"reason"`
		Recipient      string `json:"recipient"`
		DeliveryStatus struct {
			EnhancedCode string `json:"enhanced-code"`
			Message      string `json:"message"`
			Description  string `json:"description"`
		} `json:"delivery-status"`
		Message struct {
			Headers struct {
				MessageID string `json:"message-id"`
			} `json:"headers"`
		} `json:"message"`
	} `json:"event-data"`
}

// mailgun receives Mailgun's failed and complained events. Mailgun signs
// only the timestamp and token, not the event, so a token is good for
// one body only.
func (h *Handler) mailgun(w http.ResponseWriter, r *http.Request) {
	if h.MailgunKey == "" {
		http.NotFound(w, r)
		return
	}
	body, ok := readBody(w, r)
	if !ok {
		return
	}
	var c mailgunCall
	if err := json.Unmarshal(body, &c); err != nil {
		h.forged(w, r, bounce.ProviderMailgun, "not a Mailgun webhook")
		return
	}
	s := c.Signature
	if err := bounce.VerifyMailgun(h.MailgunKey, s.Timestamp, s.Token, s.Signature, h.Clock.Now(), mailgunWindow); err != nil {
		h.forged(w, r, bounce.ProviderMailgun, "bad or stale signature")
		return
	}
	sum := sha256.Sum256(body)
	fresh, err := h.Tokens.UseWebhookToken(r.Context(), bounce.ProviderMailgun, s.Token, hex.EncodeToString(sum[:]), 3*mailgunWindow)
	if err != nil {
		h.Logger.Error("webhook: remember Mailgun token", "err", err)
		http.Error(w, "Could not record the event; please retry.", http.StatusInternalServerError)
		return
	} else if !fresh {
		h.forged(w, r, bounce.ProviderMailgun, "token replayed with another body")
		return
	}
	e := c.Event
	ev := bounce.Event{Provider: bounce.ProviderMailgun, ID: e.ID, Email: e.Recipient,
		Status:     statusIn(e.DeliveryStatus.EnhancedCode, e.DeliveryStatus.Message),
		Diagnostic: cmpOr(e.DeliveryStatus.Message, e.DeliveryStatus.Description)}
	switch {
	case e.Event == "complained" || e.Event == "failed" && e.Reason == "suppress-complaint":
		ev.Kind = bounce.Complaint
	case e.Event == "failed" && (e.Severity == "permanent" || e.Reason == "suppress-bounce"):
		ev.Kind = bounce.Hard
	default:
		// Deliveries, opens, unsubscribes, and temporary failures: Mailgun
		// is still retrying those, and reports a permanent one if it gives up.
		h.record(w, r, nil)
		return
	}
	if e.ID == "" {
		http.Error(w, "The event has no id.", http.StatusBadRequest)
		return
	}
	ev.Kind = refine(ev.Kind, ev.Status)
	if ev.Diagnostic == "" {
		ev.Diagnostic = e.Reason
	}
	ev.EditionID, ev.SubscriberID = h.Events.FindMessageID(e.Message.Headers.MessageID)
	h.record(w, r, []bounce.Event{ev})
}
