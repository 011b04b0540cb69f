package smtpmail

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net/textproto"
	"strconv"
	"strings"
	"time"

	"github.com/emersion/go-smtp"
)

// The pipelined transaction (RFC 2920): when the relay offers PIPELINING
// and no STARTTLS layer sits between, a session writes MAIL FROM, RCPT TO
// and DATA in one write and reads their three replies, then writes the
// message with its final dot in one more: two writes a message instead of
// four. go-smtp's client still greets, says EHLO, logs in and says QUIT;
// between transactions its reader holds nothing, as every reply to what
// it sent has been read.

// pipeline is what a pipelined session needs besides go-smtp's client.
type pipeline struct {
	r        *textproto.Reader // the relay's replies, read through held
	size     bool              // the relay offers SIZE
	eightBit bool              // the relay offers 8BITMIME
}

// newPipeline returns the pipeline for a session whose relay offers
// PIPELINING, or nil.
func (c *conn) newPipeline() *pipeline {
	if c.starttls {
		return nil
	}
	if ok, _ := c.client.Extension("PIPELINING"); !ok {
		return nil
	}
	size, _ := c.client.Extension("SIZE")
	eightBit, _ := c.client.Extension("8BITMIME")
	return &pipeline{r: textproto.NewReader(bufio.NewReader(c.held)), size: size, eightBit: eightBit}
}

// envelope stages and the reply each expects: go-smtp's codes (25: 250 or
// 251).
var envelopeStages = [3]struct {
	name string
	code int
}{{"MAIL FROM", 250}, {"RCPT TO", 25}, {"DATA", 354}}

// sendPipelined is send on a pipelining session; see send.
func (c *conn) sendPipelined(ctx context.Context, env Envelope, data []byte, before func() error) (Reply, error) {
	p := c.pipe
	b := append(c.held.buf, "MAIL FROM:<"...)
	b = append(b, env.From...)
	b = append(b, '>')
	if p.eightBit {
		b = append(b, " BODY=8BITMIME"...)
	}
	if p.size {
		b = append(b, " SIZE="...)
		b = strconv.AppendInt(b, int64(len(data)), 10)
	}
	if env.UTF8 {
		b = append(b, " SMTPUTF8"...)
	}
	b = append(b, "\r\nRCPT TO:<"...)
	b = append(b, env.To...)
	b = append(b, ">\r\nDATA\r\n"...)
	c.held.buf = b
	defer c.nc.SetDeadline(time.Time{})
	c.nc.SetDeadline(time.Now().Add(c.client.CommandTimeout))

	// Every command gets its reply, in order: read all three, even after
	// a refusal, so that the session stays in step.
	var refused error
	inData := false
	for _, st := range envelopeStages {
		_, _, err := c.readReply(st.code)
		if err == nil {
			inData = st.code == 354
			continue
		}
		var se *smtp.SMTPError
		if !errors.As(err, &se) { // the session is lost: nothing reached the relay
			c.broken = true
			if refused != nil {
				return Reply{}, refused
			}
			return Reply{}, c.notSent(ctx, st.name, err)
		}
		if refused == nil {
			refused = c.notSent(ctx, st.name, err)
		}
		if c.broken { // a 421: the relay is closing the session
			return Reply{}, refused
		}
	}
	if refused != nil {
		if inData {
			// A relay that began the data after refusing the sender or
			// the recipient (RFC 2920 says it must not): only hanging up
			// ends the transaction without sending anything.
			c.close()
			return Reply{}, refused
		}
		return Reply{}, c.resetPipelined(ctx, refused)
	}
	if before != nil {
		if err := before(); err != nil {
			c.close() // the relay drops a message whose data never ended
			return Reply{}, fmt.Errorf("%w: %w", ErrNotSent, err)
		}
	}

	// Until the final dot is out the relay must drop what it has.
	c.nc.SetDeadline(time.Now().Add(c.cfg.Timeout))
	c.held.buf = appendData(c.held.buf, data)
	if err := c.held.flush(); err != nil {
		return Reply{}, c.notSent(ctx, "end of DATA", err)
	}
	c.nc.SetDeadline(time.Now().Add(c.client.SubmissionTimeout))
	_, msg, err := c.readReply(250)
	if err != nil {
		err = c.fail(ctx, "end of DATA", err)
		if _, ok := err.(*SendError); !ok {
			return Reply{}, fmt.Errorf("%w: %w", ErrOutcomeUnknown, err)
		}
		return Reply{}, err
	}
	return parseReply(250, msg), nil
}

// resetPipelined abandons a refused transaction with RSET and returns err.
// Unlike go-smtp's Reset it does not say EHLO again, so a session that
// logged in stays usable.
func (c *conn) resetPipelined(ctx context.Context, err error) error {
	if c.broken || ctx.Err() != nil {
		return err
	}
	c.held.buf = append(c.held.buf, "RSET\r\n"...)
	if _, _, rerr := c.readReply(250); rerr != nil {
		c.broken = true
	}
	return err
}

// readReply reads one reply, flushing what is held first. A reply other
// than expect is an *smtp.SMTPError, as go-smtp's client returns it.
func (c *conn) readReply(expect int) (int, string, error) {
	code, msg, err := c.pipe.r.ReadResponse(expect)
	var pe *textproto.Error
	if errors.As(err, &pe) {
		return code, msg, toSMTPError(pe)
	}
	return code, msg, err
}

// toSMTPError is go-smtp's conversion of a refusal: the RFC 3463 code, when
// the text starts with one, taken off every line.
func toSMTPError(pe *textproto.Error) *smtp.SMTPError {
	se := &smtp.SMTPError{Code: pe.Code, Message: pe.Msg}
	head, msg, ok := strings.Cut(pe.Msg, " ")
	if !ok {
		return se
	}
	parts := strings.Split(head, ".")
	if len(parts) != 3 {
		return se
	}
	var enhanced smtp.EnhancedCode
	for i, part := range parts {
		n, err := strconv.Atoi(part)
		if err != nil {
			return se
		}
		enhanced[i] = n
	}
	se.EnhancedCode = enhanced
	se.Message = strings.ReplaceAll(msg, "\n"+head+" ", "\n")
	return se
}

// appendData appends a message as the DATA command carries it, final dot
// included: dot-stuffed, with CRLF line endings and a CRLF before the
// dot, as textproto's DotWriter writes it.
func appendData(dst, data []byte) []byte {
	if out, ok := appendDotStuffed(dst, data); ok {
		if n := len(out); n-len(dst) >= 2 && out[n-2] == '\r' && out[n-1] == '\n' || n == len(dst) {
			return append(out, ".\r\n"...)
		}
		return append(out, "\r\n.\r\n"...)
	}
	// A bare CR or LF: let the DotWriter rewrite the lines.
	var sb strings.Builder
	bw := bufio.NewWriter(&sb)
	dw := textproto.NewWriter(bw).DotWriter()
	dw.Write(data)
	dw.Close() // writes the final dot and flushes bw
	return append(dst, sb.String()...)
}
