package delivery

import (
	"context"
	"fmt"

	"github.com/herald-news/herald/internal/mail/devinbox"
	"github.com/herald-news/herald/internal/mail/smtpmail"
)

// InboxRelay hands bulk mail to the development inbox, so a newsroom
// without a relay can watch a whole send happen.
type InboxRelay struct{ Inbox *devinbox.Transport }

// SendAfter keeps the message, once before allows, and answers as a relay
// that accepted it would.
func (r InboxRelay) SendAfter(ctx context.Context, _ smtpmail.Envelope, data []byte, before func() error) (smtpmail.Reply, error) {
	if before != nil {
		if err := before(); err != nil {
			return smtpmail.Reply{}, fmt.Errorf("%w: %w", smtpmail.ErrNotSent, err)
		}
	}
	if err := r.Inbox.Deliver(ctx, data); err != nil {
		return smtpmail.Reply{}, err
	}
	return smtpmail.Reply{Code: 250, EnhancedCode: [3]int{2, 0, 0}, Message: "kept in the development inbox"}, nil
}

// SupportsSMTPUTF8 is true: the inbox takes any address.
func (InboxRelay) SupportsSMTPUTF8(context.Context) (bool, error) { return true, nil }
