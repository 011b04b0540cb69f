package mail

import (
	"bytes"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"strings"
	"testing"
	"time"
)

// newsletter returns a message that exercises every encoding path.
func newsletter() *Message {
	return &Message{
		From:      Address{Name: "Herald Morning Brief", Email: "news@herald.example"},
		To:        Address{Name: "Zoë Müller", Email: "zoe@bücher.example"},
		ReplyTo:   &Address{Name: "Desk, The", Email: "desk@herald.example"},
		Subject:   "Ça va? Tampa’s streetcar stays free — and what that means for the 2026 budget",
		Date:      time.Date(2026, 3, 4, 7, 30, 0, 0, time.UTC),
		MessageID: "edition-42.reader-7@herald.example",
		Headers: []Header{
			{"List-Unsubscribe", "<https://herald.example/unsubscribe?t=abc>, <mailto:unsubscribe@herald.example?subject=u-abc>"},
			{"List-Unsubscribe-Post", "List-Unsubscribe=One-Click"},
			{"List-Id", "Morning Brief <morning.herald.example>"},
		},
		Text: "Good morning,\n\nThe streetcar stays free. Read more: https://herald.example/2026/03/04/streetcar\n" +
			strings.Repeat("A long line with trailing space and unicode ☕ ", 6) + " \n=equals= at the start\n.a line with a dot",
		HTML: `<p>Good morning,</p><p>The streetcar stays <b>free</b>. <a href="https://herald.example/2026/03/04/streetcar?utm=x&amp;y=z">Read more</a> ☕</p>`,
	}
}

func mustParse(t *testing.T, raw []byte) *mail.Message {
	t.Helper()
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("ReadMessage: %v\n%s", err, raw)
	}
	return msg
}

// crlf turns text into the canonical MIME form the decoder gives back.
func crlf(s string) string { return strings.ReplaceAll(s, "\n", "\r\n") }

func TestBytesRoundTripsHeadersAndBothParts(t *testing.T) {
	m := newsletter()
	raw, err := m.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	msg := mustParse(t, raw)
	h := msg.Header

	var dec mime.WordDecoder
	if got, err := dec.DecodeHeader(h.Get("Subject")); err != nil || got != m.Subject {
		t.Errorf("Subject decodes to %q (%v), want %q", got, err, m.Subject)
	}
	if got := h.Get("MIME-Version"); got != "1.0" {
		t.Errorf("MIME-Version = %q", got)
	}
	if got, err := h.Date(); err != nil || !got.Equal(m.Date) {
		t.Errorf("Date = %v (%v), want %v", got, err, m.Date)
	}
	if got := h.Get("Message-ID"); got != "<edition-42.reader-7@herald.example>" {
		t.Errorf("Message-ID = %q", got)
	}
	to, err := mail.ParseAddress(h.Get("To"))
	if err != nil || to.Name != "Zoë Müller" || to.Address != "zoe@xn--bcher-kva.example" {
		t.Errorf("To = %+v (%v), want the decoded name and a punycode domain", to, err)
	}
	replyTo, err := mail.ParseAddress(h.Get("Reply-To"))
	if err != nil || replyTo.Name != "Desk, The" {
		t.Errorf("Reply-To = %+v (%v)", replyTo, err)
	}
	if got := h.Get("List-Unsubscribe-Post"); got != "List-Unsubscribe=One-Click" {
		t.Errorf("List-Unsubscribe-Post = %q", got)
	}
	if got := h.Get("List-Unsubscribe"); got != m.Headers[0].Value {
		t.Errorf("List-Unsubscribe = %q, want %q", got, m.Headers[0].Value)
	}

	mediaType, params, err := mime.ParseMediaType(h.Get("Content-Type"))
	if err != nil || mediaType != "multipart/alternative" {
		t.Fatalf("Content-Type = %q (%v)", h.Get("Content-Type"), err)
	}
	mr := multipart.NewReader(msg.Body, params["boundary"])
	for _, want := range []struct{ typ, body string }{{"text/plain", m.Text}, {"text/html", m.HTML}} {
		p, err := mr.NextRawPart()
		if err != nil {
			t.Fatalf("%s part: %v", want.typ, err)
		}
		if got := p.Header.Get("Content-Type"); got != want.typ+"; charset=utf-8" {
			t.Errorf("part Content-Type = %q", got)
		}
		if got := p.Header.Get("Content-Transfer-Encoding"); got != "quoted-printable" {
			t.Errorf("part Content-Transfer-Encoding = %q", got)
		}
		body, err := io.ReadAll(quotedprintable.NewReader(p))
		if err != nil {
			t.Fatal(err)
		}
		if string(body) != crlf(want.body) {
			t.Errorf("%s part decodes to\n%q\nwant\n%q", want.typ, body, crlf(want.body))
		}
	}
	if _, err := mr.NextRawPart(); err != io.EOF {
		t.Errorf("after two parts: %v, want io.EOF", err)
	}
}

