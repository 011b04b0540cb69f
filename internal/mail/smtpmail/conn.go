package smtpmail

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"strconv"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"

	"github.com/herald-news/herald"
)

// RFC 5321 section 4.5.3.2 timeouts; Config.Timeout caps them.
const (
	rfcCommandTimeout = 5 * time.Minute
	rfcDataEndTimeout = 10 * time.Minute
)

// conn is one SMTP session to the relay: dialled, greeted, secured and
// authenticated, then ready for one transaction after another. Send uses
// one per message; the bulk pool keeps them open while usable.
type conn struct {
	cfg    Config
	nc     net.Conn  // the TCP (or implicit TLS) connection: for deadlines and for closing on cancellation
	held   *heldConn // nc as go-smtp writes to it
	client *smtp.Client
	tls    bool
	// starttls is set when go-smtp layered TLS over held: the message
	// must then go through go-smtp, not straight into held.
	starttls bool
	pipe     *pipeline // set when transactions are pipelined: see pipeline.go
	broken   bool      // a network error or a 421: the session can't be used again
	retire   bool      // usable for QUIT only: see reset
}

// dial connects to the relay; with ImplicitTLS the TLS handshake is done
// too. The greeting is read by hello.
func dial(ctx context.Context, cfg Config) (*conn, error) {
	addr := net.JoinHostPort(cfg.Host, strconv.Itoa(cfg.Port))
	d := &net.Dialer{Timeout: cfg.Timeout}
	var nc net.Conn
	var err error
	if cfg.ImplicitTLS {
		nc, err = (&tls.Dialer{NetDialer: d, Config: cfg.tlsConfig()}).DialContext(ctx, "tcp", addr)
	} else {
		nc, err = d.DialContext(ctx, "tcp", addr)
	}
	if err != nil {
		return nil, fmt.Errorf("smtpmail: connect to %s: %w", addr, err)
	}
	return &conn{cfg: cfg, nc: nc, held: &heldConn{Conn: nc}, tls: cfg.ImplicitTLS}, nil
}

// hello reads the greeting, says EHLO and, when the configuration calls
// for it, upgrades with STARTTLS and says EHLO again. The whole exchange
// takes at most cfg.Timeout.
func (c *conn) hello(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, c.cfg.Timeout)
	defer cancel()
	stop := c.watch(ctx)
	defer stop()

	if c.cfg.needsSTARTTLS() {
		// go-smtp's STARTTLS path says "EHLO localhost" before TLS; the
		// configured name follows once the session is private.
		client, err := smtp.NewClientStartTLS(c.held, c.cfg.tlsConfig())
		if err != nil {
			c.broken = true
			if se, ok := newSendError("STARTTLS", err); ok {
				return se
			}
			if ctx.Err() != nil {
				return fmt.Errorf("smtpmail: STARTTLS: %w", ctx.Err())
			}
			return fmt.Errorf("smtpmail: STARTTLS is required for %s and failed: %w", c.cfg.Host, err)
		}
		c.client, c.tls, c.starttls = client, true, true
	} else {
		c.client = smtp.NewClient(c.held)
	}
	c.client.CommandTimeout = min(rfcCommandTimeout, c.cfg.Timeout)
	c.client.SubmissionTimeout = min(rfcDataEndTimeout, c.cfg.Timeout)
	if err := c.client.Hello(c.cfg.HELO); err != nil {
		return c.fail(ctx, "EHLO", err)
	}
	c.pipe = c.newPipeline()
	return nil
}

// auth logs in when a username is configured: AUTH PLAIN, or LOGIN for
// relays that offer only that. The password goes only over TLS or to a
// loopback relay.
func (c *conn) auth(ctx context.Context) error {
	if c.cfg.Username == "" {
		return nil
	}
	if !c.tls && !isLoopback(c.cfg.Host) {
		return errors.New("smtpmail: refusing to send the SMTP password without TLS")
	}
	var mech sasl.Client
	switch {
	case c.client.SupportsAuth(sasl.Plain):
		mech = sasl.NewPlainClient("", c.cfg.Username, c.cfg.Password)
	case c.client.SupportsAuth(sasl.Login):
		mech = sasl.NewLoginClient(c.cfg.Username, c.cfg.Password)
	default:
		return fmt.Errorf("smtpmail: %s offers neither AUTH PLAIN nor LOGIN", c.cfg.Host)
	}
	stop := c.watch(ctx)
	defer stop()
	if err := c.client.Auth(mech); err != nil {
		return c.fail(ctx, "AUTH", err)
	}
	return nil
}

