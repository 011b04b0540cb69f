package smtpmail

import (
	"context"
	"fmt"
	"time"
)

// acquire takes a slot, first waiting out any throttling pause and then,
// for a message, the rate limit. Its errors match ErrNotSent.
func (p *Pool) acquire(ctx context.Context, message bool) error {
	for {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("%w: %w", ErrNotSent, err)
		}
		if err := p.waitPause(ctx); err != nil {
			return err
		}
		select {
		case p.slots <- struct{}{}:
		case <-ctx.Done():
			return fmt.Errorf("%w: %w", ErrNotSent, ctx.Err())
		case <-p.done:
			return fmt.Errorf("%w: %w", ErrNotSent, ErrPoolClosed)
		}
		p.mu.Lock()
		closed, paused := p.closed, time.Now().Before(p.paused)
		p.mu.Unlock()
		switch {
		case closed: // Close began while this send waited for the slot
			p.release()
			return fmt.Errorf("%w: %w", ErrNotSent, ErrPoolClosed)
		case paused: // a throttling reply came while this send waited
			p.release()
			continue
		}
		if message && p.limiter != nil {
			if err := p.limiter.Wait(ctx); err != nil {
				p.release()
				return fmt.Errorf("%w: rate limit: %w", ErrNotSent, err)
			}
		}
		if err := ctx.Err(); err != nil { // don't spoil a good session on a send already abandoned
			p.release()
			return fmt.Errorf("%w: %w", ErrNotSent, err)
		}
		return nil
	}
}

// release gives back a slot taken by acquire.
func (p *Pool) release() { <-p.slots }

// waitPause returns when no throttling pause is on, or with an error
// matching ErrNotSent when ctx ends or the pool closes first.
func (p *Pool) waitPause(ctx context.Context) error {
	for {
		p.mu.Lock()
		d := time.Until(p.paused)
		p.mu.Unlock()
		if d <= 0 {
			return nil
		}
		t := time.NewTimer(d)
		select {
		case <-t.C: // the pause may have been extended meanwhile: look again
		case <-ctx.Done():
			t.Stop()
			return fmt.Errorf("%w: waiting out the relay's throttling: %w", ErrNotSent, ctx.Err())
		case <-p.done:
			t.Stop()
			return fmt.Errorf("%w: %w", ErrNotSent, ErrPoolClosed)
		}
	}
}

// take returns an idle session (reused), or dials one. The caller holds a
// slot, so at most Connections sessions are ever open or being opened:
// every session is either idle or in the hands of a slot holder, and a
// holder dials only when none is idle.
func (p *Pool) take(ctx context.Context) (s *session, reused bool, err error) {
	p.mu.Lock()
	if n := len(p.idle); n > 0 {
		s = p.idle[n-1]
		p.idle = p.idle[:n-1]
		p.mu.Unlock()
		return s, true, nil
	}
	p.mu.Unlock()
	s, err = p.dial(ctx)
	return s, false, err
}

// dial opens a session: connect, EHLO, STARTTLS, AUTH. Its errors match
// ErrNotSent; a refusal is a *SendError as well.
func (p *Pool) dial(ctx context.Context) (*session, error) {
	c, err := dial(ctx, p.cfg.Config)
	if err == nil {
		if err = c.hello(ctx); err == nil {
			err = c.auth(ctx)
		}
		if err != nil {
			c.close()
		}
	}
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrNotSent, err)
	}
	p.opened.Add(1)
	p.open.Add(1)
	utf8 := -1
	if ok, _ := c.client.Extension("SMTPUTF8"); ok {
		utf8 = 1
	}
	p.mu.Lock()
	p.utf8 = utf8
	p.mu.Unlock()
	return &session{c: c}, nil
}

// put returns s to the idle sessions after use, or ends it when it is
// broken, has run MaxPerConn transactions, was retired after a refusal,
// or the pool is closing.
func (p *Pool) put(ctx context.Context, s *session) {
	if !s.c.broken && !s.c.retire && s.n < p.cfg.MaxPerConn {
		p.mu.Lock()
		if !p.closed {
			p.idle = append(p.idle, s)
			p.mu.Unlock()
			return
		}
		p.mu.Unlock()
	}
	p.end(ctx, s)
}

// end says QUIT, unless the session is broken, and closes it.
func (p *Pool) end(ctx context.Context, s *session) {
	_ = s.c.quit(ctx) // the session is over either way
	p.open.Add(-1)
}
