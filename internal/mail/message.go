// Package mail builds email messages and defines the Transport that sends
// them. Transports live in subpackages: smtpmail (a real relay) and devinbox
// (keeps every message for viewing in the browser during development).
package mail

import (
	"bytes"
	"crypto/rand"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/herald-news/herald"
)

// Address is a mailbox: an optional display name and an address.
type Address struct{ Name, Email string }

// Header is one extra header field.
type Header struct{ Key, Value string }

// Message is one email: multipart/alternative text + HTML.
type Message struct {
	From      Address
	To        Address
	ReplyTo   *Address
	Subject   string
	Date      time.Time // zero: time of Bytes()
	MessageID string    // without angle brackets; empty: generated as <random>@<From domain>
	Headers   []Header  // extra headers: List-Unsubscribe, List-Unsubscribe-Post, List-Id, Feedback-ID, …
	Text      string    // plain-text part (required)
	HTML      string    // HTML part (optional; when empty the message is text/plain only)
}

// reserved are the header fields Bytes writes itself, plus Cc and Bcc:
// a Message has exactly one recipient, To.
var reserved = map[string]bool{
	"from": true, "to": true, "reply-to": true, "subject": true, "date": true,
	"message-id": true, "mime-version": true, "content-type": true,
	"content-transfer-encoding": true, "cc": true, "bcc": true,
}

// Validate reports the first problem that would make m unsafe or impossible
// to send, as a herald EINVALID error.
func (m *Message) Validate() error {
	if m.From.Email == "" {
		return herald.Errorf(herald.EINVALID, "The sender address is missing.")
	}
	if err := m.From.validate("sender"); err != nil {
		return err
	}
	if m.To.Email == "" {
		return herald.Errorf(herald.EINVALID, "The recipient address is missing.")
	}
	if err := m.To.validate("recipient"); err != nil {
		return err
	}
	if m.ReplyTo != nil {
		if err := m.ReplyTo.validate("reply-to"); err != nil {
			return err
		}
	}
	if strings.TrimSpace(m.Subject) == "" {
		return herald.Errorf(herald.EINVALID, "The subject is missing.")
	}
	if err := checkLine("The subject", m.Subject); err != nil {
		return err
	}
	if m.MessageID != "" && !validMessageID(m.MessageID) {
		return herald.Errorf(herald.EINVALID, "The Message-ID must look like id@domain, without angle brackets or spaces.")
	}
	for _, h := range m.Headers {
		if !validFieldName(h.Key) {
			return herald.Errorf(herald.EINVALID, "%q is not a valid header name.", h.Key)
		}
		if reserved[strings.ToLower(h.Key)] {
			return herald.Errorf(herald.EINVALID, "The %s header is set by Herald and can't be added.", h.Key)
		}
		if err := checkLine("The "+h.Key+" header", h.Value); err != nil {
			return err
		}
	}
	if strings.TrimSpace(m.Text) == "" {
		return herald.Errorf(herald.EINVALID, "The plain-text body is missing.")
	}
	if !utf8.ValidString(m.Text) || !utf8.ValidString(m.HTML) {
		return herald.Errorf(herald.EINVALID, "The message body is not valid UTF-8 text.")
	}
	return nil
}

// NeedsSMTPUTF8 reports whether an address in the envelope or the headers
// has a non-ASCII local part, so that only an SMTPUTF8 relay can take m.
// Reply-To counts too: its address goes into the header as UTF-8.
func (m *Message) NeedsSMTPUTF8() bool {
	if m.ReplyTo != nil && m.ReplyTo.utf8Local() {
		return true
	}
	return m.From.utf8Local() || m.To.utf8Local()
}

// Bytes renders m as a complete RFC 5322 message with CRLF line endings.
// It does not modify m: when MessageID is empty every call makes a new one,
// so set it to keep the same Message-ID across retries.
func (m *Message) Bytes() ([]byte, error) {
	if err := m.Validate(); err != nil {
		return nil, err
	}
	// Validate has checked every address, so formatting cannot fail.
	from, _ := m.From.header()
	to, _ := m.To.header()
	date := m.Date
	if date.IsZero() {
		date = time.Now()
	}
	id := m.MessageID
	if id == "" {
		id = newMessageID(m.From)
	}

	var b bytes.Buffer
	writeField(&b, "Date", date.Format(time.RFC1123Z))
	writeField(&b, "From", from)
	if m.ReplyTo != nil {
		replyTo, _ := m.ReplyTo.header()
		writeField(&b, "Reply-To", replyTo)
	}
	writeField(&b, "To", to)
	writeField(&b, "Subject", encodeText(m.Subject))
	writeField(&b, "Message-ID", "<"+id+">")
	for _, h := range m.Headers {
		writeField(&b, h.Key, encodeText(h.Value))
	}
	writeField(&b, "MIME-Version", "1.0")
	if err := writeBody(&b, m.Text, m.HTML); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// newMessageID returns a random id on the sender's (ASCII) domain.
func newMessageID(from Address) string {
	domain := "localhost"
	if _, d, err := from.split(); err == nil {
		domain = d
	}
	return strings.ToLower(rand.Text()) + "@" + domain
}

// validMessageID accepts printable ASCII id-left@id-right without spaces or
// angle brackets.
func validMessageID(id string) bool {
	left, right, ok := strings.Cut(id, "@")
	if !ok || left == "" || right == "" || strings.Contains(right, "@") {
		return false
	}
	for i := 0; i < len(id); i++ {
		if c := id[i]; c <= ' ' || c > '~' || c == '<' || c == '>' {
			return false
		}
	}
	return true
}

// validFieldName reports whether k is an RFC 5322 field name: printable
// ASCII except the colon.
func validFieldName(k string) bool {
	if k == "" {
		return false
	}
	for i := 0; i < len(k); i++ {
		if c := k[i]; c < 33 || c > 126 || c == ':' {
			return false
		}
	}
	return true
}

// checkLine refuses CR, LF and NUL, which would let a value start a new
// header line, and text that is not UTF-8.
func checkLine(what, v string) error {
	if strings.ContainsAny(v, "\r\n\x00") {
		return herald.Errorf(herald.EINVALID, "%s can't contain line breaks.", what)
	}
	if !utf8.ValidString(v) {
		return herald.Errorf(herald.EINVALID, "%s is not valid UTF-8 text.", what)
	}
	return nil
}
