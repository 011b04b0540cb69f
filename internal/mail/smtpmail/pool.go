package smtpmail

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/time/rate"

	"github.com/herald-news/herald"
)

// Pool defaults.
const (
	DefaultConnections   = 4
	DefaultMaxPerConn    = 1000
	DefaultThrottlePause = time.Minute
)

// PoolConfig configures a Pool.
type PoolConfig struct {
	Config                      // the relay (ParseURL's result)
	Connections   int           // sessions open at once at most; 0: DefaultConnections
	MaxPerConn    int           // transactions before a session is ended with QUIT and replaced; 0: DefaultMaxPerConn
	RatePerSecond float64       // messages per second across the pool; 0: unlimited
	ThrottlePause time.Duration // how long every session waits after a throttling reply; 0: DefaultThrottlePause
}

// Envelope is one transaction's sender and recipient.
type Envelope struct {
	From, To string // ASCII domains; local parts may be UTF-8 when UTF8 is set
	UTF8     bool   // needs SMTPUTF8 (set anyway when an address isn't ASCII)
}

// PoolStats is a snapshot of a Pool for progress reports and metrics.
type PoolStats struct {
	Opened      int64     // sessions opened so far
	Open        int64     // sessions open now
	Sent        int64     // messages the relay has accepted
	PausedUntil time.Time // when a throttling pause ends; zero when not paused
}

// Pool keeps up to Connections sessions open to one relay and sends
// messages over them, one transaction after another without RSET.
// It is safe for concurrent use.
type Pool struct {
	cfg     PoolConfig
	limiter *rate.Limiter // nil: unlimited
	slots   chan struct{} // a token for each session that may be in use
	done    chan struct{} // closed by Close

	mu     sync.Mutex
	idle   []*session // the most recently used last
	closed bool
	paused time.Time // no transaction starts before then
	utf8   int       // from the last session opened: 0 not known, 1 SMTPUTF8, -1 none

	opened, open, sent atomic.Int64
}

// session is a pooled conn and the transactions it has run.
type session struct {
	c *conn
	n int
}

// NewPool returns a Pool for cfg, filling zero fields with defaults. It
// connects to nothing until the first Send.
func NewPool(cfg PoolConfig) (*Pool, error) {
	if cfg.Host == "" {
		return nil, herald.Errorf(herald.EINVALID, "The SMTP relay has no host name.")
	}
	if cfg.Connections < 0 || cfg.MaxPerConn < 0 || cfg.RatePerSecond < 0 || cfg.ThrottlePause < 0 {
		return nil, herald.Errorf(herald.EINVALID, "SMTP connections, messages per connection, rate and pause can't be negative.")
	}
	cfg.Config = cfg.Config.withDefaults()
	if cfg.Connections == 0 {
		cfg.Connections = DefaultConnections
	}
	if cfg.MaxPerConn == 0 {
		cfg.MaxPerConn = DefaultMaxPerConn
	}
	if cfg.ThrottlePause == 0 {
		cfg.ThrottlePause = DefaultThrottlePause
	}
	p := &Pool{cfg: cfg, slots: make(chan struct{}, cfg.Connections), done: make(chan struct{})}
	if cfg.RatePerSecond > 0 {
		p.limiter = rate.NewLimiter(rate.Limit(cfg.RatePerSecond), 1)
	}
	return p, nil
}

// Send transmits one message on a free session, waiting (within ctx) for
// one, for a throttling pause to end and for the rate limit. data must be
// a complete message with CRLF line endings. It returns the relay's final
// reply when the message was accepted; otherwise a *SendError for a
// refusal (Temporary for 4xx); an error matching ErrOutcomeUnknown when
// the session broke after the message was handed over; ErrNoSMTPUTF8; a
// herald EINVALID error for an unusable envelope; or an error matching
// ErrNotSent when nothing reached the relay (a refusal while connecting,
// such as a wrong password, is both a *SendError and ErrNotSent).
// Classify sorts them.
//
// A 421 or a failed connection ends the session; a throttling reply (see
// IsThrottling) also pauses every session for ThrottlePause. A reused
// session that fails before the message is handed over, as when the relay
// has closed it for being idle, is replaced and the message tried once
// more on the new one.
func (p *Pool) Send(ctx context.Context, env Envelope, data []byte) (Reply, error) {
	return p.SendAfter(ctx, env, data, nil)
}

