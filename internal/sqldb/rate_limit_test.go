package sqldb_test

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/herald-news/herald/internal/sqldb"
	"github.com/herald-news/herald/internal/sqldb/sqldbtest"
)

// Fifty requests at once from one address, through two limiters on one
// database (two nodes): exactly the limit gets through; the next window
// starts afresh, and other addresses are not affected.
func TestRateLimitIsSharedAndHoldsUnderABurst(t *testing.T) {
	db := sqldbtest.MustOpen(t)
	nodes := []*sqldb.RateLimiter{sqldb.NewRateLimiter(db, "signup", 10, time.Hour), sqldb.NewRateLimiter(db, "signup", 10, time.Hour)}
	now := time.Date(2026, 12, 8, 10, 15, 0, 0, time.UTC)
	var allowed atomic.Int32
	var wg sync.WaitGroup
	for i := range 50 {
		wg.Go(func() {
			ok, err := nodes[i%2].Allow(context.Background(), "192.0.2.9", now)
			if err != nil {
				t.Error(err)
			}
			if ok {
				allowed.Add(1)
			}
		})
	}
	wg.Wait()
	if n := allowed.Load(); n != 10 {
		t.Errorf("%d of 50 allowed, want 10", n)
	}
	if ok, _ := nodes[0].Allow(context.Background(), "192.0.2.10", now); !ok {
		t.Error("another address was limited")
	}
	if ok, _ := nodes[1].Allow(context.Background(), "192.0.2.9", now.Add(time.Hour)); !ok {
		t.Error("the next hour is still limited")
	}
}
