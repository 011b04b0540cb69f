package auth

import (
	"errors"
	"sync"
	"testing"
	"time"
)

// A burst of password checks runs at most HashSlots at a time, each
// answered; with every slot held, a check waits hashWait and gets ErrBusy.
func TestHashingPoolBoundsABurst(t *testing.T) {
	hash, err := HashPassword(t.Context(), "correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 60)
	for range 60 {
		wg.Go(func() {
			ok, err := VerifyPassword(t.Context(), hash, "correct horse battery")
			if err == nil && !ok {
				err = errors.New("the right password did not verify")
			}
			if err != nil && !errors.Is(err, ErrBusy) {
				errs <- err
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if peak := PeakHashes(); peak > HashSlots() || peak < 1 {
		t.Errorf("%d hashes ran at once, the pool has %d slots", peak, HashSlots())
	}

	for range HashSlots() {
		hashSlots <- struct{}{}
	}
	defer func() {
		for range HashSlots() {
			<-hashSlots
		}
	}()
	saved := hashWait
	hashWait = 20 * time.Millisecond
	defer func() { hashWait = saved }()
	if _, err := VerifyPassword(t.Context(), hash, "correct horse battery"); !errors.Is(err, ErrBusy) {
		t.Errorf("with every slot held: %v, want ErrBusy", err)
	}
}
