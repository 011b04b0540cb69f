package bounce

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"time"

	"github.com/emersion/go-smtp"
)

// Bounds of the receiver: reports are small, and anyone can connect.
const (
	receiverMaxBytes      = 10 << 20
	receiverMaxRecipients = 20
	receiverTimeout       = 2 * time.Minute
	processTimeout        = 30 * time.Second
)

// Receiver is the bounce domain's SMTP server. It accepts mail only for
// VERP addresses this Herald signed, so it relays nothing and a forged
// bounce names no ledger row; each report is recorded before the data is
// acknowledged, and a storage failure answers 451 so the sender retries.
type Receiver struct {
	processor *Processor
	logger    *slog.Logger
	server    *smtp.Server
}

// NewReceiver returns a receiver recording reports with p, which must
// have a VERP.
func NewReceiver(p *Processor, logger *slog.Logger) (*Receiver, error) {
	if p == nil || p.VERP == nil {
		return nil, errors.New("bounce: the receiver needs a bounce domain")
	}
	r := &Receiver{processor: p, logger: logger}
	s := smtp.NewServer(r)
	s.Domain = p.VERP.Domain()
	s.MaxMessageBytes, s.MaxRecipients = receiverMaxBytes, receiverMaxRecipients
	s.ReadTimeout, s.WriteTimeout = receiverTimeout, receiverTimeout
	s.ErrorLog = errorLog{logger}
	r.server = s
	return r, nil
}

// Serve answers connections on l until Shutdown; it then returns nil.
func (r *Receiver) Serve(l net.Listener) error {
	if err := r.server.Serve(l); err != nil && !errors.Is(err, smtp.ErrServerClosed) && !errors.Is(err, net.ErrClosed) {
		return fmt.Errorf("bounce: receiver: %w", err)
	}
	return nil
}

// Shutdown stops accepting connections and waits, until ctx ends, for
// the open ones to finish.
func (r *Receiver) Shutdown(ctx context.Context) error {
	err := r.server.Shutdown(ctx)
	if errors.Is(err, smtp.ErrServerClosed) {
		return nil
	}
	return err
}

// NewSession implements smtp.Backend.
func (r *Receiver) NewSession(c *smtp.Conn) (smtp.Session, error) {
	return &session{r: r, remote: c.Conn().RemoteAddr().String()}, nil
}

var (
	errNoMailbox = &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "No such mailbox here"}
	errTryLater  = &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "Could not record the report; try again later"}
)

// session is one SMTP transaction at a time.
type session struct {
	r      *Receiver
	remote string
	sends  []SendRef
}

func (s *session) Mail(string, *smtp.MailOptions) error { s.sends = s.sends[:0]; return nil }

// Rcpt accepts only signed VERP addresses; a bad signature is refused
// like any unknown mailbox.
func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	v := s.r.processor.VERP
	ref, ok := v.Parse(to)
	if !ok {
		if v.IsVERP(to) {
			s.r.processor.Metrics.Rejected("smtp", "bad signature")
			s.r.logger.Warn("bounce receiver: refused a report for a return path we did not sign", "to", to, "remote", s.remote)
		}
		return errNoMailbox
	}
	s.sends = append(s.sends, ref)
	return nil
}

// Data records the report once for each accepted recipient.
func (s *session) Data(body io.Reader) error {
	raw, err := io.ReadAll(body)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), processTimeout)
	defer cancel()
	for _, ref := range s.sends {
		id := ref.ID
		res, _, err := s.r.processor.Mail(ctx, raw, ref)
		switch {
		case errors.Is(err, ErrNotReport):
			s.r.logger.Info("bounce receiver: dropped a message that is not a report", "remote", s.remote, "send", id)
		case err != nil:
			s.r.logger.Error("bounce receiver: could not record a report", "send", id, "err", err)
			return errTryLater
		case res.Ignored != "":
			s.r.logger.Debug("bounce receiver: nothing to do", "send", id, "why", res.Ignored)
		}
	}
	return nil
}

func (s *session) Reset()        { s.sends = s.sends[:0] }
func (s *session) Logout() error { return nil }

// errorLog sends go-smtp's internal errors to slog.
type errorLog struct{ l *slog.Logger }

func (e errorLog) Printf(format string, v ...any) {
	e.l.Warn("bounce receiver: " + fmt.Sprintf(format, v...))
}
func (e errorLog) Println(v ...any) { e.l.Warn("bounce receiver: " + fmt.Sprintln(v...)) }
