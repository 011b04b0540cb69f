package auth

import (
	"context"
	"runtime"
	"sync/atomic"
	"time"

	"github.com/herald-news/herald"
)

// Each argon2id hash takes argonMemory (19 MiB) while it runs, so a burst
// of sign-ins could take gigabytes. Hashing runs in a bounded pool: one
// slot per core, at most maxHashSlots; a request waits up to hashWait for
// a slot and is then refused with ErrBusy (429 with Retry-After).
const (
	maxHashSlots = 8
	// BusyRetryAfter is what a refused request is told to wait.
	BusyRetryAfter = 2 * time.Second
)

// hashWait is how long a hash waits for a slot (a variable for tests).
var hashWait = 2 * time.Second

// ErrBusy is a password check refused because every hashing slot stayed
// busy for hashWait.
var ErrBusy = &herald.Error{Code: "rate_limited", Message: "Too many sign-ins at once. Try again in a few seconds."}

var (
	hashSlots  = make(chan struct{}, HashSlots())
	inFlight   atomic.Int64
	peakFlight atomic.Int64
)

// HashSlots is how many hashes may run at once on this machine.
func HashSlots() int {
	return min(max(runtime.GOMAXPROCS(0), 1), maxHashSlots)
}

// PeakHashes is the most hashes that ran at once since the process
// started, for tests and benchmarks.
func PeakHashes() int { return int(peakFlight.Load()) }

// withHashSlot runs fn in a hashing slot, waiting up to hashWait for one
// (or until ctx ends).
func withHashSlot(ctx context.Context, fn func()) error {
	t := time.NewTimer(hashWait)
	defer t.Stop()
	select {
	case hashSlots <- struct{}{}:
	case <-t.C:
		return ErrBusy
	case <-ctx.Done():
		return ErrBusy
	}
	n := inFlight.Add(1)
	for {
		peak := peakFlight.Load()
		if n <= peak || peakFlight.CompareAndSwap(peak, n) {
			break
		}
	}
	defer func() {
		inFlight.Add(-1)
		<-hashSlots
	}()
	fn()
	return nil
}
