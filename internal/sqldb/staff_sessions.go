package sqldb

import (
	"context"
	"fmt"
	"time"

	"github.com/herald-news/herald"
)

// CreateSession stores a session for the secret whose hash is given.
func (s *StaffService) CreateSession(ctx context.Context, sess *herald.Session, secretHash string) error {
	if sess.ExpiresAt.IsZero() || sess.UserID == 0 {
		return herald.Errorf(herald.EINVALID, "A session needs a user and an expiry.")
	}
	return s.db.inTx(ctx, func(tx *Tx) error {
		sess.CreatedAt, sess.LastSeen = tx.now, tx.now
		return tx.QueryRowContext(ctx, `INSERT INTO sessions (token_hash, user_id, created_at, last_seen, expires_at, ip, user_agent)
			VALUES ($1, $2, $3, $3, $4, $5, $6) RETURNING id`, secretHash, sess.UserID, tx.now, utc(sess.ExpiresAt),
			truncate(sess.IP, 64), truncate(sess.UserAgent, 300)).Scan(&sess.ID)
	})
}

// FindSession returns the live session for a secret's hash, with its
// user. Returns EUNAUTHORIZED when there is none, it expired, it was idle
// longer than idle, or its account is disabled.
func (s *StaffService) FindSession(ctx context.Context, secretHash string, idle time.Duration) (*herald.Session, error) {
	var sess herald.Session
	row := s.db.db.QueryRowContext(ctx, `SELECT s.id, s.created_at, s.last_seen, s.expires_at, s.ip, s.user_agent,
		u.id, u.email, u.name, u.role, u.password_hash, u.author_id, u.created_at, u.disabled_at
		FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1`, secretHash)
	u, err := scanUser(scannerFunc(func(userDest ...any) error {
		return row.Scan(append([]any{&sess.ID, &sess.CreatedAt, &sess.LastSeen, &sess.ExpiresAt, &sess.IP, &sess.UserAgent},
			userDest...)...)
	}))
	if err != nil {
		return nil, herald.Errorf(herald.EUNAUTHORIZED, "Please sign in.")
	}
	now := s.db.Clock.Now()
	if !now.Before(sess.ExpiresAt) || (idle > 0 && now.Sub(sess.LastSeen) > idle) || !u.Active() {
		return nil, herald.Errorf(herald.EUNAUTHORIZED, "Your session has ended. Please sign in again.")
	}
	sess.UserID, sess.User = u.ID, u
	return &sess, nil
}

// scannerFunc adapts a function to rowScanner.
type scannerFunc func(dest ...any) error

func (f scannerFunc) Scan(dest ...any) error { return f(dest...) }

// TouchSession records that the session was used now.
func (s *StaffService) TouchSession(ctx context.Context, id int64) error {
	return s.db.inTx(ctx, func(tx *Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE sessions SET last_seen = $1 WHERE id = $2`, tx.now, id)
		return err
	})
}

// DeleteSession signs one browser out.
func (s *StaffService) DeleteSession(ctx context.Context, secretHash string) error {
	return s.db.inTx(ctx, func(tx *Tx) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE token_hash = $1`, secretHash)
		return err
	})
}

// DeleteUserSessions signs a person out everywhere.
func (s *StaffService) DeleteUserSessions(ctx context.Context, userID int64) error {
	return s.db.inTx(ctx, func(tx *Tx) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = $1`, userID)
		return err
	})
}

// DeleteExpiredSessions removes sessions past their expiry.
func (s *StaffService) DeleteExpiredSessions(ctx context.Context) (int64, error) {
	var n int64
	err := s.db.inTx(ctx, func(tx *Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE expires_at <= $1`, tx.now)
		if err != nil {
			return fmt.Errorf("sqldb: delete expired sessions: %w", err)
		}
		n, err = res.RowsAffected()
		return err
	})
	return n, err
}
