package sqldb

import (
	"context"
	"fmt"
	"slices"
	"time"
)

// SignInLimits are the sign-in rules: a client address gets PerAddress
// attempts per AddressWindow; an account gets FreeFailures failures, then
// must wait a delay that doubles with each further failure up to MaxDelay
// (failures older than AccountWindow are forgotten). Nobody is locked
// out: a person with the password gets in once the delay has passed.
type SignInLimits struct {
	PerAddress    int
	AddressWindow time.Duration
	FreeFailures  int
	AccountWindow time.Duration
	MaxDelay      time.Duration
}

// SignInAttempt is a reserved attempt: until SignedIn clears it, it counts
// as a failure.
type SignInAttempt struct {
	ids []int64
	// Wait, when not zero, is how long to wait before trying: the attempt
	// was refused and nothing may be checked.
	Wait time.Duration
}

// ReserveSignIn counts an attempt for the client address key and the
// account key before any password is checked, in one step shared by
// every node (a locked transaction), so a burst cannot check more
// passwords than the limits allow.
func (s *StaffService) ReserveSignIn(ctx context.Context, addressKey, accountKey string, l SignInLimits) (SignInAttempt, error) {
	var a SignInAttempt
	err := s.db.inTx(ctx, func(tx *Tx) error {
		if err := tx.lockKeys(ctx, addressKey, accountKey); err != nil {
			return err
		}
		wait, err := tx.addressWait(ctx, addressKey, l)
		if err != nil || wait > 0 {
			a.Wait = wait
			return err
		}
		if a.Wait, err = tx.accountWait(ctx, accountKey, l); err != nil || a.Wait > 0 {
			return err
		}
		for _, key := range []string{addressKey, accountKey} {
			var id int64
			if err := tx.QueryRowContext(ctx, `INSERT INTO login_failures (key, created_at) VALUES ($1, $2) RETURNING id`,
				key, tx.now).Scan(&id); err != nil {
				return fmt.Errorf("sqldb: reserve sign-in: %w", err)
			}
			a.ids = append(a.ids, id)
		}
		_, err = tx.ExecContext(ctx, `DELETE FROM login_failures WHERE created_at < $1`, tx.now.Add(-24*time.Hour))
		return err
	})
	return a, err
}

// SignedIn forgets a successful attempt and the account's failures
// before it. Attempts reserved after it, still being checked, keep
// counting: a success in a burst frees no more checks for the rest.
func (s *StaffService) SignedIn(ctx context.Context, a SignInAttempt, accountKey string) error {
	if len(a.ids) == 0 {
		return nil
	}
	return s.db.inTx(ctx, func(tx *Tx) error {
		for _, id := range a.ids {
			if _, err := tx.ExecContext(ctx, `DELETE FROM login_failures WHERE id = $1`, id); err != nil {
				return err
			}
		}
		_, err := tx.ExecContext(ctx, `DELETE FROM login_failures WHERE key = $1 AND id < $2`, accountKey, slices.Max(a.ids))
		return err
	})
}

// lockKeys serialises attempts on the same keys across nodes. SQLite's
// write transactions are serialised already.
func (tx *Tx) lockKeys(ctx context.Context, keys ...string) error {
	if tx.db.dialect != Postgres {
		return nil
	}
	keys = slices.Clone(keys)
	slices.Sort(keys) // one order everywhere: no deadlock between two attempts
	for _, k := range keys {
		if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, "signin:"+k); err != nil {
			return fmt.Errorf("sqldb: lock sign-in: %w", err)
		}
	}
	return nil
}

// addressWait is how long the client address must wait: until its oldest
// attempt in the window leaves it, once the window is full.
func (tx *Tx) addressWait(ctx context.Context, key string, l SignInLimits) (time.Duration, error) {
	n, oldest, err := tx.attemptsSince(ctx, key, tx.now.Add(-l.AddressWindow), "ASC")
	if err != nil || n < l.PerAddress {
		return 0, err
	}
	return max(oldest.Add(l.AddressWindow).Sub(tx.now), time.Second), nil
}

// accountWait is the delay the account's failures have earned since the
// last of them.
func (tx *Tx) accountWait(ctx context.Context, key string, l SignInLimits) (time.Duration, error) {
	n, last, err := tx.attemptsSince(ctx, key, tx.now.Add(-l.AccountWindow), "DESC")
	if err != nil || n < l.FreeFailures {
		return 0, err
	}
	delay := l.MaxDelay
	if extra := n - l.FreeFailures; extra < 30 {
		delay = min(time.Second<<extra, l.MaxDelay)
	}
	return max(last.Add(delay).Sub(tx.now), 0), nil
}

// attemptsSince counts key's attempts since the time and returns the
// first of them in order (ASC: the oldest, DESC: the latest).
func (tx *Tx) attemptsSince(ctx context.Context, key string, since time.Time, order string) (int, time.Time, error) {
	var n int
	var edge time.Time
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM login_failures WHERE key = $1 AND created_at > $2`,
		key, since).Scan(&n); err != nil || n == 0 {
		return n, edge, err
	}
	err := tx.QueryRowContext(ctx, `SELECT created_at FROM login_failures WHERE key = $1 AND created_at > $2
		ORDER BY created_at `+order+` LIMIT 1`, key, since).Scan(&edge)
	return n, edge, err
}
