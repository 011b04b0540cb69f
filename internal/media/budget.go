package media

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/herald-news/herald"
)

// DefaultBudget is the memory budget of every Store without one of its
// own: one process, one budget, however many uploads arrive at once.
var DefaultBudget = NewBudget(512<<20, 20*time.Second)

// Budget bounds the bytes that photos being decoded and resized hold at
// once. A photo reserves what it will need before it is decoded and waits,
// first come first served, while others hold the budget; a photo that
// waits too long is refused as busy rather than decoded anyway.
type Budget struct {
	capacity int64
	wait     time.Duration

	mu      sync.Mutex
	used    int64
	peak    int64
	waiters []*budgetWaiter // in order of arrival
}

// budgetWaiter is a reservation waiting for room.
type budgetWaiter struct {
	n     int64
	ready chan struct{} // closed once the bytes are reserved for it
}

// NewBudget returns a budget of capacity bytes whose reservations wait at
// most wait for room.
func NewBudget(capacity int64, wait time.Duration) *Budget {
	return &Budget{capacity: capacity, wait: wait}
}

// Capacity returns the bytes the budget holds.
func (b *Budget) Capacity() int64 { return b.capacity }

// Peak returns the most bytes reserved at once since the budget was made.
func (b *Budget) Peak() int64 {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.peak
}

// InUse returns the bytes reserved now.
func (b *Budget) InUse() int64 {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.used
}

// errBusy is the answer to a photo that waited too long for memory.
var errBusy = herald.Errorf(herald.EUNAVAILABLE,
	"Herald is busy processing other photos right now. Please try the upload again in a minute.")

// reserve waits until n bytes are free, reserves them and returns the
// function that gives them back. A reservation larger than the whole
// budget takes all of it, so it runs alone rather than never. It returns
// EUNAVAILABLE when the wait runs out, and ctx's error when ctx ends first.
func (b *Budget) reserve(ctx context.Context, n int64) (release func(), err error) {
	n = min(max(n, 1), b.capacity)
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("media: wait to decode: %w", err)
	}
	once := sync.OnceFunc(func() { b.release(n) })
	b.mu.Lock()
	if len(b.waiters) == 0 && b.used+n <= b.capacity {
		b.take(n)
		b.mu.Unlock()
		return once, nil
	}
	w := &budgetWaiter{n: n, ready: make(chan struct{})}
	b.waiters = append(b.waiters, w)
	b.mu.Unlock()

	timer := time.NewTimer(b.wait)
	defer timer.Stop()
	select {
	case <-w.ready:
		return once, nil
	case <-ctx.Done():
		err = fmt.Errorf("media: wait to decode: %w", ctx.Err())
	case <-timer.C:
		err = errBusy
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	select {
	case <-w.ready: // granted just as the wait ended: give it back
		b.used -= n
	default:
		for i, other := range b.waiters {
			if other == w {
				b.waiters = append(b.waiters[:i], b.waiters[i+1:]...)
				break
			}
		}
	}
	b.grant() // the first in line may have been what held the others back
	return nil, err
}

// release gives back n reserved bytes.
func (b *Budget) release(n int64) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.used -= n
	b.grant()
}

// take reserves n bytes; b.mu is held.
func (b *Budget) take(n int64) {
	b.used += n
	b.peak = max(b.peak, b.used)
}

// grant reserves bytes for the waiters at the front of the line while they
// fit; b.mu is held.
func (b *Budget) grant() {
	for len(b.waiters) > 0 {
		w := b.waiters[0]
		if b.used+w.n > b.capacity {
			return
		}
		b.take(w.n)
		b.waiters = b.waiters[1:]
		close(w.ready)
	}
}
