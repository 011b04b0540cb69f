package mail

import (
	"bytes"
	"fmt"
	"mime"
	"mime/multipart"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/herald-news/herald"
)

// Prepared is the part of many messages that every copy shares, encoded
// once: the sender, subject and shared headers, and the bodies already in
// quoted-printable with holes for each reader's own text (their links).
// Append writes one reader's copy in little more than the time it takes
// to copy it, where Bytes would encode the whole body again.
//
// Each hole starts and ends with a soft line break ("=" CRLF), so the
// reader's text is encoded on its own, starting a line, and the shared
// parts never need re-wrapping: decoded, a copy is exactly the Message
// with the holes filled in. A Prepared is immutable and safe for
// concurrent use.
type Prepared struct {
	from       Address
	head       []byte // From, Reply-To: before To
	subject    []byte // Subject: after To, before Message-ID
	shared     []byte // shared headers, MIME-Version and Content-Type, the blank line
	text, html preparedPart
	boundary   string
}

// preparedPart is a body's shared segments, each quoted-printable and
// ending where a hole follows with a soft line break.
type preparedPart struct {
	head  []byte   // the part's boundary line and MIME headers
	segs  [][]byte // len(segs) = holes + 1
	fixed int
}

// Personal is one reader's part of a prepared message.
type Personal struct {
	To        Address
	Date      time.Time // zero: now
	MessageID string    // without angle brackets; required
	Headers   []Header  // written before the shared extra headers
	Text      []string  // fills the text body's holes, in order
	HTML      []string  // fills the HTML body's holes, in order
}

// Prepare encodes the shared parts of m, whose Text and HTML are replaced
// by text and html: segments around the holes that each reader fills (a
// body with n holes has n+1 segments; nil html: text/plain only). m.To,
// Date and MessageID are ignored. m is validated as Bytes would, with a
// stand-in recipient.
func Prepare(m *Message, text, html []string) (*Prepared, error) {
	probe := *m
	probe.To, probe.MessageID = Address{Email: "reader@example.com"}, "probe@example.com"
	probe.Text, probe.HTML = strings.Join(text, ""), strings.Join(html, "")
	if err := probe.Validate(); err != nil {
		return nil, err
	}
	p := &Prepared{from: m.From}
	var b bytes.Buffer
	from, _ := m.From.header()
	writeField(&b, "From", from)
	if m.ReplyTo != nil {
		replyTo, _ := m.ReplyTo.header()
		writeField(&b, "Reply-To", replyTo)
	}
	p.head = bytes.Clone(b.Bytes())
	b.Reset()
	writeField(&b, "Subject", encodeText(m.Subject))
	p.subject = bytes.Clone(b.Bytes())
	b.Reset()
	for _, h := range m.Headers {
		writeField(&b, h.Key, encodeText(h.Value))
	}
	writeField(&b, "MIME-Version", "1.0")
	var err error
	if html == nil {
		writeField(&b, "Content-Type", "text/plain; charset=utf-8")
		writeField(&b, "Content-Transfer-Encoding", "quoted-printable")
		b.WriteString("\r\n")
		p.text, err = preparePart(nil, text)
	} else {
		p.boundary = multipart.NewWriter(nil).Boundary()
		writeField(&b, "Content-Type", mime.FormatMediaType("multipart/alternative", map[string]string{"boundary": p.boundary}))
		b.WriteString("\r\n")
		// Least preferred first (RFC 2046 5.1.4), as mime/multipart
		// writes parts: the first boundary line opens the body.
		if p.text, err = preparePart([]byte("--"+p.boundary+"\r\n"+partHeader("text/plain")), text); err == nil {
			p.html, err = preparePart([]byte("\r\n--"+p.boundary+"\r\n"+partHeader("text/html")), html)
		}
	}
	if err != nil {
		return nil, err
	}
	p.shared = bytes.Clone(b.Bytes())
	return p, nil
}

// partHeader is a body part's MIME header and blank line, as
// mime/multipart writes it (keys sorted).
func partHeader(typ string) string {
	return "Content-Transfer-Encoding: quoted-printable\r\nContent-Type: " + typ + "; charset=utf-8\r\n\r\n"
}

// preparePart encodes each segment on its own, ending all but the last
// with a soft line break unless it ends a line already.
func preparePart(head []byte, segs []string) (preparedPart, error) {
	pp := preparedPart{head: head}
	for i, s := range segs {
		var b bytes.Buffer
		if err := writeQP(&b, s); err != nil {
			return pp, err
		}
		if i < len(segs)-1 {
			softBreak(&b)
		}
		pp.segs = append(pp.segs, b.Bytes())
		pp.fixed += b.Len()
	}
	return pp, nil
}

