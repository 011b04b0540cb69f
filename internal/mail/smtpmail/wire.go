package smtpmail

import (
	"bytes"
	"net"
)

// maxHeld caps what a heldConn keeps back before writing.
const maxHeld = 256 << 10

// heldConn keeps back what go-smtp writes until it next reads, then
// writes it all at once: a message leaves in one write instead of one per
// 4 KB (go-smtp's buffer) plus one for the final dot, which saves system
// calls and segments at both ends. go-smtp reads a reply after every
// command and after the final dot, so nothing waits unsent; the TLS
// handshake reads after each flight too.
type heldConn struct {
	net.Conn
	buf []byte
	err error // the first failed write: the connection is done for
}

func (c *heldConn) Write(p []byte) (int, error) {
	if c.err != nil {
		return 0, c.err
	}
	if len(c.buf)+len(p) > maxHeld {
		if err := c.flush(); err != nil {
			return 0, err
		}
	}
	c.buf = append(c.buf, p...)
	return len(p), nil
}

func (c *heldConn) Read(p []byte) (int, error) {
	if err := c.flush(); err != nil {
		return 0, err
	}
	return c.Conn.Read(p)
}

// flush writes what is held.
func (c *heldConn) flush() error {
	if c.err != nil || len(c.buf) == 0 {
		return c.err
	}
	_, err := c.Conn.Write(c.buf)
	if cap(c.buf) > 64<<10 {
		c.buf = nil // don't keep a large message's buffer for the session
	} else {
		c.buf = c.buf[:0]
	}
	c.err = err
	return err
}

// failedWrite reports whether a write failed: whatever was held, the
// final dot included, never reached the relay.
func (c *heldConn) failedWrite() bool { return c.err != nil }

// appendDotStuffed appends data, a message with CRLF line endings, as the
// DATA command carries it: a dot doubled at the start of each line
// (RFC 5321 4.5.2), exactly as textproto's DotWriter would write it. ok is
// false, and nothing appended, when data has a bare CR or LF, which the
// DotWriter rewrites: such data must go through it.
func appendDotStuffed(dst, data []byte) (out []byte, ok bool) {
	lf := bytes.Count(data, []byte("\n"))
	if lf != bytes.Count(data, []byte("\r")) || lf != bytes.Count(data, []byte("\r\n")) {
		return dst, false
	}
	if len(data) > 0 && data[0] == '.' {
		dst = append(dst, '.')
	}
	for {
		i := bytes.Index(data, []byte("\n."))
		if i < 0 {
			return append(dst, data...), true
		}
		dst = append(dst, data[:i+1]...)
		dst = append(dst, '.')
		data = data[i+1:]
	}
}
