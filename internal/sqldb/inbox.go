package sqldb

import (
	"context"
	"fmt"

	"github.com/herald-news/herald/internal/mail/devinbox"
)

// InboxStore keeps the development inbox in the database, so messages
// survive restarts and every node of a cluster sees the same inbox.
type InboxStore struct{ db *DB }

// NewInboxStore returns the development inbox store on db.
func NewInboxStore(db *DB) *InboxStore { return &InboxStore{db: db} }

var _ devinbox.Store = (*InboxStore)(nil)

const inboxColumns = `id, message_id, mail_from, mail_to, subject, sent_at, raw, text_body, html_body, created_at`

// SaveInboxMessage stores a message and sets its ID.
func (s *InboxStore) SaveInboxMessage(ctx context.Context, m *devinbox.StoredMessage) error {
	m.CreatedAt = s.db.Clock.Now().UTC()
	err := s.db.db.QueryRowContext(ctx, `INSERT INTO dev_inbox (message_id, mail_from, mail_to, subject, sent_at, raw, text_body, html_body, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
		m.MessageID, m.From, m.To, m.Subject, utc(m.Date), m.Raw, m.Text, m.HTML, utc(m.CreatedAt)).Scan(&m.ID)
	if err != nil {
		return fmt.Errorf("sqldb: save inbox message: %w", err)
	}
	return nil
}

// InboxMessages returns up to limit messages, newest first.
func (s *InboxStore) InboxMessages(ctx context.Context, limit int) ([]*devinbox.StoredMessage, error) {
	if limit <= 0 || limit > 10000 {
		limit = 10000
	}
	return queryAll(ctx, s.db.db, `SELECT `+inboxColumns+` FROM dev_inbox ORDER BY id DESC LIMIT $1`, scanInboxMessage, limit)
}

// InboxMessage returns one message.
func (s *InboxStore) InboxMessage(ctx context.Context, id int64) (*devinbox.StoredMessage, error) {
	m, err := scanInboxMessage(s.db.db.QueryRowContext(ctx, `SELECT `+inboxColumns+` FROM dev_inbox WHERE id = $1`, id))
	return m, notFound(err, "Message")
}

// ClearInbox deletes every message.
func (s *InboxStore) ClearInbox(ctx context.Context) error {
	if _, err := s.db.db.ExecContext(ctx, `DELETE FROM dev_inbox`); err != nil {
		return fmt.Errorf("sqldb: clear inbox: %w", err)
	}
	return nil
}

func scanInboxMessage(r rowScanner) (*devinbox.StoredMessage, error) {
	var m devinbox.StoredMessage
	return &m, r.Scan(&m.ID, &m.MessageID, &m.From, &m.To, &m.Subject, &m.Date, &m.Raw, &m.Text, &m.HTML, &m.CreatedAt)
}
