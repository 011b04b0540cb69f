package mail

import (
	"bytes"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"strings"
	"testing"
)

// decodedParts returns a message's headers and its parts decoded, in order.
func decodedParts(t *testing.T, raw []byte) (map[string][]string, []string) {
	t.Helper()
	msg := mustParse(t, raw)
	mediaType, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if err != nil {
		t.Fatalf("Content-Type: %v", err)
	}
	if mediaType != "multipart/alternative" {
		b, err := io.ReadAll(quotedprintable.NewReader(msg.Body))
		if err != nil {
			t.Fatal(err)
		}
		return msg.Header, []string{string(b)}
	}
	var parts []string
	mr := multipart.NewReader(msg.Body, params["boundary"])
	for {
		p, err := mr.NextPart() // decodes quoted-printable
		if err == io.EOF {
			break
		} else if err != nil {
			t.Fatalf("NextPart: %v", err)
		}
		b, err := io.ReadAll(p)
		if err != nil {
			t.Fatal(err)
		}
		parts = append(parts, p.Header.Get("Content-Type")+"\n"+string(b))
	}
	return msg.Header, parts
}

func TestPreparedCopyDecodesLikeBytes(t *testing.T) {
	fills := [][]string{
		{"https://herald.example/u/abc", "https://herald.example/p/abc"},
		{"https://herald.example/unsubscribe/" + strings.Repeat("tok3n-", 20) + "?a=b&c=d", ""},
		{"trailing space ", "Zoë ☕ =3D not an escape\nwith a line break"},
	}
	for _, withHTML := range []bool{true, false} {
		for i, fill := range fills {
			m := newsletter()
			text := []string{m.Text[:40], m.Text[40:100] + " ", strings.Repeat("x", 150) + m.Text[100:]}
			var html []string
			if withHTML {
				html = []string{m.HTML[:30], m.HTML[30:], ""}
			} else {
				m.HTML = ""
			}
			shared := *m
			shared.Headers = m.Headers[1:]
			p, err := Prepare(&shared, text, html)
			if err != nil {
				t.Fatal(err)
			}
			got, err := p.Append([]byte("kept"), &Personal{To: m.To, Date: m.Date, MessageID: m.MessageID,
				Headers: m.Headers[:1], Text: fill, HTML: fill[:len(html)-min(len(html), 1)]})
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.HasPrefix(got, []byte("kept")) {
				t.Fatal("Append dropped what dst held")
			}
			got = got[len("kept"):]

			m.Text = text[0] + fill[0] + text[1] + fill[1] + text[2]
			if withHTML {
				m.HTML = html[0] + fill[0] + html[1] + fill[1] + html[2]
			}
			want, err := m.Bytes()
			if err != nil {
				t.Fatal(err)
			}
			gh, gp := decodedParts(t, got)
			wh, wp := decodedParts(t, want)
			for k, v := range wh {
				if k != "Content-Type" && strings.Join(gh[k], "|") != strings.Join(v, "|") {
					t.Errorf("case %d html=%v: %s = %q, want %q", i, withHTML, k, gh[k], v)
				}
			}
			if len(gh) != len(wh) {
				t.Errorf("case %d html=%v: %d headers, want %d", i, withHTML, len(gh), len(wh))
			}
			if strings.Join(gp, "\n--\n") != strings.Join(wp, "\n--\n") {
				t.Errorf("case %d html=%v: parts decode to\n%q\nwant\n%q", i, withHTML, gp, wp)
			}
			if bytes.Contains(bytes.ReplaceAll(got, []byte("\r\n"), nil), []byte("\n")) || !bytes.HasSuffix(got, []byte("\r\n")) {
				t.Errorf("case %d html=%v: bare LF or no final CRLF", i, withHTML)
			}
			for _, line := range strings.Split(string(got), "\r\n") {
				if len(line) > 78 {
					t.Errorf("case %d html=%v: line of %d characters: %q", i, withHTML, len(line), line)
				}
			}
		}
	}
}

func TestPreparedRefusesWhatBytesRefuses(t *testing.T) {
	m := newsletter()
	p, err := Prepare(m, []string{"a", "b"}, []string{"<p>a", "b</p>"})
	if err != nil {
		t.Fatal(err)
	}
	ok := Personal{To: Address{Email: "reader@example.com"}, MessageID: "id@herald.example", Text: []string{"x"}, HTML: []string{"y"}}
	for name, bad := range map[string]func(r *Personal){
		"no recipient":     func(r *Personal) { r.To = Address{} },
		"bad recipient":    func(r *Personal) { r.To.Email = "reader@" },
		"injected header":  func(r *Personal) { r.Headers = []Header{{"X-Note", "a\r\nBcc: x@example.com"}} },
		"reserved header":  func(r *Personal) { r.Headers = []Header{{"Bcc", "x@example.com"}} },
		"bad Message-ID":   func(r *Personal) { r.MessageID = "<id@x>" },
		"holes unfilled":   func(r *Personal) { r.Text = nil },
		"text not UTF-8":   func(r *Personal) { r.Text = []string{"\xff"} },
		"html not UTF-8":   func(r *Personal) { r.HTML = []string{"\xff"} },
		"name with breaks": func(r *Personal) { r.To.Name = "A\nB" },
	} {
		r := ok
		bad(&r)
		if _, err := p.Append(nil, &r); err == nil {
			t.Errorf("%s: Append accepted it", name)
		}
	}
	if _, err := p.Append(nil, &ok); err != nil {
		t.Errorf("a good reader: %v", err)
	}
	if _, err := Prepare(&Message{From: m.From, Subject: "s"}, []string{""}, nil); err == nil {
		t.Error("Prepare accepted an empty body")
	}
}

func BenchmarkPreparedAppend(b *testing.B) {
	m := newsletter()
	body := strings.Repeat(m.Text, 40)
	p, err := Prepare(m, []string{body[:len(body)/2], body[len(body)/2:]}, []string{strings.Repeat(m.HTML, 40), ""})
	if err != nil {
		b.Fatal(err)
	}
	r := &Personal{To: m.To, MessageID: m.MessageID, Headers: m.Headers[:1],
		Text: []string{"https://herald.example/u/abc"}, HTML: []string{"https://herald.example/u/abc"}}
	var buf []byte
	b.ReportAllocs()
	for b.Loop() {
		if buf, err = p.Append(buf[:0], r); err != nil {
			b.Fatal(err)
		}
	}
}
