package bounce

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"log/slog"
	"regexp"
	"strconv"
	"strings"

	"github.com/herald-news/herald"
)

// Processor records bounces and complaints, whatever route they came by,
// and says what it did in the logs and the metrics.
type Processor struct {
	Store Store
	Rule  SoftRule
	// VERP reads return paths; nil when no bounce domain is configured.
	VERP *VERP
	// MessageIDDomain is the right side of our Message-IDs
	// (edition-<edition>-<subscriber>@domain); empty accepts any.
	MessageIDDomain string
	Clock           herald.Clock
	Logger          *slog.Logger
	Metrics         *Metrics // nil: nothing counted
}

// ErrUnsigned is returned for a report whose VERP address does not
// verify: it is ignored, whatever it says.
var ErrUnsigned = &herald.Error{Code: herald.EINVALID,
	Message: "This report's return address is not one this Herald signed; it was ignored."}

// Mail records a report that arrived by mail. send is the ledger row of
// the verified VERP address the bounce receiver accepted it for. For a
// file (send.ID 0) the row comes from a VERP address in the report's
// headers (Delivered-To, To, the quoted Return-Path) — one that does not
// verify makes the report ErrUnsigned — else from our Message-ID in the
// quoted original, else the recipient's address names the reader: the
// operator who hands the file over vouches for it.
func (p *Processor) Mail(ctx context.Context, raw []byte, send SendRef) (Result, *Report, error) {
	rep, err := Parse(raw)
	if err != nil {
		return Result{}, nil, err
	}
	ev, ignored := p.eventOf(rep)
	if ignored != "" {
		p.Logger.Debug("bounce: report needs nothing done", "why", ignored, "report", rep.MessageID)
		return Result{Ignored: ignored}, rep, nil
	}
	if send.ID == 0 {
		if send, err = p.sendIn(rep); err != nil {
			p.Metrics.Rejected("mail", "bad signature")
			return Result{}, rep, err
		}
	}
	sendID := send.ID
	ev.SendID, ev.LinkKey = send.ID, send.LinkKey
	if sendID == 0 {
		ev.EditionID, ev.SubscriberID = p.parseMessageID(rep.Original.MessageID)
	}
	ev.ID = rep.MessageID
	if ev.ID == "" {
		sum := sha256.Sum256(raw)
		ev.ID = "sha256:" + hex.EncodeToString(sum[:16])
	}
	if sendID > 0 {
		ev.ID += "/" + strconv.FormatInt(sendID, 10)
	}
	res, err := p.Record(ctx, ev)
	return res, rep, err
}

// eventOf reads the event a report makes, or why it makes none.
func (p *Processor) eventOf(rep *Report) (Event, string) {
	ev := Event{Provider: ProviderMail}
	if rep.Type == TypeARF {
		switch rep.Feedback.Type {
		case "abuse":
			ev.Kind = Complaint
		case "not-spam":
			return ev, "a not-spam report"
		default:
			ev.Kind = Unknown
		}
		ev.Status, ev.Diagnostic = "", "feedback-type "+rep.Feedback.Type
		if len(rep.Feedback.OriginalRcptTo) > 0 {
			ev.Email = rep.Feedback.OriginalRcptTo[0]
		} else if to := addressesIn(rep.Original.To); len(to) > 0 {
			ev.Email = to[0]
		}
		return ev, ""
	}
	rc, why := worstRecipient(rep.Recipients)
	if why != "" {
		return ev, why
	}
	ev.Kind, ev.Status, ev.Diagnostic = Classify(rc.Code), rc.Code.String(), rc.Diagnostic
	ev.Email = cmpOr(rc.Final, rc.Original)
	if ev.Diagnostic == "" {
		ev.Diagnostic = rc.Status
	}
	return ev, ""
}

