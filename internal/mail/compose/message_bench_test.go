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
