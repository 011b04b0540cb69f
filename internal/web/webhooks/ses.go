package webhooks

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/internal/bounce"
)

// sesNotification is an SES bounce or complaint notification (or the
// same event through event publishing, which says eventType).
type sesNotification struct {
	NotificationType string `json:"notificationType"`
	EventType        string `json:"eventType"`
	Bounce           *struct {
		BounceType        string `json:"bounceType"`
		BounceSubType     string `json:"bounceSubType"`
		BouncedRecipients []struct {
			EmailAddress   string `json:"emailAddress"`
			Status         string `json:"status"`
			DiagnosticCode string `json:"diagnosticCode"`
		} `json:"bouncedRecipients"`
	} `json:"bounce"`
	Complaint *struct {
		ComplaintFeedbackType string `json:"complaintFeedbackType"`
		ComplainedRecipients  []struct {
			EmailAddress string `json:"emailAddress"`
		} `json:"complainedRecipients"`
	} `json:"complaint"`
	Mail struct {
		CommonHeaders struct {
			MessageID string `json:"messageId"`
		} `json:"commonHeaders"`
		Headers []struct {
			Name  string `json:"name"`
			Value string `json:"value"`
		} `json:"headers"`
	} `json:"mail"`
}

// ses receives Amazon SES notifications through an SNS subscription.
func (h *Handler) ses(w http.ResponseWriter, r *http.Request) {
	if h.SNS == nil {
		http.NotFound(w, r)
		return
	}
	body, ok := readBody(w, r)
	if !ok {
		return
	}
	var m bounce.SNSMessage
	if err := json.Unmarshal(body, &m); err != nil {
		h.forged(w, r, bounce.ProviderSES, "not an SNS message")
		return
	}
	if err := h.SNS.Verify(r.Context(), &m); herald.ErrorCode(err) == herald.EUNAUTHORIZED {
		h.forged(w, r, bounce.ProviderSES, "bad SNS signature or topic")
		return
	} else if err != nil {
		h.Logger.Error("webhook: verify SNS message", "err", err)
		http.Error(w, "Could not verify the message; please retry.", http.StatusServiceUnavailable)
		return
	}
	switch m.Type {
	case "SubscriptionConfirmation":
		h.confirm(w, r, &m)
	case "UnsubscribeConfirmation":
		h.Logger.Warn("webhook: SNS unsubscribed this endpoint from a topic", "topic", m.TopicArn)
		w.WriteHeader(http.StatusOK)
	default:
		var n sesNotification
		if err := json.Unmarshal([]byte(m.Message), &n); err != nil {
			http.Error(w, "The notification is not an SES event.", http.StatusBadRequest)
			return
		}
		h.record(w, r, h.sesEvents(&m, &n))
	}
}

// confirm confirms a subscription to one of our topics, but only by
// visiting an https URL on an SNS host.
func (h *Handler) confirm(w http.ResponseWriter, r *http.Request, m *bounce.SNSMessage) {
	if !bounce.IsSNSURL(m.SubscribeURL) {
		h.forged(w, r, bounce.ProviderSES, "subscribe URL not on an SNS host")
		return
	}
	var confirmer bounce.Confirmer = bounce.HTTPConfirmer{}
	if h.Confirmer != nil {
		confirmer = h.Confirmer
	}
	if err := confirmer.Confirm(r.Context(), m.SubscribeURL); err != nil {
		h.Logger.Error("webhook: confirm SNS subscription", "topic", m.TopicArn, "err", err)
		http.Error(w, "Could not confirm the subscription.", http.StatusBadGateway)
		return
	}
	h.Logger.Info("webhook: confirmed the SNS subscription", "topic", m.TopicArn)
	w.WriteHeader(http.StatusOK)
}

// sesEvents turns a notification into one event per recipient.
func (h *Handler) sesEvents(m *bounce.SNSMessage, n *sesNotification) []bounce.Event {
	edition, subscriber := h.Events.FindMessageID(n.Mail.CommonHeaders.MessageID)
	for _, hd := range n.Mail.Headers {
		if edition == 0 && strings.EqualFold(hd.Name, "Message-ID") {
			edition, subscriber = h.Events.FindMessageID(hd.Value)
		}
	}
	event := func(i int, email string) bounce.Event {
		return bounce.Event{Provider: bounce.ProviderSES, ID: m.MessageID + "/" + strconv.Itoa(i), Email: email,
			EditionID: edition, SubscriberID: subscriber}
	}
	var out []bounce.Event
	switch kind := n.NotificationType + n.EventType; {
	case kind == "Bounce" && n.Bounce != nil:
		for i, rc := range n.Bounce.BouncedRecipients {
			ev := event(i, rc.EmailAddress)
			ev.Status, ev.Diagnostic = statusIn(rc.Status, rc.DiagnosticCode), rc.DiagnosticCode
			ev.Kind = refine(sesBounceKind(n.Bounce.BounceType, n.Bounce.BounceSubType), ev.Status)
			if ev.Diagnostic == "" {
				ev.Diagnostic = n.Bounce.BounceType + "/" + n.Bounce.BounceSubType
			}
			out = append(out, ev)
		}
	case kind == "Complaint" && n.Complaint != nil && n.Complaint.ComplaintFeedbackType != "not-spam":
		for i, rc := range n.Complaint.ComplainedRecipients {
			ev := event(i, rc.EmailAddress)
			ev.Kind, ev.Diagnostic = bounce.Complaint, "complaint "+n.Complaint.ComplaintFeedbackType
			out = append(out, ev)
		}
	}
	return out
}

// sesBounceKind maps SES's bounce type: Permanent is hard; Transient is
// soft unless SES says our content was refused.
func sesBounceKind(bounceType, subType string) bounce.Kind {
	switch bounceType {
	case "Permanent":
		return bounce.Hard
	case "Transient":
		switch subType {
		case "ContentRejected", "AttachmentRejected", "MessageTooLarge":
			return bounce.Policy
		}
		return bounce.Soft
	}
	return bounce.Unknown
}
