package mail

import "context"

// Transport sends finished messages.
type Transport interface {
	// Send delivers one message; envelope sender is m.From.Email unless the transport overrides it.
	Send(ctx context.Context, m *Message) error
	// Name is "devinbox" or "smtp", for logs and for deciding whether /dev/inbox is served.
	Name() string
}
