package sqldb

import (
	"context"
	"database/sql"
	"fmt"
	"net/mail"
	"strings"

	"github.com/herald-news/herald"
)

// StaffService stores staff accounts, their sessions and sign-in
// failures, and API tokens.
type StaffService struct{ db *DB }

// NewStaffService returns a StaffService on db.
func NewStaffService(db *DB) *StaffService { return &StaffService{db: db} }

const userColumns = `id, email, name, role, password_hash, author_id, created_at, disabled_at`

func scanUser(r rowScanner) (*herald.User, error) {
	var u herald.User
	var author sql.NullInt64
	var disabled sql.NullTime
	if err := r.Scan(&u.ID, &u.Email, &u.Name, &u.Role, &u.PasswordHash, &author, &u.CreatedAt, &disabled); err != nil {
		return nil, err
	}
	u.AuthorID, u.DisabledAt = author.Int64, disabled.Time
	return &u, nil
}

func validateUser(u *herald.User) error {
	u.Email = strings.ToLower(strings.TrimSpace(u.Email))
	u.Name = strings.TrimSpace(u.Name)
	if a, err := mail.ParseAddress(u.Email); err != nil || a.Address != u.Email || len(u.Email) > 254 {
		return herald.Errorf(herald.EINVALID, "%q is not an email address.", u.Email)
	}
	if !u.Role.Valid() {
		return herald.Errorf(herald.EINVALID, "Unknown role %q: use writer, editor or admin.", u.Role)
	}
	if len(u.Name) > 200 {
		return herald.Errorf(herald.EINVALID, "The name may have at most 200 characters.")
	}
	if u.PasswordHash == "" {
		return herald.Errorf(herald.EINVALID, "A staff account needs a password.")
	}
	return nil
}

// CreateUser stores a new staff account. Returns EINVALID, or ECONFLICT
// when the address already has an account.
func (s *StaffService) CreateUser(ctx context.Context, u *herald.User) error {
	if err := validateUser(u); err != nil {
		return err
	}
	return s.db.inTx(ctx, func(tx *Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM users WHERE email = $1`, u.Email).Scan(&n); err != nil {
			return fmt.Errorf("sqldb: check user: %w", err)
		} else if n > 0 {
			return herald.Errorf(herald.ECONFLICT, "%s already has a staff account.", u.Email)
		}
		u.CreatedAt = tx.now
		return tx.QueryRowContext(ctx, `INSERT INTO users (email, name, role, password_hash, author_id, created_at)
			VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
			u.Email, u.Name, string(u.Role), u.PasswordHash, nullInt64(u.AuthorID), tx.now).Scan(&u.ID)
	})
}

// FindUserByID returns ENOTFOUND when there is no such account.
func (s *StaffService) FindUserByID(ctx context.Context, id int64) (*herald.User, error) {
	u, err := scanUser(s.db.db.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE id = $1`, id))
	return u, notFound(err, "Staff account")
}

// FindUserByEmail finds an account by address, case-insensitively.
func (s *StaffService) FindUserByEmail(ctx context.Context, email string) (*herald.User, error) {
	u, err := scanUser(s.db.db.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE email = $1`,
		strings.ToLower(strings.TrimSpace(email))))
	return u, notFound(err, "Staff account")
}

// Users returns every staff account by address.
func (s *StaffService) Users(ctx context.Context) ([]*herald.User, error) {
	return queryAll(ctx, s.db.db, `SELECT `+userColumns+` FROM users ORDER BY email`, scanUser)
}

// UpdateUser saves an account's name, role, byline, password hash and
// whether it is disabled. Disabling an account, changing its role or its
// password signs it out everywhere.
func (s *StaffService) UpdateUser(ctx context.Context, u *herald.User) error {
	if err := validateUser(u); err != nil {
		return err
	}
	return s.db.inTx(ctx, func(tx *Tx) error {
		old, err := scanUser(tx.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE id = $1`, u.ID))
		if err != nil {
			return notFound(err, "Staff account")
		}
		if old.Role == herald.RoleAdmin && (u.Role != herald.RoleAdmin || !u.Active()) {
			if err := tx.mustKeepAnAdmin(ctx, u.ID); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, `UPDATE users SET name = $1, role = $2, password_hash = $3, author_id = $4,
			disabled_at = $5 WHERE id = $6`, u.Name, string(u.Role), u.PasswordHash, nullInt64(u.AuthorID),
			utc(u.DisabledAt), u.ID); err != nil {
			return fmt.Errorf("sqldb: update user: %w", err)
		}
		if old.Role != u.Role || old.PasswordHash != u.PasswordHash || !u.Active() {
			if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = $1`, u.ID); err != nil {
				return fmt.Errorf("sqldb: end sessions: %w", err)
			}
		}
		return nil
	})
}

// mustKeepAnAdmin refuses a change that would leave no active admin.
func (tx *Tx) mustKeepAnAdmin(ctx context.Context, changing int64) error {
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM users WHERE role = 'admin' AND disabled_at IS NULL
		AND id <> $1`, changing).Scan(&n); err != nil {
		return fmt.Errorf("sqldb: count admins: %w", err)
	}
	if n == 0 {
		return herald.Errorf(herald.ECONFLICT, "This is the last admin account; make someone else an admin first.")
	}
	return nil
}
