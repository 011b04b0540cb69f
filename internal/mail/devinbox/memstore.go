package devinbox

import (
	"bytes"
	"context"
	"sync"

	"github.com/herald-news/herald"
)

// MemStore is a Store in memory, for tests and for trying things out.
type MemStore struct {
	mu   sync.Mutex
	msgs []*StoredMessage // oldest first
	next int64
}

var _ Store = (*MemStore)(nil)

// NewMemStore returns an empty MemStore.
func NewMemStore() *MemStore { return &MemStore{} }

// SaveInboxMessage stores a copy of m and sets m.ID.
func (s *MemStore) SaveInboxMessage(ctx context.Context, m *StoredMessage) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.next++
	m.ID = s.next
	s.msgs = append(s.msgs, clone(m))
	return nil
}

// InboxMessages returns copies of up to limit messages, newest first.
func (s *MemStore) InboxMessages(ctx context.Context, limit int) ([]*StoredMessage, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if limit <= 0 || limit > len(s.msgs) {
		limit = len(s.msgs)
	}
	out := make([]*StoredMessage, 0, limit)
	for i := len(s.msgs) - 1; i >= 0 && len(out) < limit; i-- {
		out = append(out, clone(s.msgs[i]))
	}
	return out, nil
}

// InboxMessage returns a copy of message id, or a herald ENOTFOUND error.
func (s *MemStore) InboxMessage(ctx context.Context, id int64) (*StoredMessage, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, m := range s.msgs {
		if m.ID == id {
			return clone(m), nil
		}
	}
	return nil, herald.Errorf(herald.ENOTFOUND, "That message is not in the development inbox.")
}

// ClearInbox deletes every message.
func (s *MemStore) ClearInbox(ctx context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.msgs = nil
	return nil
}

func clone(m *StoredMessage) *StoredMessage {
	c := *m
	c.Raw = bytes.Clone(m.Raw)
	return &c
}