func TestBytesWritesShortCRLFLinesInFixedOrder(t *testing.T) {
	raw, err := newsletter().Bytes()
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(bytes.ReplaceAll(raw, []byte("\r\n"), nil), []byte("\n")) {
		t.Error("message has a bare LF")
	}
	if !bytes.HasSuffix(raw, []byte("\r\n")) {
		t.Error("message does not end with CRLF")
	}
	for _, line := range strings.Split(string(raw), "\r\n") {
		if len(line) > 78 {
			t.Errorf("line of %d characters: %q", len(line), line)
		}
	}
	head, _, _ := strings.Cut(string(raw), "\r\n\r\n")
	var order []string
	for _, line := range strings.Split(head, "\r\n") {
		if k, _, ok := strings.Cut(line, ":"); ok && !strings.HasPrefix(line, " ") {
			order = append(order, k)
		}
	}
	want := "Date From Reply-To To Subject Message-ID List-Unsubscribe List-Unsubscribe-Post List-Id MIME-Version Content-Type"
	if got := strings.Join(order, " "); got != want {
		t.Errorf("header order\n%s\nwant\n%s", got, want)
	}
}

func TestBytesWithoutHTMLIsTextPlain(t *testing.T) {
	m := &Message{
		From: Address{Email: "news@herald.example"}, To: Address{Email: "ann@example.com"},
		Subject: "Confirm your subscription", Text: "Click https://herald.example/confirm?t=1 to confirm.",
	}
	raw, err := m.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	msg := mustParse(t, raw)
	if got := msg.Header.Get("Content-Type"); got != "text/plain; charset=utf-8" {
		t.Errorf("Content-Type = %q", got)
	}
	body, _ := io.ReadAll(quotedprintable.NewReader(msg.Body))
	if string(body) != m.Text+"\r\n" {
		t.Errorf("body = %q", body)
	}
	if got := msg.Header.Get("From"); got != "<news@herald.example>" {
		t.Errorf("From = %q", got)
	}
	if _, err := msg.Header.Date(); err != nil {
		t.Errorf("zero Date should become the time of Bytes: %v", err)
	}
}

func TestBytesGeneratesUniqueMessageIDOnSenderDomain(t *testing.T) {
	m := newsletter()
	m.MessageID = ""
	m.From.Email = "news@bücher.example"
	seen := map[string]bool{}
	for range 3 {
		raw, err := m.Bytes()
		if err != nil {
			t.Fatal(err)
		}
		id := mustParse(t, raw).Header.Get("Message-ID")
		if !strings.HasPrefix(id, "<") || !strings.HasSuffix(id, "@xn--bcher-kva.example>") {
			t.Errorf("Message-ID = %q, want <random@xn--bcher-kva.example>", id)
		}
		if seen[id] {
			t.Errorf("Message-ID %q repeated", id)
		}
		seen[id] = true
	}
	if m.MessageID != "" {
		t.Error("Bytes modified the message")
	}
}

func TestBytesKeepsUTF8LocalPart(t *testing.T) {
	m := newsletter()
	m.To = Address{Name: "Zoë", Email: "zoë@bücher.example"}
	if !m.NeedsSMTPUTF8() {
		t.Fatal("NeedsSMTPUTF8 = false for a UTF-8 local part")
	}
	raw, err := m.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(raw, []byte("<zoë@xn--bcher-kva.example>")) {
		t.Errorf("To header lost the UTF-8 local part:\n%s", raw)
	}
}

func TestSubjectAndNamesDecodeToUnicodeWithShortLines(t *testing.T) {
	for _, s := range []string{
		"Plain ASCII subject that is rather long and must be folded somewhere around here, twice over perhaps",
		"東京の路面電車は無料のまま、そして来年度予算にとって何を意味するのか。東京の路面電車は無料のまま",
		"Emoji 🚋🚋🚋 between words 🗞️ and ümlauts everywhere: äöü ÄÖÜ ß — fin",
		"é",
		"  leading and  double  spaces ☕ ",
	} {
		m := newsletter()
		m.Subject = s
		m.From.Name = s
		raw, err := m.Bytes()
		if err != nil {
			t.Fatal(err)
		}
		for _, line := range strings.Split(string(raw), "\r\n") {
			if len(line) > 78 {
				t.Errorf("line of %d characters: %q", len(line), line)
			}
		}
		h := mustParse(t, raw).Header
		var dec mime.WordDecoder
		if got, err := dec.DecodeHeader(h.Get("Subject")); err != nil || strings.TrimSpace(got) != strings.TrimSpace(s) {
			t.Errorf("Subject decodes to %q (%v), want %q", got, err, s)
		}
		from, err := (&mail.AddressParser{WordDecoder: &dec}).Parse(h.Get("From"))
		if err != nil || strings.TrimSpace(from.Name) != strings.TrimSpace(s) {
			t.Errorf("From name decodes to %+v (%v), want %q", from, err, s)
		}
	}
}
