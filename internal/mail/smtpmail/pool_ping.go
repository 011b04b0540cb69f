package smtpmail

import "context"

// Ping checks that the relay answers, opening a session if none is open,
// so that a send is refused before it starts rather than failing reader
// by reader.
func (p *Pool) Ping(ctx context.Context) error {
	if p.open.Load() > 0 {
		return nil // a session is open: the relay answers, and a busy pool need not wait for a free one
	}
	if err := p.acquire(ctx, false); err != nil {
		return err
	}
	defer p.release()
	s, _, err := p.take(ctx)
	if err != nil {
		return err
	}
	p.put(ctx, s)
	return nil
}
