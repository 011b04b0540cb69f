package sqldb

import "context"

// MigrateTo brings the schema up to version and no further, so a test can
// store rows the way an older Herald did before the rest runs.
func (db *DB) MigrateTo(ctx context.Context, version int64) error {
	provider, err := db.migrations()
	if err != nil {
		return err
	}
	_, err = provider.UpTo(ctx, version)
	return err
}
