package mail

import (
	"testing"

	"github.com/herald-news/herald"
)

func TestValidateRefusesInjectionAndMissingFields(t *testing.T) {
	tests := []struct {
		name   string
		modify func(m *Message)
	}{
		{"subject with CRLF", func(m *Message) { m.Subject = "Hi\r\nBcc: evil@x" }},
		{"subject with bare LF", func(m *Message) { m.Subject = "Hi\nBcc: evil@x" }},
		{"subject with NUL", func(m *Message) { m.Subject = "Hi\x00" }},
		{"header value with CRLF", func(m *Message) { m.Headers = []Header{{"List-Id", "x\r\nBcc: evil@x"}} }},
		{"header value with bare CR", func(m *Message) { m.Headers = []Header{{"List-Id", "x\rBcc: evil@x"}} }},
		{"header name with CRLF", func(m *Message) { m.Headers = []Header{{"X-A\r\nBcc", "evil@x"}} }},
		{"header name with NUL", func(m *Message) { m.Headers = []Header{{"X-A\x00", "v"}} }},
		{"header name with space", func(m *Message) { m.Headers = []Header{{"X Bad", "v"}} }},
		{"header name with colon", func(m *Message) { m.Headers = []Header{{"X-Bad:", "v"}} }},
		{"empty header name", func(m *Message) { m.Headers = []Header{{"", "v"}} }},
		{"non-ASCII header name", func(m *Message) { m.Headers = []Header{{"X-Zoë", "v"}} }},
		{"Bcc header", func(m *Message) { m.Headers = []Header{{"Bcc", "evil@x.example"}} }},
		{"second From header", func(m *Message) { m.Headers = []Header{{"from", "evil@x.example"}} }},
		{"from name with LF", func(m *Message) { m.From.Name = "Herald\nBcc: evil@x" }},
		{"to name with CR", func(m *Message) { m.To.Name = "Ann\rBcc: evil@x" }},
		{"to address with CRLF", func(m *Message) { m.To.Email = "ann@example.com\r\nBcc: evil@x" }},
		{"from address with NUL", func(m *Message) { m.From.Email = "news@herald.example\x00" }},
		{"reply-to with LF", func(m *Message) { m.ReplyTo = &Address{Email: "a@b.example\nBcc: evil@x"} }},
		{"message id with CRLF", func(m *Message) { m.MessageID = "a@b\r\nBcc: evil@x" }},
		{"message id in brackets", func(m *Message) { m.MessageID = "<a@b.example>" }},
		{"message id without at", func(m *Message) { m.MessageID = "abc" }},
		{"to address with angle bracket", func(m *Message) { m.To.Email = "ann@example.com>, evil@x.example" }},
		{"to address with space", func(m *Message) { m.To.Email = "ann smith@example.com" }},
		{"to address without domain", func(m *Message) { m.To.Email = "ann@" }},
		{"to address without at", func(m *Message) { m.To.Email = "ann.example.com" }},
		{"to domain with underscore", func(m *Message) { m.To.Email = "ann@ex_ample.com" }},
		{"missing from", func(m *Message) { m.From = Address{} }},
		{"missing to", func(m *Message) { m.To = Address{} }},
		{"missing subject", func(m *Message) { m.Subject = " " }},
		{"missing text", func(m *Message) { m.Text = "" }},
		{"text not UTF-8", func(m *Message) { m.Text = "caf\xe9" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := newsletter()
			tt.modify(m)
			err := m.Validate()
			if code := herald.ErrorCode(err); code != herald.EINVALID {
				t.Fatalf("Validate() = %v, want an EINVALID error", err)
			}
			if msg := herald.ErrorMessage(err); msg == "" {
				t.Error("no safe message")
			}
			if raw, err := m.Bytes(); herald.ErrorCode(err) != herald.EINVALID || raw != nil {
				t.Errorf("Bytes() = %d bytes, %v; want nil and EINVALID", len(raw), err)
			}
		})
	}
}

func TestValidateAcceptsUsualAddresses(t *testing.T) {
	for _, email := range []string{
		"ann@example.com", "ann.lee+news@mail.example.co.uk", "o'brien@example.ie",
		"zoë@bücher.example", "用户@例子.广告", "a@localhost",
	} {
		m := newsletter()
		m.To.Email = email
		if err := m.Validate(); err != nil {
			t.Errorf("Validate(%q) = %v", email, err)
		}
	}
}

func TestNeedsSMTPUTF8OnlyForUTF8LocalParts(t *testing.T) {
	tests := []struct {
		from, to string
		replyTo  string
		want     bool
	}{
		{"news@herald.example", "ann@example.com", "", false},
		{"news@herald.example", "ann@bücher.example", "", false},
		{"news@herald.example", "zoë@example.com", "", true},
		{"rédaction@herald.example", "ann@example.com", "", true},
		{"news@herald.example", "ann@example.com", "zoë@example.com", true},
	}
	for _, tt := range tests {
		m := &Message{From: Address{Email: tt.from}, To: Address{Name: "Zoë", Email: tt.to}}
		if tt.replyTo != "" {
			m.ReplyTo = &Address{Email: tt.replyTo}
		}
		if got := m.NeedsSMTPUTF8(); got != tt.want {
			t.Errorf("NeedsSMTPUTF8(%s → %s, reply-to %q) = %v, want %v", tt.from, tt.to, tt.replyTo, got, tt.want)
		}
	}
}

func TestEnvelopeConvertsDomainToPunycode(t *testing.T) {
	got, err := Address{Name: "Zoë", Email: "zoë@Bücher.example"}.Envelope()
	if err != nil || got != "zoë@xn--bcher-kva.example" {
		t.Errorf("Envelope() = %q, %v", got, err)
	}
	if _, err := (Address{Email: "not an address"}).Envelope(); err == nil {
		t.Error("Envelope accepted an invalid address")
	}
}
