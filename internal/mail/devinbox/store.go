// Package devinbox is the development mail transport: every message "sent"
// is kept in a Store and shown in the browser at /dev/inbox/, so Herald
// runs with no mail relay configured and nothing reaches a real reader.
package devinbox

import (
	"context"
	"time"
)

// Store keeps dev-inbox messages. The storage package implements it;
// NewMemStore is an in-memory one for tests.
type Store interface {
	// SaveInboxMessage stores m and sets m.ID.
	SaveInboxMessage(ctx context.Context, m *StoredMessage) error
	// InboxMessages returns up to limit messages, newest first; limit <= 0 means all.
	InboxMessages(ctx context.Context, limit int) ([]*StoredMessage, error)
	// InboxMessage returns one message, or a herald ENOTFOUND error.
	InboxMessage(ctx context.Context, id int64) (*StoredMessage, error)
	// ClearInbox deletes every message.
	ClearInbox(ctx context.Context) error
}

// StoredMessage is one message as the development inbox keeps it: the raw
// bytes that would have been sent, and the fields read back from them.
type StoredMessage struct {
	ID        int64
	MessageID string // without angle brackets
	From      string // decoded, as a person reads it: "Name <email>"
	To        string
	Subject   string // decoded
	Date      time.Time
	Raw       []byte // the complete message, CRLF line endings
	Text      string // the decoded text/plain part, LF line endings
	HTML      string // the decoded text/html part, or ""
	CreatedAt time.Time
}
