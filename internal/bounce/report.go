package bounce

import (
	"bytes"
	"errors"
	"fmt"
	"net/mail"
	"net/textproto"
	"strings"
)

// ReportType names the machine-readable part a report carried.
type ReportType string

// Report types.
const (
	TypeDSN ReportType = "delivery-status" // RFC 3464
	TypeARF ReportType = "feedback-report" // RFC 5965
)

// Report is an inbound message read as a bounce or a complaint.
type Report struct {
	Type       ReportType
	MessageID  string // the report's own Message-ID, without <>
	Subject    string
	Recipients []Recipient // the DSN's per-recipient fields
	Feedback   Feedback    // the ARF fields
	Original   Original    // what the report says of the message that failed or was reported
	// Malformed is set when a DSN had no readable delivery-status part:
	// Recipients were then guessed from its text and Original from
	// whatever headers it quoted.
	Malformed bool
	// Envelope holds the report's own headers that may name the address
	// it was delivered to (To, Delivered-To, X-Original-To, …): where a
	// forwarded bounce keeps its VERP address.
	Envelope []string
}

// Recipient is one per-recipient block of a DSN.
type Recipient struct {
	Final      string // Final-Recipient address
	Original   string // Original-Recipient address
	Action     string // failed, delayed, delivered, relayed, expanded (lower case)
	Status     string // the Status field as given
	Code       Code   // the most telling status code of Status and Diagnostic
	Diagnostic string // Diagnostic-Code, without its "smtp;" type
	RemoteMTA  string
}

// Feedback is the machine-readable part of an ARF report.
type Feedback struct {
	Type             string // abuse, fraud, virus, other, not-spam (lower case)
	UserAgent        string
	Version          string
	OriginalMailFrom string
	OriginalRcptTo   []string
	ArrivalDate      string
	ReportedDomain   string
	SourceIP         string
}

// Original is the headers a report quoted of the message it is about.
type Original struct {
	MessageID  string // without <>
	ReturnPath string // the envelope sender the receiving server recorded: our VERP address
	From       string
	To         string
	Subject    string
}

// ErrNotReport is returned when a message cannot be read as mail at all.
var ErrNotReport = errors.New("bounce: not an email message")

// ErrNotARF is returned by ParseARF for a message without a feedback report.
var ErrNotARF = errors.New("bounce: not an ARF feedback report")

// Parse reads a bounce or a complaint: an ARF report when the message
// carries one, a DSN (or a best guess at a malformed one) otherwise.
func Parse(raw []byte) (*Report, error) {
	w, err := walkMessage(raw)
	if err != nil {
		return nil, err
	}
	if w.feedback != nil {
		return w.arf(), nil
	}
	return w.dsn(), nil
}

// ParseDSN reads a delivery status notification (RFC 3464). A message
// without a readable delivery-status part still yields a Report, marked
// Malformed, with what its text and quoted headers tell.
func ParseDSN(raw []byte) (*Report, error) {
	w, err := walkMessage(raw)
	if err != nil {
		return nil, err
	}
	return w.dsn(), nil
}

// ParseARF reads an abuse report (RFC 5965). It returns ErrNotARF for a
// message without a message/feedback-report part.
func ParseARF(raw []byte) (*Report, error) {
	w, err := walkMessage(raw)
	if err != nil {
		return nil, err
	}
	if w.feedback == nil {
		return nil, ErrNotARF
	}
	return w.arf(), nil
}

// envelopeHeaders may name the address a forwarded report was sent to.
var envelopeHeaders = []string{"Delivered-To", "X-Original-To", "Envelope-To", "X-Envelope-To", "To"}

// base is the part of a report shared by both kinds.
func (w *walker) base(t ReportType) *Report {
	r := &Report{Type: t, MessageID: trimID(w.top.Get("Message-Id")), Subject: decodeHeader(w.top.Get("Subject")),
		Original: w.original}
	for _, k := range envelopeHeaders {
		for _, v := range w.top[k] {
			r.Envelope = append(r.Envelope, addressesIn(v)...)
		}
	}
	if r.Original.MessageID == "" || r.Original.ReturnPath == "" {
		quoted := quotedOriginal(w.text.String())
		r.Original.MessageID = cmpOr(r.Original.MessageID, quoted.MessageID)
		r.Original.ReturnPath = cmpOr(r.Original.ReturnPath, quoted.ReturnPath)
	}
	return r
}

func (w *walker) dsn() *Report {
	r := w.base(TypeDSN)
	r.Recipients = w.recipients
	if len(r.Recipients) == 0 {
		r.Malformed = true
		r.Recipients = guessRecipients(w.top, w.text.String())
	}
	return r
}

func (w *walker) arf() *Report {
	r := w.base(TypeARF)
	r.Feedback = *w.feedback
	return r
}

// addressesIn returns the addresses in a header value, or the value
// itself (without <>) when it does not parse as a list.
func addressesIn(v string) []string {
	list, err := mail.ParseAddressList(v)
	if err != nil {
		if v = strings.Trim(strings.TrimSpace(v), "<>"); v != "" && !strings.ContainsAny(v, " ,") {
			return []string{v}
		}
		return nil
	}
	out := make([]string, 0, len(list))
	for _, a := range list {
		out = append(out, a.Address)
	}
	return out
}

// originalFrom reads the headers of a quoted message.
func originalFrom(h textproto.MIMEHeader) Original {
	return Original{
		MessageID:  trimID(h.Get("Message-Id")),
		ReturnPath: strings.Trim(strings.TrimSpace(h.Get("Return-Path")), "<>"),
		From:       decodeHeader(h.Get("From")),
		To:         decodeHeader(h.Get("To")),
		Subject:    decodeHeader(h.Get("Subject")),
	}
}

// trimID strips the angle brackets and spaces of a Message-ID.
func trimID(id string) string {
	id = strings.TrimSpace(id)
	if i := strings.IndexByte(id, '<'); i >= 0 {
		if j := strings.IndexByte(id[i:], '>'); j > 0 {
			return strings.TrimSpace(id[i+1 : i+j])
		}
	}
	return strings.Trim(id, "<>")
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// String summarises a report for logs and the CLI.
func (r *Report) String() string {
	var b bytes.Buffer
	fmt.Fprintf(&b, "%s", cmpOr(string(r.Type), "unknown report"))
	if r.Malformed {
		b.WriteString(" (malformed)")
	}
	for _, rc := range r.Recipients {
		fmt.Fprintf(&b, "; %s %s %s", rc.Final, rc.Action, rc.Code)
	}
	if r.Type == TypeARF {
		fmt.Fprintf(&b, "; feedback-type %s", r.Feedback.Type)
	}
	return b.String()
}
