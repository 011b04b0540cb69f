package bounce

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"net/textproto"
	"strings"
)

// Bounds on what one report may make the parser do: reports come from
// anyone on the internet.
const (
	maxDepth     = 6         // nested multiparts
	maxParts     = 64        // parts read in all
	maxPartBytes = 1 << 20   // bytes read of one machine-readable part
	maxTextBytes = 256 << 10 // text kept for the malformed-DSN fallback
	maxBlocks    = 100       // per-recipient blocks of one DSN
)

// walker collects the parts of a report that matter.
type walker struct {
	top        textproto.MIMEHeader
	parts      int
	recipients []Recipient
	feedback   *Feedback
	original   Original
	text       bytes.Buffer
}

// walkMessage reads raw as a message and walks its MIME tree.
func walkMessage(raw []byte) (*walker, error) {
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return nil, ErrNotReport
	}
	w := &walker{top: textproto.MIMEHeader(msg.Header)}
	w.walk(w.top, msg.Body, 0)
	return w, nil
}

// walk visits one entity. Errors inside a report only end the walk of
// that part: a report is read for whatever it can tell.
func (w *walker) walk(h textproto.MIMEHeader, body io.Reader, depth int) {
	w.parts++
	if depth > maxDepth || w.parts > maxParts {
		return
	}
	mediaType, params, err := mime.ParseMediaType(h.Get("Content-Type"))
	if err != nil {
		mediaType = "text/plain"
	}
	body = decodeBody(h, body)
	switch {
	case strings.HasPrefix(mediaType, "multipart/"):
		if params["boundary"] == "" {
			return
		}
		mr := multipart.NewReader(body, params["boundary"])
		for w.parts <= maxParts {
			p, err := mr.NextRawPart()
			if err != nil {
				return
			}
			w.walk(p.Header, p, depth+1)
		}
	case mediaType == "message/delivery-status" || mediaType == "message/global-delivery-status":
		w.recipients = append(w.recipients, parseStatusFields(io.LimitReader(body, maxPartBytes))...)
	case mediaType == "message/feedback-report":
		f := parseFeedback(io.LimitReader(body, maxPartBytes))
		w.feedback = &f
	case mediaType == "message/rfc822" || mediaType == "message/global" ||
		mediaType == "text/rfc822-headers" || mediaType == "message/rfc822-headers" || mediaType == "message/global-headers":
		if w.original.MessageID == "" {
			hdr, _ := textproto.NewReader(bufio.NewReader(io.LimitReader(body, maxPartBytes))).ReadMIMEHeader()
			w.original = originalFrom(hdr)
		}
	case strings.HasPrefix(mediaType, "text/"):
		if room := maxTextBytes - w.text.Len(); room > 0 {
			io.Copy(&w.text, io.LimitReader(body, int64(room)))
			w.text.WriteByte('\n')
		}
	}
}

// decodeBody undoes a part's Content-Transfer-Encoding.
func decodeBody(h textproto.MIMEHeader, body io.Reader) io.Reader {
	switch strings.ToLower(strings.TrimSpace(h.Get("Content-Transfer-Encoding"))) {
	case "base64":
		return base64.NewDecoder(base64.StdEncoding, &skipSpace{r: body})
	case "quoted-printable":
		return quotedprintable.NewReader(body)
	}
	return body
}

// skipSpace drops the line breaks and spaces of base64 text.
type skipSpace struct{ r io.Reader }

func (s *skipSpace) Read(p []byte) (int, error) {
	for {
		n, err := s.r.Read(p)
		k := 0
		for _, c := range p[:n] {
			if c != '\r' && c != '\n' && c != ' ' && c != '\t' {
				p[k] = c
				k++
			}
		}
		if k > 0 || err != nil {
			return k, err
		}
	}
}

// fieldBlocks reads groups of header fields separated by blank lines, as
// delivery-status and feedback-report parts are written.
func fieldBlocks(r io.Reader) []textproto.MIMEHeader {
	tr := textproto.NewReader(bufio.NewReader(r))
	var blocks []textproto.MIMEHeader
	for len(blocks) < maxBlocks+1 {
		h, err := tr.ReadMIMEHeader()
		if len(h) > 0 {
			blocks = append(blocks, h)
		}
		if err != nil {
			break
		}
	}
	return blocks
}

// parseStatusFields reads a delivery-status body: the per-message block,
// then one block per recipient.
func parseStatusFields(r io.Reader) []Recipient {
	var out []Recipient
	for _, h := range fieldBlocks(r) {
		if h.Get("Final-Recipient") == "" && h.Get("Original-Recipient") == "" && h.Get("Status") == "" && h.Get("Action") == "" {
			continue // the per-message block
		}
		rc := Recipient{
			Final:      typedValue(h.Get("Final-Recipient")),
			Original:   typedValue(h.Get("Original-Recipient")),
			Action:     strings.ToLower(strings.TrimSpace(h.Get("Action"))),
			Status:     strings.TrimSpace(h.Get("Status")),
			Diagnostic: typedValue(h.Get("Diagnostic-Code")),
			RemoteMTA:  typedValue(h.Get("Remote-Mta")),
		}
		rc.Code = statusOf(rc.Status, rc.Diagnostic)
		out = append(out, rc)
	}
	return out
}

// parseFeedback reads a feedback-report body.
func parseFeedback(r io.Reader) Feedback {
	var f Feedback
	for _, h := range fieldBlocks(r) {
		f.Type = cmpOr(f.Type, strings.ToLower(strings.TrimSpace(h.Get("Feedback-Type"))))
		f.UserAgent = cmpOr(f.UserAgent, strings.TrimSpace(h.Get("User-Agent")))
		f.Version = cmpOr(f.Version, strings.TrimSpace(h.Get("Version")))
		f.OriginalMailFrom = cmpOr(f.OriginalMailFrom, strings.Trim(strings.TrimSpace(h.Get("Original-Mail-From")), "<>"))
		for _, to := range h.Values("Original-Rcpt-To") {
			f.OriginalRcptTo = append(f.OriginalRcptTo, strings.Trim(strings.TrimSpace(to), "<>"))
		}
		f.ArrivalDate = cmpOr(f.ArrivalDate, strings.TrimSpace(h.Get("Arrival-Date")))
		f.ReportedDomain = cmpOr(f.ReportedDomain, strings.TrimSpace(h.Get("Reported-Domain")))
		f.SourceIP = cmpOr(f.SourceIP, strings.TrimSpace(h.Get("Source-Ip")))
	}
	return f
}

// typedValue strips the type of a typed field ("rfc822; ann@example.com",
// "smtp; 550 5.1.1 …") and the angle brackets of an address.
func typedValue(v string) string {
	if _, rest, ok := strings.Cut(v, ";"); ok {
		v = rest
	}
	v = strings.Join(strings.Fields(v), " ")
	if strings.HasPrefix(v, "<") && strings.HasSuffix(v, ">") && !strings.Contains(v, " ") {
		v = v[1 : len(v)-1]
	}
	return v
}

// decodeHeader decodes RFC 2047 words, keeping the raw text when it can't.
func decodeHeader(v string) string {
	if d, err := new(mime.WordDecoder).DecodeHeader(v); err == nil {
		return d
	}
	return v
}
