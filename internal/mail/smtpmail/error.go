package smtpmail

import (
	"errors"
	"fmt"

	"github.com/emersion/go-smtp"
)

// ErrOutcomeUnknown marks a send whose connection failed after the message
// was handed over but before the relay's final reply: the relay may or may
// not deliver it.
var ErrOutcomeUnknown = errors.New("smtpmail: connection lost before the relay confirmed the message")

// ErrNotSent marks a failure before the message reached the relay (no
// connection, a session lost before the end of the data, a cancelled
// context, a closed Pool): nothing was delivered and the message may be
// sent again later.
var ErrNotSent = errors.New("smtpmail: message not sent")

// ErrNoSMTPUTF8 marks a message for an address that needs SMTPUTF8 when
// the relay doesn't offer it. Nothing was sent and retrying won't help.
var ErrNoSMTPUTF8 = errors.New("smtpmail: the relay does not support SMTPUTF8")

// ErrPoolClosed is returned (with ErrNotSent) by Send on a closed Pool.
var ErrPoolClosed = errors.New("smtpmail: pool closed")

// SendError is a reply from the relay refusing a command.
type SendError struct {
	Stage        string // the refused step: "EHLO" (or the greeting before it), "STARTTLS", "AUTH", "MAIL FROM", "RCPT TO", "DATA" or "end of DATA"
	Code         int    // the reply code, such as 451 or 550
	EnhancedCode [3]int // the RFC 3463 status, such as {5, 1, 1}; zero when the relay gave none
	Message      string // the relay's text
	err          *smtp.SMTPError
}

// Error returns the stage and the relay's reply.
func (e *SendError) Error() string {
	if e.EnhancedCode != ([3]int{}) {
		return fmt.Sprintf("smtpmail: %s: %d %d.%d.%d %s", e.Stage, e.Code,
			e.EnhancedCode[0], e.EnhancedCode[1], e.EnhancedCode[2], e.Message)
	}
	return fmt.Sprintf("smtpmail: %s: %d %s", e.Stage, e.Code, e.Message)
}

// Unwrap returns go-smtp's error.
func (e *SendError) Unwrap() error { return e.err }

// Temporary reports a 4xx reply: the relay may take the message later.
func (e *SendError) Temporary() bool { return e.Code/100 == 4 }

// newSendError wraps a go-smtp reply error; ok is false for other errors.
func newSendError(stage string, err error) (se *SendError, ok bool) {
	var reply *smtp.SMTPError
	if !errors.As(err, &reply) {
		return nil, false
	}
	se = &SendError{Stage: stage, Code: reply.Code, Message: reply.Message, err: reply}
	if reply.EnhancedCode != smtp.NoEnhancedCode {
		se.EnhancedCode = [3]int(reply.EnhancedCode)
	}
	return se, true
}
