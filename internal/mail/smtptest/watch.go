package smtptest

import (
	"bytes"
	"net"
	"strings"
	"sync"
)

// Connections returns how many connections the relay has accepted and
// the most it has had open at once.
func (r *Relay) Connections() (total, peak int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.conns, r.peak
}

// Commands returns how many times clients have sent the command verb
// ("RSET", "EHLO", "QUIT", …), read from the bytes they sent: go-smtp
// calls Session.Reset after every message and every EHLO as well as on
// RSET, so the session can't tell. Message data and everything after
// STARTTLS are skipped; connections under implicit TLS are not counted.
func (r *Relay) Commands(verb string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.commands[strings.ToUpper(verb)]
}

// watch wraps l so that the relay counts its connections and, if scan is
// set, the commands clients send over them.
func (r *Relay) watch(l net.Listener, scan bool) net.Listener {
	return &listener{Listener: l, relay: r, scan: scan}
}

type listener struct {
	net.Listener
	relay *Relay
	scan  bool
}

func (l *listener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	r := l.relay
	r.mu.Lock()
	r.conns++
	r.open++
	r.peak = max(r.peak, r.open)
	r.mu.Unlock()
	return &conn{Conn: c, relay: r, scan: l.scan}, nil
}

// conn counts the commands read from the client. Only the server's
// goroutine for the connection reads and writes, so the scanning state
// needs no lock.
type conn struct {
	net.Conn
	relay  *Relay
	scan   bool
	line   []byte // the start of the line being read: enough for a verb
	inData bool   // between DATA's 354 and the lone "."
	// dataAt counts the replies owed to commands read so far, and the
	// reply that answers DATA (0: no DATA waits). A pipelining client sends
	// DATA before knowing whether the relay takes it, so the data starts
	// only at a 354 answering DATA.
	owed, dataAt int
	out          []byte // the start of the reply line being written
	once         sync.Once
}

const verbBytes = 16

func (c *conn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	if c.scan {
		c.feed(p[:n])
	}
	return n, err
}

func (c *conn) Write(p []byte) (int, error) {
	if c.relay.NoPipelining && c.scan {
		if q := bytes.Replace(p, []byte("250-PIPELINING\r\n"), nil, 1); len(q) < len(p) {
			_, err := c.Conn.Write(q)
			c.replies(q)
			return len(p), err
		}
	}
	n, err := c.Conn.Write(p)
	if c.scan {
		c.replies(p[:n])
	}
	return n, err
}

// replies follows the replies the server writes, to see where data
// begins.
func (c *conn) replies(b []byte) {
	for len(b) > 0 {
		i := bytes.IndexByte(b, '\n')
		chunk := b
		if i >= 0 {
			chunk = b[:i]
		}
		if room := 4 - len(c.out); room > 0 {
			c.out = append(c.out, chunk[:min(room, len(chunk))]...)
		}
		if i < 0 {
			return
		}
		line := c.out
		c.out = c.out[:0]
		b = b[i+1:]
		if len(line) < 4 || line[3] != ' ' || c.owed == 0 { // a line before the last, or the greeting
			continue
		}
		if c.dataAt > 0 {
			if c.dataAt--; c.dataAt == 0 {
				c.inData = string(line[:3]) == "354"
			}
		}
		c.owed--
	}
}

func (c *conn) Close() error {
	c.once.Do(func() {
		c.relay.mu.Lock()
		c.relay.open--
		c.relay.mu.Unlock()
	})
	return c.Conn.Close()
}

func (c *conn) feed(b []byte) {
	for len(b) > 0 && c.scan {
		i := bytes.IndexByte(b, '\n')
		chunk := b
		if i >= 0 {
			chunk = b[:i]
		}
		if room := verbBytes - len(c.line); room > 0 {
			c.line = append(c.line, chunk[:min(room, len(chunk))]...)
		}
		if i < 0 {
			return
		}
		c.endLine()
		b = b[i+1:]
	}
}

// endLine counts the command on the line just read. The scan assumes a
// client that sends its message only after DATA is answered with 354, as
// RFC 2920 requires of pipelining clients too.
func (c *conn) endLine() {
	line := string(bytes.TrimSuffix(c.line, []byte("\r")))
	c.line = c.line[:0]
	if c.inData {
		if line == "." {
			c.inData = false
			c.owed++ // the reply to the message
		}
		return
	}
	c.owed++
	verb, _, _ := strings.Cut(line, " ")
	verb = strings.ToUpper(verb)
	switch verb {
	case "DATA":
		c.dataAt = c.owed
	case "STARTTLS":
		c.scan = false // what follows is ciphertext
	}
	c.relay.mu.Lock()
	if c.relay.commands == nil {
		c.relay.commands = make(map[string]int)
	}
	c.relay.commands[verb]++
	c.relay.mu.Unlock()
}