// worstRecipient picks the failed recipient of a DSN; a report of delays
// or deliveries only is nothing to act on.
func worstRecipient(rs []Recipient) (Recipient, string) {
	for _, rc := range rs {
		if rc.Action == "failed" || rc.Action == "" && rc.Code.Class >= 4 {
			return rc, ""
		}
	}
	for _, rc := range rs {
		if rc.Action == "delayed" {
			return rc, "a delay warning: the sending server is still trying"
		}
	}
	return Recipient{}, "a report of successful delivery"
}

// sendIn finds a VERP address in a report's headers. An address of ours
// with a bad signature is an error; none at all is 0.
func (p *Processor) sendIn(rep *Report) (SendRef, error) {
	if p.VERP == nil {
		return SendRef{}, nil
	}
	candidates := append(append([]string{}, rep.Envelope...), rep.Original.ReturnPath, rep.Feedback.OriginalMailFrom)
	for _, a := range candidates {
		if !p.VERP.IsVERP(a) {
			continue
		}
		if ref, ok := p.VERP.Parse(a); ok {
			return ref, nil
		}
		return SendRef{}, ErrUnsigned
	}
	return SendRef{}, nil
}

// ourMessageID is the Message-ID compose gives each message.
var ourMessageID = regexp.MustCompile(`^edition-([0-9]{1,18})-([0-9]{1,18})@(.+)$`)

// parseMessageID reads the edition and subscriber of one of our
// Message-IDs; zeros for anything else.
func (p *Processor) parseMessageID(id string) (edition, subscriber int64) {
	m := ourMessageID.FindStringSubmatch(trimID(id))
	if m == nil || p.MessageIDDomain != "" && !strings.EqualFold(m[3], p.MessageIDDomain) {
		return 0, 0
	}
	e, _ := strconv.ParseInt(m[1], 10, 64)
	s, _ := strconv.ParseInt(m[2], 10, 64)
	return e, s
}

// FindMessageID finds one of our Message-IDs anywhere in text, for
// providers that only hand back the raw message.
func (p *Processor) FindMessageID(text string) (edition, subscriber int64) {
	for _, m := range findOurID.FindAllString(text, 4) {
		if e, s := p.parseMessageID(m); e > 0 {
			return e, s
		}
	}
	return 0, 0
}

var findOurID = regexp.MustCompile(`edition-[0-9]{1,18}-[0-9]{1,18}@[A-Za-z0-9.-]+`)

// Record stores an event, acts on it, and logs and counts what happened.
func (p *Processor) Record(ctx context.Context, ev Event) (Result, error) {
	if ev.At.IsZero() {
		ev.At = p.Clock.Now()
	}
	ev.Diagnostic = truncate(ev.Diagnostic, 500)
	res, err := p.Store.RecordBounce(ctx, ev, p.Rule)
	if err != nil {
		return res, fmt.Errorf("bounce: record %s event: %w", ev.Provider, err)
	}
	attrs := []any{"provider", ev.Provider, "kind", res.Kind, "action", res.Action, "status", ev.Status,
		"newsletter", res.Newsletter, "edition", res.EditionID, "subscriber", res.SubscriberID, "event", res.EventID}
	switch {
	case res.Duplicate:
		p.Logger.Debug("bounce: event already recorded; nothing changed", "provider", ev.Provider, "id", ev.ID)
		return res, nil
	case res.Kind == Policy:
		p.Logger.Error("bounce: a mailbox provider refused our mail for our own authentication or policy; "+
			"no reader was suppressed. Check DKIM, SPF, DMARC and the relay", append(attrs, "diagnostic", ev.Diagnostic)...)
	case res.Kind == Complaint:
		p.Logger.Warn("bounce: a reader complained; unsubscribed from every newsletter", attrs...)
	default:
		p.Logger.Info("bounce: recorded", attrs...)
	}
	p.Metrics.event(res)
	return res, nil
}

// truncate keeps remote servers' words to a sane size.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return strings.ToValidUTF8(s[:n], "")
}
