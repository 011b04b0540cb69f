package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/herald-news/herald"
)

// IdempotencyTTL is how long an Idempotency-Key is remembered.
const IdempotencyTTL = 24 * time.Hour

// Stored is the answer kept for an idempotency key. A Status of zero
// means the first request with the key is still being handled.
type Stored struct {
	RequestHash string
	Status      int
	Body        []byte
}

// IdempotencyStore keeps the answers to API requests that carried an
// Idempotency-Key, per token, for IdempotencyTTL.
type IdempotencyStore struct{ db *DB }

// NewIdempotencyStore returns the store on db.
func NewIdempotencyStore(db *DB) *IdempotencyStore { return &IdempotencyStore{db: db} }

// Claim reserves key for a request of the given hash. It returns nil when
// the caller holds the key and must Save or Release it, or the stored
// answer of an earlier request with the same key (Status 0 while that one
// is still running). Keys older than IdempotencyTTL are forgotten.
func (s *IdempotencyStore) Claim(ctx context.Context, tokenID int64, key, requestHash string) (*Stored, error) {
	var prior *Stored
	err := s.db.inTx(ctx, func(tx *Tx) error {
		prior = nil
		if _, err := tx.ExecContext(ctx, `DELETE FROM idempotency_keys WHERE created_at < $1`, tx.now.Add(-IdempotencyTTL)); err != nil {
			return fmt.Errorf("sqldb: expire idempotency keys: %w", err)
		}
		var st Stored
		err := tx.QueryRowContext(ctx, `SELECT request_hash, status, body FROM idempotency_keys WHERE token_id = $1 AND key = $2`,
			tokenID, key).Scan(&st.RequestHash, &st.Status, &st.Body)
		if err == nil {
			prior = &st
			return nil
		} else if !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("sqldb: find idempotency key: %w", err)
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO idempotency_keys (token_id, key, request_hash, status, body, created_at)
			VALUES ($1, $2, $3, 0, $4, $5)`, tokenID, key, requestHash, []byte{}, tx.now)
		if err != nil {
			return fmt.Errorf("sqldb: claim idempotency key: %w", err)
		}
		return nil
	})
	return prior, err
}

// Save stores the answer of the request that claimed key.
func (s *IdempotencyStore) Save(ctx context.Context, tokenID int64, key string, status int, body []byte) error {
	if status == 0 {
		return herald.Errorf(herald.EINVALID, "sqldb: an idempotent answer needs a status")
	}
	return s.db.inTx(ctx, func(tx *Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE idempotency_keys SET status = $1, body = $2 WHERE token_id = $3 AND key = $4`,
			status, body, tokenID, key)
		if err != nil {
			return fmt.Errorf("sqldb: save idempotent answer: %w", err)
		}
		return nil
	})
}

// Release forgets a claimed key whose request failed on our side, so that
// the client may retry with it.
func (s *IdempotencyStore) Release(ctx context.Context, tokenID int64, key string) error {
	return s.db.inTx(ctx, func(tx *Tx) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM idempotency_keys WHERE token_id = $1 AND key = $2`, tokenID, key)
		if err != nil {
			return fmt.Errorf("sqldb: release idempotency key: %w", err)
		}
		return nil
	})
}
