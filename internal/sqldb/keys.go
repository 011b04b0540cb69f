package sqldb

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/herald-news/herald/internal/token"
)

const tokenKeysKey = "token_keys"

// TokenKeys returns the keys that sign links in emails, newest first,
// making the first one on first run. Nodes starting together agree on it:
// the insert keeps whichever key was stored first.
func (db *DB) TokenKeys(ctx context.Context) ([]token.Key, error) {
	fresh, err := token.NewKey()
	if err != nil {
		return nil, err
	}
	raw, err := json.Marshal([]token.Key{fresh})
	if err != nil {
		return nil, fmt.Errorf("sqldb: encode token key: %w", err)
	}
	if _, err := db.db.ExecContext(ctx, `INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING`,
		tokenKeysKey, string(raw)); err != nil {
		return nil, fmt.Errorf("sqldb: store token key: %w", err)
	}
	var stored string
	if err := db.db.QueryRowContext(ctx, `SELECT value FROM settings WHERE key = $1`, tokenKeysKey).Scan(&stored); err != nil {
		return nil, fmt.Errorf("sqldb: token keys: %w", err)
	}
	var keys []token.Key
	if err := json.Unmarshal([]byte(stored), &keys); err != nil {
		return nil, fmt.Errorf("sqldb: token keys: %w", err)
	}
	return keys, nil
}

// RotateTokenKeys puts a new signing key first; older keys keep verifying
// the links already sent. It keeps at most keep keys.
func (db *DB) RotateTokenKeys(ctx context.Context, keep int) error {
	return db.inTx(ctx, func(tx *Tx) error {
		var stored string
		if err := tx.QueryRowContext(ctx, `SELECT value FROM settings WHERE key = $1`, tokenKeysKey).Scan(&stored); err != nil {
			return notFound(err, "Token keys")
		}
		var keys []token.Key
		if err := json.Unmarshal([]byte(stored), &keys); err != nil {
			return fmt.Errorf("sqldb: token keys: %w", err)
		}
		fresh, err := token.NewKey()
		if err != nil {
			return err
		}
		keys = append([]token.Key{fresh}, keys...)
		if keep > 0 && len(keys) > keep {
			keys = keys[:keep]
		}
		raw, err := json.Marshal(keys)
		if err != nil {
			return fmt.Errorf("sqldb: encode token keys: %w", err)
		}
		_, err = tx.ExecContext(ctx, `UPDATE settings SET value = $1 WHERE key = $2`, string(raw), tokenKeysKey)
		return err
	})
}
