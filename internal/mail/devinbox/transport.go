package devinbox

import (
	"context"
	"fmt"
	"time"

	"github.com/herald-news/herald/internal/mail"
)

// Transport keeps every message in a Store instead of sending it.
type Transport struct {
	store Store
	now   func() time.Time
}

var _ mail.Transport = (*Transport)(nil)

// New returns a Transport that saves to store.
func New(store Store) *Transport {
	return &Transport{store: store, now: time.Now}
}

// Name returns "devinbox".
func (t *Transport) Name() string { return "devinbox" }

// Send renders m exactly as a relay would receive it and stores the raw
// bytes with the headers and parts read back from them. An invalid message
// is a herald EINVALID error, as it would be for a real relay.
func (t *Transport) Send(ctx context.Context, m *mail.Message) error {
	raw, err := m.Bytes()
	if err != nil {
		return fmt.Errorf("devinbox: %w", err)
	}
	return t.Deliver(ctx, raw)
}

// Deliver stores a finished message as the bulk sender hands it over: the
// exact bytes a relay would get, DKIM signature and all.
func (t *Transport) Deliver(ctx context.Context, raw []byte) error {
	sm, err := parse(raw)
	if err != nil {
		return fmt.Errorf("devinbox: read back: %w", err)
	}
	sm.CreatedAt = t.now().UTC()
	if err := t.store.SaveInboxMessage(ctx, sm); err != nil {
		return fmt.Errorf("devinbox: save: %w", err)
	}
	return nil
}
