package mail

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/textproto"
	"strings"
	"unicode/utf8"
)

// maxLine is the line length RFC 5322 section 2.1.1 asks for (excluding CRLF).
const maxLine = 78

// maxWord caps an RFC 2047 encoded-word. RFC 2047 allows 75 characters;
// 66 leaves room for "Subject: " or "Reply-To: " on the first line, so
// header lines stay within 78.
const maxWord = 66

// encodeText RFC 2047 encodes s when it is not plain ASCII, as UTF-8
// encoded-words separated by spaces (where writeField may fold). Q encoding
// when s is mostly ASCII (still readable raw), B encoding otherwise
// (shorter). Words end on rune boundaries, as RFC 2047 section 5 requires.
func encodeText(s string) string {
	if isASCII(s) {
		return s
	}
	nonASCII := 0
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			nonASCII++
		}
	}
	useB := nonASCII*3 > len(s)
	prefix := "=?utf-8?q?"
	if useB {
		prefix = "=?utf-8?b?"
	}
	room := maxWord - len(prefix) - len("?=")

	var words []string
	var chunk []byte
	qLen := 0 // Q-encoded length of chunk
	flush := func() {
		if useB {
			words = append(words, prefix+base64.StdEncoding.EncodeToString(chunk)+"?=")
		} else {
			words = append(words, prefix+qEncode(chunk)+"?=")
		}
		chunk, qLen = chunk[:0], 0
	}
	for _, r := range s {
		rb := utf8.AppendRune(nil, r)
		n := base64.StdEncoding.EncodedLen(len(chunk) + len(rb))
		add := 0
		if !useB {
			for _, c := range rb {
				add += qLenByte(c)
			}
			n = qLen + add
		}
		if n > room && len(chunk) > 0 {
			flush()
		}
		chunk = append(chunk, rb...)
		qLen += add
	}
	flush()
	return strings.Join(words, " ")
}

// qEncode writes b in the Q encoding of RFC 2047 section 4.2, as allowed in
// any phrase or unstructured text: letters, digits and a few symbols as is,
// space as "_", everything else as =XX.
func qEncode(b []byte) string {
	var sb strings.Builder
	for _, c := range b {
		switch {
		case c == ' ':
			sb.WriteByte('_')
		case qLenByte(c) == 1:
			sb.WriteByte(c)
		default:
			fmt.Fprintf(&sb, "=%02X", c)
		}
	}
	return sb.String()
}

// qLenByte is the Q-encoded length of c.
func qLenByte(c byte) int {
	if c == ' ' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("!*+-/", c) >= 0 {
		return 1
	}
	return 3
}

// writeField writes "key: value" CRLF, folding at spaces so that lines stay
// within 78 characters where the value allows it. Folding inserts CRLF
// before an existing space, so unfolding restores the value exactly.
func writeField(b *bytes.Buffer, key, value string) {
	line := key + ":"
	n := len(line)
	b.WriteString(line)
	for i, word := range strings.Split(value, " ") {
		// The first word always follows "key:" on the same line; an empty
		// word (from a run of spaces) never starts a line of blanks.
		if i > 0 && word != "" && n+1+len(word) > maxLine && n > len(key)+1 {
			b.WriteString("\r\n")
			n = 0
		}
		b.WriteByte(' ')
		b.WriteString(word)
		n += 1 + len(word)
	}
	b.WriteString("\r\n")
}

// writeBody writes the MIME content headers, the blank line and the body:
// text/plain alone, or multipart/alternative with text and HTML, each
// quoted-printable in UTF-8.
func writeBody(b *bytes.Buffer, text, html string) error {
	if html == "" {
		writeField(b, "Content-Type", "text/plain; charset=utf-8")
		writeField(b, "Content-Transfer-Encoding", "quoted-printable")
		b.WriteString("\r\n")
		if err := writeQP(b, text); err != nil {
			return err
		}
		if !bytes.HasSuffix(b.Bytes(), []byte("\r\n")) {
			b.WriteString("\r\n")
		}
		return nil
	}

	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	writeField(b, "Content-Type", mime.FormatMediaType("multipart/alternative", map[string]string{"boundary": mw.Boundary()}))
	b.WriteString("\r\n")
	// Least preferred first (RFC 2046 5.1.4): clients show the last part
	// they can display.
	for _, p := range []struct{ typ, content string }{{"text/plain", text}, {"text/html", html}} {
		w, err := mw.CreatePart(textproto.MIMEHeader{
			"Content-Type":              {p.typ + "; charset=utf-8"},
			"Content-Transfer-Encoding": {"quoted-printable"},
		})
		if err != nil {
			return fmt.Errorf("mail: create %s part: %w", p.typ, err)
		}
		if err := writeQP(w, p.content); err != nil {
			return err
		}
	}
	if err := mw.Close(); err != nil {
		return fmt.Errorf("mail: close multipart: %w", err)
	}
	b.Write(body.Bytes())
	return nil
}

// writeQP writes s quoted-printable; its line breaks become CRLF, the
// canonical form of text in MIME.
func writeQP(w io.Writer, s string) error {
	qp := quotedprintable.NewWriter(w)
	if _, err := qp.Write([]byte(s)); err != nil {
		return fmt.Errorf("mail: quoted-printable: %w", err)
	}
	if err := qp.Close(); err != nil {
		return fmt.Errorf("mail: quoted-printable: %w", err)
	}
	return nil
}
