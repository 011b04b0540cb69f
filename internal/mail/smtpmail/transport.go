package smtpmail

import (
	"context"
	"fmt"

	"github.com/herald-news/herald/internal/mail"
)

// Transport sends each message over its own SMTP session to one relay.
type Transport struct {
	cfg Config
}

var _ mail.Transport = (*Transport)(nil)

// New returns a Transport for cfg, filling zero fields with defaults.
func New(cfg Config) *Transport {
	return &Transport{cfg: cfg.withDefaults()}
}

// Name returns "smtp".
func (t *Transport) Name() string { return "smtp" }

// Send delivers m: connect, EHLO, STARTTLS (required unless the relay is
// on loopback), AUTH, MAIL FROM (with SMTPUTF8 when m needs it), RCPT TO,
// DATA, QUIT. A refused command is a *SendError; an invalid message or a
// relay that can't take a UTF-8 address is a herald EINVALID error, found
// out before any DATA is sent; ErrOutcomeUnknown marks a connection lost
// after the message was handed over.
func (t *Transport) Send(ctx context.Context, m *mail.Message) error {
	data, err := m.Bytes()
	if err != nil {
		return fmt.Errorf("smtpmail: %w", err)
	}
	// Bytes has validated the addresses.
	from, _ := m.From.Envelope()
	to, _ := m.To.Envelope()

	c, err := dial(ctx, t.cfg)
	if err != nil {
		return err
	}
	defer c.close()
	if err := c.hello(ctx); err != nil {
		return err
	}
	if err := c.auth(ctx); err != nil {
		return err
	}
	if _, err := c.send(ctx, Envelope{From: from, To: to, UTF8: m.NeedsSMTPUTF8()}, data, nil); err != nil {
		return err
	}
	// The relay has accepted the message; a failed QUIT changes nothing.
	_ = c.quit(ctx)
	return nil
}
