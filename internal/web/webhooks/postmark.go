package webhooks

import (
	"crypto/subtle"
	"encoding/json"
	"net/http"

	"github.com/herald-news/herald/internal/bounce"
)

// postmarkEvent is a Postmark bounce or spam complaint webhook.
type postmarkEvent struct {
	RecordType  string      `json:"RecordType"`
	ID          json.Number `json:"ID"`
	Type        string      `json:"Type"`
	Email       string      `json:"Email"`
	Description string      `json:"Description"`
	Details     string      `json:"Details"`
	Content     string      `json:"Content"`
}

// postmarkKinds maps Postmark's bounce types; the rest (auto-responders,
// subscription changes, …) need nothing done.
var postmarkKinds = map[string]bounce.Kind{
	"HardBounce":       bounce.Hard,
	"BadEmailAddress":  bounce.Hard,
	"SoftBounce":       bounce.Soft,
	"Transient":        bounce.Soft,
	"DnsError":         bounce.Soft,
	"SpamComplaint":    bounce.Complaint,
	"Blocked":          bounce.Policy,
	"DMARCPolicy":      bounce.Policy,
	"SpamNotification": bounce.Policy,
}

// postmark receives Postmark's bounce and spam complaint webhooks,
// authenticated by the HTTP Basic credentials set on the webhook.
func (h *Handler) postmark(w http.ResponseWriter, r *http.Request) {
	if h.PostmarkUser == "" {
		http.NotFound(w, r)
		return
	}
	user, pass, ok := r.BasicAuth()
	if !ok || subtle.ConstantTimeCompare([]byte(user), []byte(h.PostmarkUser))&
		subtle.ConstantTimeCompare([]byte(pass), []byte(h.PostmarkPassword)) != 1 {
		w.Header().Set("WWW-Authenticate", `Basic realm="herald webhooks"`)
		h.forged(w, r, bounce.ProviderPostmark, "bad credentials")
		return
	}
	body, ok := readBody(w, r)
	if !ok {
		return
	}
	var p postmarkEvent
	if err := json.Unmarshal(body, &p); err != nil || p.ID == "" {
		http.Error(w, "The body is not a Postmark event.", http.StatusBadRequest)
		return
	}
	kind, known := postmarkKinds[p.Type]
	if p.RecordType == "SpamComplaint" {
		kind, known = bounce.Complaint, true
	}
	if !known || p.RecordType != "Bounce" && p.RecordType != "SpamComplaint" {
		h.record(w, r, nil)
		return
	}
	ev := bounce.Event{Provider: bounce.ProviderPostmark, ID: p.RecordType + ":" + p.ID.String(), Email: p.Email,
		Status: statusIn("", p.Details), Diagnostic: cmpOr(p.Details, p.Description)}
	ev.Kind = refine(kind, ev.Status)
	ev.EditionID, ev.SubscriberID = h.Events.FindMessageID(p.Content)
	h.record(w, r, []bounce.Event{ev})
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
