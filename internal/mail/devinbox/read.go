package devinbox

import (
	"context"

	"github.com/herald-news/herald/internal/mail"
)

// Messages returns up to limit stored messages, newest first; limit <= 0
// means all. Other viewers (the newsroom admin) read the inbox with it.
func (t *Transport) Messages(ctx context.Context, limit int) ([]*StoredMessage, error) {
	return t.store.InboxMessages(ctx, limit)
}

// Message returns one stored message, or a herald ENOTFOUND error.
func (t *Transport) Message(ctx context.Context, id int64) (*StoredMessage, error) {
	return t.store.InboxMessage(ctx, id)
}

// Headers returns the message's header fields in order, unfolded.
func (m *StoredMessage) Headers() []mail.Header {
	var out []mail.Header
	for _, h := range headers(m.Raw) {
		out = append(out, mail.Header{Key: h.Key, Value: h.Value})
	}
	return out
}

// Links returns the links in the message's text part.
func (m *StoredMessage) Links() []string { return links(m.Text) }