// SendAfter is Send that calls before, if not nil, once the relay has
// taken the envelope and just before the message is written, at most once
// whatever the retries. When before returns an error nothing is sent: the
// session is closed so that the relay drops the transaction, and
// SendAfter returns an error matching ErrNotSent. When the envelope is
// refused or nothing can be sent, before is not called. A sender uses it
// to finish recording the previous message while this one's envelope is
// on its way.
func (p *Pool) SendAfter(ctx context.Context, env Envelope, data []byte, before func() error) (Reply, error) {
	if err := env.check(); err != nil {
		return Reply{}, err
	}
	env.UTF8 = env.UTF8 || !isASCII(env.From) || !isASCII(env.To)
	if err := p.acquire(ctx, true); err != nil {
		return Reply{}, err
	}
	defer p.release()

	s, reused, err := p.take(ctx)
	if err != nil {
		return Reply{}, p.note(err)
	}
	var beforeErr error
	if f := before; f != nil {
		called := false
		before = func() error {
			if !called {
				called, beforeErr = true, f()
			}
			return beforeErr
		}
	}
	reply, err := p.transact(ctx, s, env, data, before)
	if reused && ctx.Err() == nil && beforeErr == nil && stale(err) {
		p.put(ctx, s)
		if s, err = p.dial(ctx); err != nil {
			return Reply{}, p.note(err)
		}
		reply, err = p.transact(ctx, s, env, data, before)
	}
	p.put(ctx, s)
	return reply, p.note(err)
}

// transact runs one transaction on s.
func (p *Pool) transact(ctx context.Context, s *session, env Envelope, data []byte, before func() error) (Reply, error) {
	s.n++
	reply, err := s.c.send(ctx, env, data, before)
	if err == nil {
		p.sent.Add(1)
	}
	return reply, err
}

// stale reports whether err looks like a session the relay had already
// given up on: lost before the message was handed over, or a 421 (not a
// throttling one) to MAIL FROM, which is how relays say "idle too long".
func stale(err error) bool {
	var se *SendError
	if errors.As(err, &se) {
		return se.Code == 421 && se.Stage == "MAIL FROM" && !se.throttling()
	}
	return errors.Is(err, ErrNotSent)
}

// note starts a throttling pause if err calls for one, and returns err.
func (p *Pool) note(err error) error {
	if IsThrottling(err) {
		until := time.Now().Add(p.cfg.ThrottlePause)
		p.mu.Lock()
		if until.After(p.paused) {
			p.paused = until
		}
		p.mu.Unlock()
	}
	return err
}

// SupportsSMTPUTF8 reports whether the relay offers SMTPUTF8, connecting
// if no session has been opened yet.
func (p *Pool) SupportsSMTPUTF8(ctx context.Context) (bool, error) {
	p.mu.Lock()
	known := p.utf8
	p.mu.Unlock()
	if known != 0 {
		return known > 0, nil
	}
	if err := p.acquire(ctx, false); err != nil {
		return false, err
	}
	defer p.release()
	s, _, err := p.take(ctx)
	if err != nil {
		return false, err
	}
	ok, _ := s.c.client.Extension("SMTPUTF8")
	p.put(ctx, s)
	return ok, nil
}

// Stats returns the pool's counters.
func (p *Pool) Stats() PoolStats {
	p.mu.Lock()
	paused := p.paused
	p.mu.Unlock()
	if !time.Now().Before(paused) {
		paused = time.Time{}
	}
	return PoolStats{Opened: p.opened.Load(), Open: p.open.Load(), Sent: p.sent.Load(), PausedUntil: paused}
}

// Close stops new sends, waits (within ctx) for those in flight and ends
// every session with QUIT. Sends still in flight when ctx ends finish on
// their own and then end their sessions.
func (p *Pool) Close(ctx context.Context) error {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return nil
	}
	p.closed = true
	close(p.done)
	p.mu.Unlock()

	var err error
	for range cap(p.slots) {
		select {
		case p.slots <- struct{}{}:
			continue
		case <-ctx.Done():
			err = fmt.Errorf("smtpmail: close: %w", ctx.Err())
		}
		break
	}
	p.mu.Lock()
	idle := p.idle
	p.idle = nil
	p.mu.Unlock()
	for _, s := range idle {
		p.end(ctx, s)
	}
	return err
}

// check refuses an envelope that can't be written as MAIL FROM and
// RCPT TO.
func (e Envelope) check() error {
	if e.To == "" || strings.ContainsAny(e.From+e.To, "\r\n<>") {
		return fmt.Errorf("smtpmail: envelope %q → %q: %w", e.From, e.To,
			herald.Errorf(herald.EINVALID, "An email address in the envelope is not valid."))
	}
	return nil
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}
