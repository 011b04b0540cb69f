package delivery

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/internal/mail/compose"
	"github.com/herald-news/herald/internal/mail/smtpmail"
	"github.com/herald-news/herald/internal/mail/smtptest"
)

// recordingStore is the part of the ledger a worker uses: every reader is
// eligible, and recording fails for good after okRecords outcomes.
type recordingStore struct {
	Store     // the rest is not used by a worker
	mu        sync.Mutex
	okRecords int
	recorded  []int64
}

func (s *recordingStore) Eligible(context.Context, int64, int64, string) (bool, string, error) {
	return true, "", nil
}

func (s *recordingStore) Record(_ context.Context, _ string, outcomes []herald.SendOutcome) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.recorded)+len(outcomes) > s.okRecords {
		return errors.New("disk full")
	}
	for _, o := range outcomes {
		s.recorded = append(s.recorded, o.SendID)
	}
	return nil
}

type plainLinks struct{}

func (plainLinks) UnsubscribeURL(sub int64, key string, nl int64) string {
	return fmt.Sprintf("https://news.example/u/%d/%s/%d", sub, key, nl)
}
func (plainLinks) PreferencesURL(sub int64, key string, nl int64) string {
	return fmt.Sprintf("https://news.example/p/%d/%s/%d", sub, key, nl)
}

// A worker sends message k+1's envelope while k's outcome is being
// recorded, but never its data: when the record fails, the relay has
// every message up to k and nothing after it, and the rows from k on
// stay held.
func TestWorkerSendsNoDataAfterAnOutcomeItCouldNotRecord(t *testing.T) {
	relay := &smtptest.Relay{}
	pool, err := smtpmail.NewPool(smtpmail.PoolConfig{Config: smtpmail.Config{Host: "127.0.0.1",
		Port: smtptest.MustStart(t, relay, nil), Timeout: 5 * time.Second}, Connections: 1})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pool.Close(context.Background()) })
	nl := &herald.Newsletter{ID: 3, Slug: "am", Name: "AM", TimeZone: "UTC", FromName: "AM", FromEmail: "am@news.example"}
	ed := &herald.Edition{ID: 1, NewsletterID: nl.ID, Newsletter: nl, Date: time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC),
		Subject: "Morning", StartedAt: time.Now(), Opening: herald.EditionItem{Headline: "Hello", Body: "Good morning."}}
	mailer, err := compose.Render(&herald.Site{Name: "Herald", Language: "en-US", PostalAddress: "1 Main St"}, ed,
		compose.Options{BaseURL: "https://news.example", ListIDDomain: "news.example"})
	if err != nil {
		t.Fatal(err)
	}
	store := &recordingStore{okRecords: 3}
	s := &Sender{Store: store, Relay: pool, Links: plainLinks{}, Clock: herald.SystemClock{},
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Policy: DefaultPolicy, Node: "n", Connections: 1,
		Drain: 5 * time.Second}

	rec := newRecorder(s)
	recorded := make(chan struct{})
	go func() {
		defer close(recorded)
		rec.run()
	}()
	held := newHeldSet()
	claims := make(chan herald.SendClaim, 10)
	for i := int64(1); i <= 10; i++ {
		held.add(i)
		claims <- herald.SendClaim{SendID: i, SubscriberID: i, Email: fmt.Sprintf("reader%d@example.com", i), Attempts: 1}
	}
	close(claims)
	w := worker{s: s, ed: ed, mailer: mailer, utf8: true, held: held, rec: rec}
	err = w.run(context.Background(), claims)
	rec.close()
	<-recorded

	if err == nil {
		t.Fatal("run = nil, want the recording error")
	}
	if got := relay.Count(); got != 4 {
		t.Errorf("relay accepted %d messages, want 4: three recorded and the one whose record failed", got)
	}
	if mail, _ := relay.Calls(); mail != 5 {
		t.Errorf("relay saw %d MAIL commands, want 5: the fifth message's envelope went out, not its data", mail)
	}
	if want := []int64{1, 2, 3}; !slices.Equal(store.recorded, want) {
		t.Errorf("recorded %v, want %v", store.recorded, want)
	}
	left := held.ids()
	slices.Sort(left)
	if want := []int64{4, 5, 6, 7, 8, 9, 10}; !slices.Equal(left, want) {
		t.Errorf("rows still held %v, want %v", left, want)
	}
}
