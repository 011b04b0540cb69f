package subscribe

import (
	"context"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// maxTrackedIPs bounds the limiter's memory; past it, idle clients are
// forgotten (and, under a flood of addresses, any half of the table), which
// only ever errs toward letting a reader in.
const maxTrackedIPs = 100_000

// Limiter counts requests per client address. sqldb.RateLimiter shares
// its count between nodes; IPLimiter keeps it in this process.
type Limiter interface {
	Allow(ctx context.Context, ip string, now time.Time) (bool, error)
}

// IPLimiter allows each client address a burst of requests, then a steady
// rate. It is per process: for one node (SQLite); several nodes share
// sqldb.RateLimiter instead.
type IPLimiter struct {
	mu      sync.Mutex
	every   time.Duration
	burst   int
	clients map[string]*client
}

type client struct {
	limiter *rate.Limiter
	seen    time.Time
}

// NewIPLimiter allows perHour requests an hour per address after a burst.
func NewIPLimiter(perHour, burst int) *IPLimiter {
	if perHour < 1 {
		perHour = 1
	}
	if burst < 1 {
		burst = 1
	}
	return &IPLimiter{every: time.Hour / time.Duration(perHour), burst: burst, clients: map[string]*client{}}
}

// Allow reports whether ip may make another request at now.
func (l *IPLimiter) Allow(_ context.Context, ip string, now time.Time) (bool, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	c, ok := l.clients[ip]
	if !ok {
		if len(l.clients) >= maxTrackedIPs {
			l.forgetIdle(now)
		}
		c = &client{limiter: rate.NewLimiter(rate.Every(l.every), l.burst)}
		l.clients[ip] = c
	}
	c.seen = now
	return c.limiter.AllowN(now, 1), nil
}

// forgetIdle drops clients whose bucket has refilled (they would start
// with a full burst anyway), then any clients until the table is half full.
func (l *IPLimiter) forgetIdle(now time.Time) {
	refilled := now.Add(-time.Duration(l.burst) * l.every)
	for ip, c := range l.clients {
		if c.seen.Before(refilled) {
			delete(l.clients, ip)
		}
	}
	for ip := range l.clients {
		if len(l.clients) <= maxTrackedIPs/2 {
			break
		}
		delete(l.clients, ip)
	}
}
