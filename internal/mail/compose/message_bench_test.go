package compose

import (
	"strings"
	"sync"
	"testing"

	"github.com/herald-news/herald"
)

func TestMessageSize(t *testing.T) {
	size := func(ed *herald.Edition) (html, total int) {
		msg := MustRender(t, ed).Message(testRecipient(1), now)
		raw, err := msg.Bytes()
		if err != nil {
			t.Fatal(err)
		}
		return len(msg.HTML), len(raw)
	}
	if html, total := size(bigEdition(3)); html < 9_000 || html > 12_000 || total < 8_000 || total > 20_000 {
		t.Errorf("a ~10 KB edition (HTML %d bytes) makes a %d-byte message, want 8–20 KB", html, total)
	}
	// Gmail clips messages over 102 KB; a long edition stays far below.
	if _, total := size(bigEdition(9)); total > 50_000 {
		t.Errorf("a 1,400-word edition makes a %d-byte message, want under 50 KB", total)
	}
}

func TestMessageIsSafeForConcurrentUse(t *testing.T) {
	m := MustRender(t, testEdition())
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			r := testRecipient(int64(i))
			if msg := m.Message(r, now); !strings.Contains(msg.Text, r.UnsubscribeURL) {
				t.Errorf("reader %d: text lacks their link", i)
			}
		})
	}
	wg.Wait()
}

func BenchmarkMessage(b *testing.B) {
	m := MustRender(b, bigEdition(3))
	r := testRecipient(1)
	b.ReportAllocs()
	for b.Loop() {
		_ = m.Message(r, now)
	}
}

func BenchmarkMessageBytes(b *testing.B) {
	m := MustRender(b, bigEdition(3))
	r := testRecipient(1)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := m.Message(r, now).Bytes(); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkRender(b *testing.B) {
	site, ed := testSite(), bigEdition(3)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Render(site, ed, testOptions); err != nil {
			b.Fatal(err)
		}
	}
}

func TestAppendMessageReadsLikeMessage(t *testing.T) {
	for _, ed := range []*herald.Edition{testEdition(), bigEdition(3)} {
		m := MustRender(t, ed)
		for i := range int64(3) {
			r := testRecipient(i)
			if i == 2 {
				r.UnsubscribeURL += "?a=1&b=" + strings.Repeat("long", 30) // escaped in HTML, encoded in QP
			}
			raw, err := m.AppendMessage(nil, r, now)
			if err != nil {
				t.Fatal(err)
			}
			got, want := mustParse(t, raw), mustMessage(t, m, r, now)
			if got.text != want.text || got.html != want.html {
				t.Errorf("reader %d: the bodies differ from Message's", i)
			}
			for k, v := range want.header {
				if k != "Content-Type" && strings.Join(got.header[k], "|") != strings.Join(v, "|") {
					t.Errorf("reader %d: %s = %q, want %q", i, k, got.header[k], v)
				}
			}
			if len(got.header) != len(want.header) {
				t.Errorf("reader %d: %d header fields, want %d", i, len(got.header), len(want.header))
			}
		}
	}
}

func BenchmarkAppendMessage(b *testing.B) {
	m := MustRender(b, bigEdition(3))
	r := testRecipient(1)
	buf := make([]byte, 0, m.SizeHint())
	b.ReportAllocs()
	for b.Loop() {
		var err error
		if buf, err = m.AppendMessage(buf[:0], r, now); err != nil {
			b.Fatal(err)
		}
	}
}
