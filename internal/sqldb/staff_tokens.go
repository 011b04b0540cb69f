package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/herald-news/herald"
)

const apiTokenColumns = `id, name, role, prefix, created_by, created_at, last_used_at, expires_at, revoked_at`

func scanAPIToken(r rowScanner) (*herald.APIToken, error) {
	var t herald.APIToken
	var used, expires, revoked sql.NullTime
	if err := r.Scan(&t.ID, &t.Name, &t.Role, &t.Prefix, &t.CreatedBy, &t.CreatedAt, &used, &expires, &revoked); err != nil {
		return nil, err
	}
	t.LastUsedAt, t.ExpiresAt, t.RevokedAt = used.Time, expires.Time, revoked.Time
	return &t, nil
}

// CreateAPIToken stores a token for the secret whose hash is given.
func (s *StaffService) CreateAPIToken(ctx context.Context, t *herald.APIToken, secretHash string) error {
	t.Name = strings.TrimSpace(t.Name)
	if t.Name == "" || len(t.Name) > 100 {
		return herald.Errorf(herald.EINVALID, "A token needs a name of at most 100 characters, saying what uses it.")
	}
	if !t.Role.Valid() {
		return herald.Errorf(herald.EINVALID, "Unknown role %q: use writer, editor or admin.", t.Role)
	}
	return s.db.inTx(ctx, func(tx *Tx) error {
		t.CreatedAt = tx.now
		return tx.QueryRowContext(ctx, `INSERT INTO api_tokens (name, role, token_hash, prefix, created_by, created_at, expires_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`, t.Name, string(t.Role), secretHash, t.Prefix, t.CreatedBy,
			tx.now, utc(t.ExpiresAt)).Scan(&t.ID)
	})
}

// FindAPIToken returns the usable token for a secret's hash and notes its
// use. Returns EUNAUTHORIZED for an unknown, revoked or expired token.
func (s *StaffService) FindAPIToken(ctx context.Context, secretHash string) (*herald.APIToken, error) {
	t, err := scanAPIToken(s.db.db.QueryRowContext(ctx, `SELECT `+apiTokenColumns+` FROM api_tokens WHERE token_hash = $1`, secretHash))
	now := s.db.Clock.Now()
	if err != nil || !t.Usable(now) {
		return nil, herald.Errorf(herald.EUNAUTHORIZED, "The API token is unknown, revoked or expired.")
	}
	if err := s.limitToCreator(ctx, t); err != nil {
		return nil, err
	}
	// Note the use at most once a minute: a busy integration would
	// otherwise turn every read into a write.
	if now.Sub(t.LastUsedAt) > time.Minute {
		err := s.db.inTx(ctx, func(tx *Tx) error {
			_, err := tx.ExecContext(ctx, `UPDATE api_tokens SET last_used_at = $1 WHERE id = $2`, tx.now, t.ID)
			return err
		})
		if err != nil {
			return nil, fmt.Errorf("sqldb: note token use: %w", err)
		}
	}
	return t, nil
}

// limitToCreator gives a token made by a member of staff no more power
// than they have now: none once they are disabled or gone, and their
// present role when it is lower than the token's. Tokens made on the
// command line (created by an operator, not an account) keep their role.
func (s *StaffService) limitToCreator(ctx context.Context, t *herald.APIToken) error {
	if !strings.Contains(t.CreatedBy, "@") {
		return nil
	}
	var role herald.Role
	var disabled sql.NullTime
	err := s.db.db.QueryRowContext(ctx, `SELECT role, disabled_at FROM users WHERE email = $1`,
		strings.ToLower(t.CreatedBy)).Scan(&role, &disabled)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && disabled.Valid) {
		return herald.Errorf(herald.EUNAUTHORIZED, "The API token belongs to %s, whose account is disabled or removed.", t.CreatedBy)
	} else if err != nil {
		return fmt.Errorf("sqldb: token creator: %w", err)
	}
	if !role.AtLeast(t.Role) {
		t.Role = role
	}
	return nil
}

// APITokens returns every token, newest first.
func (s *StaffService) APITokens(ctx context.Context) ([]*herald.APIToken, error) {
	return queryAll(ctx, s.db.db, `SELECT `+apiTokenColumns+` FROM api_tokens ORDER BY id DESC`, scanAPIToken)
}

// RevokeAPIToken stops a token from working, at once and for good.
func (s *StaffService) RevokeAPIToken(ctx context.Context, id int64) error {
	return s.db.inTx(ctx, func(tx *Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL`, tx.now, id)
		if err != nil {
			return fmt.Errorf("sqldb: revoke token: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return herald.Errorf(herald.ENOTFOUND, "No active API token has the id %d.", id)
		}
		return nil
	})
}