// softBreak ends the line with "=" CRLF unless b is empty or already at a
// line's start.
func softBreak(b *bytes.Buffer) {
	if n := b.Len(); n > 0 && !bytes.HasSuffix(b.Bytes(), []byte("\r\n")) {
		b.WriteString("=\r\n")
	}
}

// Holes reports how many holes the text and HTML bodies have.
func (p *Prepared) Holes() (text, html int) {
	return len(p.text.segs) - 1, max(len(p.html.segs)-1, 0)
}

// Size is about the length of a copy, for sizing buffers.
func (p *Prepared) Size() int {
	return len(p.head) + len(p.subject) + len(p.shared) + len(p.text.head) + p.text.fixed +
		len(p.html.head) + p.html.fixed + len(p.boundary) + 512
}

// Append appends r's copy, a complete RFC 5322 message with CRLF line
// endings, to dst. It returns EINVALID errors as Validate does for r's
// address, headers and texts.
func (p *Prepared) Append(dst []byte, r *Personal) ([]byte, error) {
	if err := p.check(r); err != nil {
		return dst, err
	}
	to, _ := r.To.header()
	date := r.Date
	if date.IsZero() {
		date = time.Now()
	}
	b := bytes.NewBuffer(dst)
	writeField(b, "Date", date.Format(time.RFC1123Z))
	b.Write(p.head)
	writeField(b, "To", to)
	b.Write(p.subject)
	writeField(b, "Message-ID", "<"+r.MessageID+">")
	for _, h := range r.Headers {
		writeField(b, h.Key, encodeText(h.Value))
	}
	b.Write(p.shared)
	if err := p.text.append(b, r.Text); err != nil {
		return dst, err
	}
	if p.boundary == "" {
		if !bytes.HasSuffix(b.Bytes(), []byte("\r\n")) {
			b.WriteString("\r\n")
		}
		return b.Bytes(), nil
	}
	if err := p.html.append(b, r.HTML); err != nil {
		return dst, err
	}
	b.WriteString("\r\n--" + p.boundary + "--\r\n")
	return b.Bytes(), nil
}

// check validates what r adds to the shared parts.
func (p *Prepared) check(r *Personal) error {
	if r.To.Email == "" {
		return errorf("The recipient address is missing.")
	}
	if err := r.To.validate("recipient"); err != nil {
		return err
	}
	if !validMessageID(r.MessageID) {
		return errorf("The Message-ID must look like id@domain, without angle brackets or spaces.")
	}
	for _, h := range r.Headers {
		if !validFieldName(h.Key) {
			return errorf("%q is not a valid header name.", h.Key)
		}
		if reserved[strings.ToLower(h.Key)] {
			return errorf("The %s header is set by Herald and can't be added.", h.Key)
		}
		if err := checkLine("The "+h.Key+" header", h.Value); err != nil {
			return err
		}
	}
	th, hh := p.Holes()
	if len(r.Text) != th || len(r.HTML) != hh {
		return fmt.Errorf("mail: prepared message has %d+%d holes, got %d+%d texts", th, hh, len(r.Text), len(r.HTML))
	}
	for _, s := range r.Text {
		if !utf8.ValidString(s) {
			return errorf("The message body is not valid UTF-8 text.")
		}
	}
	for _, s := range r.HTML {
		if !utf8.ValidString(s) {
			return errorf("The message body is not valid UTF-8 text.")
		}
	}
	return nil
}

// append writes the part with holes filled by fill, each encoded on lines
// of its own.
func (pp *preparedPart) append(b *bytes.Buffer, fill []string) error {
	b.Write(pp.head)
	for i, seg := range pp.segs {
		b.Write(seg)
		if i == len(fill) {
			break
		}
		if fill[i] == "" {
			continue
		}
		start := b.Len()
		if isPlainQP(fill[i]) {
			b.WriteString(fill[i])
		} else if err := writeQP(b, fill[i]); err != nil {
			return err
		}
		if b.Len() > start {
			softBreak(b)
		}
	}
	return nil
}

// isPlainQP reports whether s is its own quoted-printable encoding on one
// line that a soft break ends: printable ASCII but "=", at most 75
// characters (RFC 2045 allows 76 with the "="), not ending in a space.
// Links usually are, and need no encoder.
func isPlainQP(s string) bool {
	if len(s) > 75 || s == "" || s[len(s)-1] == ' ' {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < ' ' || c > '~' || c == '=' {
			return false
		}
	}
	return true
}

// errorf is an EINVALID error for the reader's message.
func errorf(format string, args ...any) error { return herald.Errorf(herald.EINVALID, format, args...) }
