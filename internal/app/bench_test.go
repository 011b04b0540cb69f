package app_test

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/internal/mail/compose"
	"github.com/herald-news/herald/internal/mail/smtptest"
	"github.com/herald-news/herald/internal/subscriberio"
)

// BenchmarkSendEdition sends one edition of ~10 KB personalised messages
// to HERALD_BENCH_RECIPIENTS readers (default 100,000) through a discarding
// relay on loopback, then pushes the same number of copies of one rendered
// message to the same kind of relay with a bare go-smtp client on as many
// connections: the baseline. Run it once:
//
//	go test -run '^$' -bench SendEdition -benchtime 1x ./internal/app/
func BenchmarkSendEdition(b *testing.B) {
	n := 100_000
	if v, err := strconv.Atoi(os.Getenv("HERALD_BENCH_RECIPIENTS")); err == nil && v > 0 {
		n = v
	}
	const conns = 4
	for b.Loop() {
		relay := &smtptest.Relay{Discard: true}
		h := sendingHarness(b, relay, "-smtp-connections", strconv.Itoa(conns), "-log-level", "error")
		mustBenchReaders(b, h, n)
		ed := h.mustEditionOfSize(10 << 10)
		start := time.Now()
		if _, err := h.app.SendNow(context.Background(), ed.ID); err != nil {
			b.Fatal(err)
		}
		ledger := time.Since(start)
		sendStart := time.Now()
		h.waitSent(ed.ID, 30*time.Minute)
		sending := time.Since(sendStart)
		if relay.Count() != n {
			b.Fatalf("relay accepted %d of %d", relay.Count(), n)
		}

		sample := h.sampleMessage(ed)
		bare := &smtptest.Relay{Discard: true}
		addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(smtptest.MustStart(b, bare, nil)))
		baseline, err := smtptest.BareSend(addr, conns, n, "am@herald.example", "reader@example.com", sample)
		if err != nil {
			b.Fatal(err)
		}
		rate, bareRate := float64(n)/sending.Seconds(), float64(n)/baseline.Seconds()
		b.ReportMetric(rate, "msgs/s")
		b.ReportMetric(bareRate, "bare-msgs/s")
		b.ReportMetric(rate/bareRate, "ratio")
		b.ReportMetric(ledger.Seconds(), "ledger-s")
		b.ReportMetric(float64(len(sample))/1024, "msg-KB")
		b.ReportMetric(peakRSSMB(), "peak-RSS-MB")
	}
}

// mustBenchReaders imports n active readers of AM.
func mustBenchReaders(b *testing.B, h *harness, n int) {
	b.Helper()
	sink := h.app.Subscribers.ImportSink(h.am.ID, true, "bench")
	rows := make([]subscriberio.Row, 0, 1000)
	for i := range n {
		rows = append(rows, subscriberio.Row{Line: i + 2, Email: fmt.Sprintf("reader%07d@example.com", i)})
		if len(rows) == cap(rows) || i == n-1 {
			if _, err := sink.ImportRows(context.Background(), rows); err != nil {
				b.Fatal(err)
			}
			rows = rows[:0]
		}
	}
}

// mustEditionOfSize stores an edition of AM whose rendered message is
// about size bytes.
func (h *harness) mustEditionOfSize(size int) *herald.Edition {
	h.t.Helper()
	para := "The council voted on Tuesday to widen the bike network, and the mayor said work starts in spring. "
	ed := &herald.Edition{NewsletterID: h.am.ID, Newsletter: h.am, Date: time.Now().UTC().Truncate(24 * time.Hour),
		Subject: "Bench edition", Preheader: "Five things to know.",
		Opening: herald.EditionItem{Headline: "1 big thing", Body: "**Why it matters:** " + strings.Repeat(para, 3)}}
	for i := 0; i < 6; i++ {
		ed.Items = append(ed.Items, herald.EditionItem{Headline: fmt.Sprintf("Item %d", i+1),
			Body: "**The big picture:** " + strings.Repeat(para, 1+size/6000), URL: h.srv.URL + "/story"})
	}
	if err := h.app.Editions.CreateEdition(context.Background(), ed); err != nil {
		h.t.Fatal(err)
	}
	return ed
}

// sampleMessage renders one reader's copy, as the sender would.
func (h *harness) sampleMessage(ed *herald.Edition) []byte {
	h.t.Helper()
	site, err := h.app.Site.Site(context.Background())
	if err != nil {
		h.t.Fatal(err)
	}
	ed, err = h.app.Editions.FindEdition(context.Background(), ed.ID)
	if err != nil {
		h.t.Fatal(err)
	}
	m, err := compose.Render(site, ed, h.app.ComposeOptions)
	if err != nil {
		h.t.Fatal(err)
	}
	// The bytes the sender writes (AppendMessage, not Message().Bytes(),
	// whose soft line breaks fall elsewhere).
	data, err := m.AppendMessage(nil, compose.Recipient{SubscriberID: 1, Email: "reader@example.com",
		UnsubscribeURL: h.app.Subscribe.UnsubscribeURL(1, "0f1e2d3c4b", ed.NewsletterID),
		PreferencesURL: h.app.Subscribe.PreferencesURL(1, "0f1e2d3c4b", ed.NewsletterID)}, time.Now())
	if err != nil {
		h.t.Fatal(err)
	}
	return data
}

// peakRSSMB is this process's peak resident set (VmHWM) in MB.
func peakRSSMB() float64 {
	status, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range bytes.Split(status, []byte("\n")) {
		if rest, ok := bytes.CutPrefix(line, []byte("VmHWM:")); ok {
			kb, _ := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(string(rest), "kB")))
			return float64(kb) / 1024
		}
	}
	return 0
}