// send runs one transaction: MAIL FROM, RCPT TO, DATA, pipelined when the
// relay allows it. data must be a complete message with CRLF line endings.
// before, if not nil, is called once the relay has taken the envelope
// and just before the message is written; when it returns an error the
// session is closed, so that the relay drops the transaction, and send
// returns an error matching ErrNotSent. It returns the relay's final
// reply; a *SendError for a refusal; ErrOutcomeUnknown when the session
// failed after the message was handed over; ErrNoSMTPUTF8; or, for any
// other failure, an error matching ErrNotSent. On a refused MAIL or RCPT
// the transaction is reset so the session stays usable; after the final
// reply (even a refusal) the transaction is over and needs no RSET.
func (c *conn) send(ctx context.Context, env Envelope, data []byte, before func() error) (Reply, error) {
	if env.UTF8 {
		if ok, _ := c.client.Extension("SMTPUTF8"); !ok {
			return Reply{}, fmt.Errorf("%w: %w", ErrNoSMTPUTF8, herald.Errorf(herald.EINVALID,
				"The mail relay can't deliver to an address with non-ASCII characters before the @."))
		}
	}
	stop := c.watch(ctx)
	defer stop()
	if c.pipe != nil {
		return c.sendPipelined(ctx, env, data, before)
	}

	opts := &smtp.MailOptions{Size: int64(len(data)), UTF8: env.UTF8}
	if err := c.client.Mail(env.From, opts); err != nil {
		return Reply{}, c.reset(ctx, c.notSent(ctx, "MAIL FROM", err))
	}
	if err := c.client.Rcpt(env.To, nil); err != nil {
		return Reply{}, c.reset(ctx, c.notSent(ctx, "RCPT TO", err))
	}
	w, err := c.client.Data()
	if err != nil {
		return Reply{}, c.reset(ctx, c.notSent(ctx, "DATA", err))
	}
	if before != nil {
		if err := before(); err != nil {
			c.close() // the relay drops a message whose data never ended
			return Reply{}, fmt.Errorf("%w: %w", ErrNotSent, err)
		}
	}
	// go-smtp sets no deadline while the message is written. Until the
	// final dot is out the relay must drop what it has.
	if err := c.nc.SetWriteDeadline(time.Now().Add(c.cfg.Timeout)); err != nil {
		return Reply{}, c.notSent(ctx, "DATA", err)
	}
	if err := c.writeData(w, data); err != nil {
		return Reply{}, c.notSent(ctx, "DATA", err)
	}
	resp, err := w.CloseWithResponse()
	if err != nil {
		if c.held.failedWrite() {
			// The write that ended with the final dot failed: the relay
			// can't have it.
			return Reply{}, c.notSent(ctx, "end of DATA", err)
		}
		err = c.fail(ctx, "end of DATA", err)
		if _, ok := err.(*SendError); !ok {
			return Reply{}, fmt.Errorf("%w: %w", ErrOutcomeUnknown, err)
		}
		return Reply{}, err
	}
	return parseReply(250, resp.StatusText), nil
}

// writeData writes the message into the DATA command. Unless go-smtp
// layered TLS over held, the message goes into held already dot-stuffed,
// sparing textproto's DotWriter, which copies it a byte at a time; its
// final CRLF still goes through w, leaving the DotWriter at the start of a
// line, where closing it writes the final dot. go-smtp's own buffer is
// empty here: it flushed the DATA command to read the 354.
func (c *conn) writeData(w io.Writer, data []byte) error {
	if n := len(data); !c.starttls && n > 2 && data[n-2] == '\r' && data[n-1] == '\n' {
		if buf, ok := appendDotStuffed(c.held.buf, data[:n-2]); ok {
			c.held.buf = buf
			_, err := w.Write(data[n-2:])
			return err
		}
	}
	_, err := w.Write(data)
	return err
}

// quit ends the session politely; the connection is closed either way.
func (c *conn) quit(ctx context.Context) error {
	if c.client == nil || c.broken {
		return c.close()
	}
	stop := c.watch(ctx)
	defer stop()
	if err := c.client.Quit(); err != nil {
		c.close()
		return fmt.Errorf("smtpmail: QUIT: %w", err)
	}
	return nil
}

// close drops the connection without QUIT.
func (c *conn) close() error {
	c.broken = true
	return c.nc.Close()
}

// watch closes the connection when ctx ends, so that a blocked read or
// write returns at once. Call stop when the step is over; it marks the
// session broken if ctx ended it.
func (c *conn) watch(ctx context.Context) (stop func()) {
	cancel := context.AfterFunc(ctx, func() { c.nc.Close() })
	return func() {
		if !cancel() {
			c.broken = true
		}
	}
}

// fail turns err from step stage into a *SendError for a relay's reply, or
// a wrapped error (marking the session broken) for anything else.
func (c *conn) fail(ctx context.Context, stage string, err error) error {
	if ctx.Err() != nil {
		c.broken = true
		return fmt.Errorf("smtpmail: %s: %w", stage, ctx.Err())
	}
	if se, ok := newSendError(stage, err); ok {
		if se.Code == 421 { // the relay is closing the session
			c.broken = true
		}
		return se
	}
	c.broken = true
	return fmt.Errorf("smtpmail: %s: %w", stage, err)
}

// notSent is fail for a step before the message was handed over:
// anything but a relay's reply means the relay has nothing to deliver.
func (c *conn) notSent(ctx context.Context, stage string, err error) error {
	err = c.fail(ctx, stage, err)
	if _, ok := err.(*SendError); ok {
		return err
	}
	return fmt.Errorf("%w: %w", ErrNotSent, err)
}

// reset abandons a refused transaction with RSET so the session can run
// another; it returns err. go-smtp's Client.Reset makes the next command
// say EHLO again, and some relays forget the login at a second EHLO: an
// authenticated session is retired instead, so that a refusal for one
// reader can't turn into "authentication required" for the next.
func (c *conn) reset(ctx context.Context, err error) error {
	switch {
	case c.broken || ctx.Err() != nil:
	case c.cfg.Username != "":
		c.retire = true
	case c.client.Reset() != nil:
		c.broken = true
	}
	return err
}
