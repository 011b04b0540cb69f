package subscribe

import (
	"context"
	"sync"
	"time"

	"github.com/herald-news/herald"
)

// newsletterTTL is how long a signup trusts a newsletter it looked up:
// signups come in bursts, newsletters change seldom, and a renamed or
// closed one is noticed within seconds.
const newsletterTTL = 5 * time.Second

// newsletterCache keeps the newsletters signups ask for by slug, so that
// a burst of signups costs one query, not one each.
type newsletterCache struct {
	mu      sync.Mutex
	bySlug  map[string]*herald.Newsletter
	fetched time.Time
}

// findNewsletter is Newsroom.FindNewsletter through the cache. Only found
// newsletters are kept: a slug not found is asked again.
func (s *Service) findNewsletter(ctx context.Context, slug string) (*herald.Newsletter, error) {
	c, now := &s.newsletters, s.Clock.Now()
	c.mu.Lock()
	if now.Sub(c.fetched) >= newsletterTTL || now.Before(c.fetched) {
		c.bySlug, c.fetched = map[string]*herald.Newsletter{}, now
	}
	nl := c.bySlug[slug]
	c.mu.Unlock()
	if nl != nil {
		return nl, nil
	}
	nl, err := s.Newsroom.FindNewsletter(ctx, slug)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	c.bySlug[slug] = nl
	c.mu.Unlock()
	return nl, nil
}
