package subscriberio_test

import (
	"context"
	"errors"
	"net/mail"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/internal/subscriberio"
)

// validate is a simple stand-in for Herald's address check: one bare
// address, at most 254 bytes, domain in lower case.
func validate(raw string) (string, bool, error) {
	a, err := mail.ParseAddress(raw)
	if err != nil {
		return "", false, herald.Errorf(herald.EINVALID, "%q is not an email address", raw)
	}
	if a.Name != "" || a.Address != strings.TrimSpace(raw) {
		return "", false, errors.New("give the address alone, without a name or <>")
	}
	if len(a.Address) > 254 {
		return "", false, errors.New("the address is longer than 254 characters")
	}
	at := strings.LastIndexByte(a.Address, '@')
	local := a.Address[:at]
	return local + "@" + strings.ToLower(a.Address[at+1:]), !isASCII(local), nil
}

func isASCII(s string) bool { return utf8.RuneCountInString(s) == len(s) }

// memSink is an idempotent in-memory Sink: address (lower case) → row.
type memSink struct {
	mu      sync.Mutex
	rows    map[string]subscriberio.Row
	batches int
}

func newMemSink() *memSink { return &memSink{rows: map[string]subscriberio.Row{}} }

func (s *memSink) ImportRows(_ context.Context, rows []subscriberio.Row) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.batches++
	changed := 0
	for _, r := range rows {
		k := strings.ToLower(r.Email)
		if old, ok := s.rows[k]; ok && old.Unsubscribed == r.Unsubscribed {
			continue
		}
		s.rows[k] = r
		changed++
	}
	return changed, nil
}

func (s *memSink) unsubscribed() int {
	n := 0
	for _, r := range s.rows {
		if r.Unsubscribed {
			n++
		}
	}
	return n
}

// discardSink stores nothing and changes everything.
type discardSink struct{}

func (discardSink) ImportRows(_ context.Context, rows []subscriberio.Row) (int, error) {
	return len(rows), nil
}
