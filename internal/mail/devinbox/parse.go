package devinbox

import (
	"bytes"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"regexp"
	"strings"
)

var decoder = &mime.WordDecoder{}

// parse reads a rendered message back into a StoredMessage, the way a mail
// client would.
func parse(raw []byte) (*StoredMessage, error) {
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return nil, fmt.Errorf("header: %w", err)
	}
	h := msg.Header
	sm := &StoredMessage{
		MessageID: strings.Trim(h.Get("Message-ID"), "<>"),
		From:      readableAddress(h.Get("From")),
		To:        readableAddress(h.Get("To")),
		Subject:   decodeHeader(h.Get("Subject")),
		Raw:       raw,
	}
	if sm.Date, err = h.Date(); err != nil {
		return nil, fmt.Errorf("date: %w", err)
	}
	if err := readParts(sm, h.Get("Content-Type"), h.Get("Content-Transfer-Encoding"), msg.Body); err != nil {
		return nil, err
	}
	return sm, nil
}

// readParts fills sm.Text and sm.HTML from a text/plain, text/html or
// multipart body.
func readParts(sm *StoredMessage, contentType, cte string, body io.Reader) error {
	mediaType, params, err := mime.ParseMediaType(contentType)
	if err != nil {
		return fmt.Errorf("content type: %w", err)
	}
	if strings.HasPrefix(mediaType, "multipart/") {
		mr := multipart.NewReader(body, params["boundary"])
		for {
			// NextPart undoes quoted-printable itself.
			p, err := mr.NextPart()
			if err == io.EOF {
				return nil
			} else if err != nil {
				return fmt.Errorf("multipart: %w", err)
			}
			if err := readParts(sm, p.Header.Get("Content-Type"), p.Header.Get("Content-Transfer-Encoding"), p); err != nil {
				return err
			}
		}
	}
	if strings.EqualFold(cte, "quoted-printable") {
		body = quotedprintable.NewReader(body)
	}
	b, err := io.ReadAll(body)
	if err != nil {
		return fmt.Errorf("%s part: %w", mediaType, err)
	}
	text := strings.ReplaceAll(string(b), "\r\n", "\n")
	switch mediaType {
	case "text/plain":
		sm.Text = text
	case "text/html":
		sm.HTML = text
	}
	return nil
}

// decodeHeader undoes RFC 2047 encoding, keeping the raw value if it is
// malformed.
func decodeHeader(v string) string {
	if s, err := decoder.DecodeHeader(v); err == nil {
		return s
	}
	return v
}

// readableAddress returns "Name <email>" or "email", decoded.
func readableAddress(v string) string {
	a, err := (&mail.AddressParser{WordDecoder: decoder}).Parse(v)
	if err != nil {
		return decodeHeader(v)
	}
	if a.Name == "" {
		return a.Address
	}
	return a.Name + " <" + a.Address + ">"
}

// linkPattern finds web links in plain text.
var linkPattern = regexp.MustCompile(`https?://[^\s<>"]+`)

// links returns the web links in a text part, in order, without the
// punctuation that usually ends a sentence around them.
func links(text string) []string {
	found := linkPattern.FindAllString(text, -1)
	out := make([]string, 0, len(found))
	for _, l := range found {
		out = append(out, strings.TrimRight(l, ".,;:!?)]}'"))
	}
	return out
}

// header is one header field of a stored message, decoded for display.
type header struct{ Key, Value string }

// headers returns the header fields of raw in order, unfolded and decoded.
func headers(raw []byte) []header {
	head, _, _ := bytes.Cut(raw, []byte("\r\n\r\n"))
	var out []header
	for _, line := range strings.Split(string(head), "\r\n") {
		if (strings.HasPrefix(line, " ") || strings.HasPrefix(line, "\t")) && len(out) > 0 {
			out[len(out)-1].Value += line
			continue
		}
		k, v, ok := strings.Cut(line, ":")
		if ok {
			out = append(out, header{k, strings.TrimSpace(v)})
		}
	}
	for i := range out {
		out[i].Value = decodeHeader(out[i].Value)
	}
	return out
}
