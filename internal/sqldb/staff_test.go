package sqldb_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/internal/sqldb"
	"github.com/herald-news/herald/internal/sqldb/sqldbtest"
)

func mustStaff(t *testing.T) (*sqldb.StaffService, *herald.FakeClock) {
	t.Helper()
	db := sqldbtest.MustOpen(t)
	clock := herald.NewFakeClock(time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC))
	db.Clock = clock
	return sqldb.NewStaffService(db), clock
}

func TestUsers(t *testing.T) {
	ctx := context.Background()
	staff, _ := mustStaff(t)
	admin := &herald.User{Email: " Boss@Example.org ", Name: "Boss", Role: herald.RoleAdmin, PasswordHash: "h1"}
	if err := staff.CreateUser(ctx, admin); err != nil {
		t.Fatal(err)
	}
	if got, err := staff.FindUserByEmail(ctx, "BOSS@example.org"); err != nil || got.ID != admin.ID || got.Email != "boss@example.org" {
		t.Fatalf("FindUserByEmail = %+v, %v", got, err)
	}
	for _, bad := range []*herald.User{
		{Email: "boss@example.org", Role: herald.RoleWriter, PasswordHash: "h"},            // taken
		{Email: "not an address", Role: herald.RoleWriter, PasswordHash: "h"},              // malformed
		{Email: "w@example.org", Role: "owner", PasswordHash: "h"},                         // unknown role
		{Email: "w@example.org", Role: herald.RoleWriter},                                  // no password
		{Email: "w@example.org\r\nBcc: x@y.z", Role: herald.RoleWriter, PasswordHash: "h"}, // header injection
	} {
		if err := staff.CreateUser(ctx, bad); herald.ErrorCode(err) != herald.EINVALID && herald.ErrorCode(err) != herald.ECONFLICT {
			t.Errorf("CreateUser(%q, %q) = %v, want a clear refusal", bad.Email, bad.Role, err)
		}
	}
	// The last admin cannot be demoted or disabled.
	admin.Role = herald.RoleEditor
	if err := staff.UpdateUser(ctx, admin); herald.ErrorCode(err) != herald.ECONFLICT {
		t.Errorf("demoting the last admin = %v, want ECONFLICT", err)
	}
	second := &herald.User{Email: "two@example.org", Role: herald.RoleAdmin, PasswordHash: "h2"}
	if err := staff.CreateUser(ctx, second); err != nil {
		t.Fatal(err)
	}
	if err := staff.UpdateUser(ctx, admin); err != nil {
		t.Errorf("demoting one of two admins: %v", err)
	}
	if users, err := staff.Users(ctx); err != nil || len(users) != 2 || users[0].Email != "boss@example.org" || users[0].Role != herald.RoleEditor {
		t.Errorf("Users = %v, %v", users, err)
	}
}

func TestSessions(t *testing.T) {
	ctx := context.Background()
	staff, clock := mustStaff(t)
	u := &herald.User{Email: "ed@example.org", Role: herald.RoleEditor, PasswordHash: "h"}
	if err := staff.CreateUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	sess := &herald.Session{UserID: u.ID, ExpiresAt: clock.Now().Add(24 * time.Hour), IP: "127.0.0.1"}
	if err := staff.CreateSession(ctx, sess, "hash-a"); err != nil {
		t.Fatal(err)
	}
	got, err := staff.FindSession(ctx, "hash-a", time.Hour)
	if err != nil || got.User.Email != "ed@example.org" || got.User.Role != herald.RoleEditor || got.UserID != u.ID {
		t.Fatalf("FindSession = %+v, %v", got, err)
	}
	if _, err := staff.FindSession(ctx, "hash-b", time.Hour); herald.ErrorCode(err) != herald.EUNAUTHORIZED {
		t.Errorf("unknown session: %v", err)
	}
	clock.Advance(2 * time.Hour) // idle too long
	if _, err := staff.FindSession(ctx, "hash-a", time.Hour); herald.ErrorCode(err) != herald.EUNAUTHORIZED {
		t.Errorf("idle session still valid: %v", err)
	}
	if err := staff.TouchSession(ctx, sess.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := staff.FindSession(ctx, "hash-a", time.Hour); err != nil {
		t.Errorf("touched session: %v", err)
	}
	clock.Advance(23 * time.Hour) // past the absolute expiry
	if _, err := staff.FindSession(ctx, "hash-a", 0); herald.ErrorCode(err) != herald.EUNAUTHORIZED {
		t.Errorf("expired session still valid: %v", err)
	}
	if n, err := staff.DeleteExpiredSessions(ctx); err != nil || n != 1 {
		t.Errorf("DeleteExpiredSessions = %d, %v", n, err)
	}
	// A role change signs the person out everywhere.
	fresh := &herald.Session{UserID: u.ID, ExpiresAt: clock.Now().Add(time.Hour)}
	if err := staff.CreateSession(ctx, fresh, "hash-c"); err != nil {
		t.Fatal(err)
	}
	u.Role = herald.RoleWriter
	if err := staff.UpdateUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	if _, err := staff.FindSession(ctx, "hash-c", 0); herald.ErrorCode(err) != herald.EUNAUTHORIZED {
		t.Errorf("session survived a role change: %v", err)
	}
}

var testSignInLimits = sqldb.SignInLimits{PerAddress: 20, AddressWindow: 15 * time.Minute,
	FreeFailures: 5, AccountWindow: time.Hour, MaxDelay: 5 * time.Minute}

// reserveBurst makes n attempts at once, the i-th from address(i) for
// account(i), and returns how many were let through and the longest wait.
func reserveBurst(t *testing.T, staff *sqldb.StaffService, n int, address, account func(int) string) (int, time.Duration) {
	t.Helper()
	var wg sync.WaitGroup
	var mu sync.Mutex
	allowed, longest := 0, time.Duration(0)
	for i := range n {
		wg.Go(func() {
			a, err := staff.ReserveSignIn(context.Background(), address(i), account(i), testSignInLimits)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				t.Error(err)
			} else if a.Wait == 0 {
				allowed++
			} else {
				longest = max(longest, a.Wait)
			}
		})
	}
	wg.Wait()
	return allowed, longest
}

// Fifty attempts at once on one account, from fifty addresses, let
// through only the free failures; each later failure doubles the wait,
// and the wait ends: nobody is locked out.
func TestSignInBurstOnOneAccount(t *testing.T) {
	staff, clock := mustStaff(t)
	ip := func(i int) string { return fmt.Sprintf("ip:192.0.2.%d", i) }
	one := func(int) string { return "account:editor" }
	allowed, wait := reserveBurst(t, staff, 50, ip, one)
	if allowed != 5 || wait != time.Second {
		t.Fatalf("%d of 50 let through, wait %v; want 5 and 1s", allowed, wait)
	}
	clock.Advance(time.Second)
	if allowed, wait = reserveBurst(t, staff, 50, ip, one); allowed != 1 || wait != 2*time.Second {
		t.Errorf("after the wait: %d let through, then wait %v; want 1 and 2s", allowed, wait)
	}
	clock.Advance(2 * time.Second)
	a, err := staff.ReserveSignIn(context.Background(), "ip:192.0.2.200", "account:editor", testSignInLimits)
	if err != nil || a.Wait != 0 {
		t.Fatalf("after the doubled wait: %+v %v", a, err)
	}
	if err := staff.SignedIn(context.Background(), a, "account:editor"); err != nil {
		t.Fatal(err)
	}
	if allowed, _ := reserveBurst(t, staff, 5, ip, one); allowed != 5 {
		t.Errorf("after a sign-in: %d of 5 free attempts let through", allowed)
	}
}

// Fifty accounts tried at once from one address: the address's limit
// holds, and its wait ends when the window passes.
func TestSignInBurstFromOneAddress(t *testing.T) {
	staff, clock := mustStaff(t)
	addr := func(int) string { return "ip:198.51.100.7" }
	account := func(i int) string { return fmt.Sprintf("account:%d", i) }
	allowed, wait := reserveBurst(t, staff, 50, addr, account)
	if allowed != 20 || wait != 15*time.Minute {
		t.Fatalf("%d of 50 let through, wait %v; want 20 and 15m", allowed, wait)
	}
	clock.Advance(15 * time.Minute)
	if allowed, _ := reserveBurst(t, staff, 1, addr, account); allowed != 1 {
		t.Error("the address is still refused after its window")
	}
}

func TestAPITokens(t *testing.T) {
	ctx := context.Background()
	staff, clock := mustStaff(t)
	tok := &herald.APIToken{Name: "CMS bridge", Role: herald.RoleWriter, Prefix: "herald_ab"}
	if err := staff.CreateAPIToken(ctx, tok, "th"); err != nil {
		t.Fatal(err)
	}
	if got, err := staff.FindAPIToken(ctx, "th"); err != nil || got.Role != herald.RoleWriter || got.Name != "CMS bridge" {
		t.Fatalf("FindAPIToken = %+v, %v", got, err)
	}
	expiring := &herald.APIToken{Name: "short", Role: herald.RoleEditor, ExpiresAt: clock.Now().Add(time.Hour)}
	if err := staff.CreateAPIToken(ctx, expiring, "th2"); err != nil {
		t.Fatal(err)
	}
	clock.Advance(2 * time.Hour)
	if _, err := staff.FindAPIToken(ctx, "th2"); herald.ErrorCode(err) != herald.EUNAUTHORIZED {
		t.Errorf("expired token: %v", err)
	}
	if err := staff.RevokeAPIToken(ctx, tok.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := staff.FindAPIToken(ctx, "th"); herald.ErrorCode(err) != herald.EUNAUTHORIZED {
		t.Errorf("revoked token: %v", err)
	}
	if err := staff.RevokeAPIToken(ctx, tok.ID); herald.ErrorCode(err) != herald.ENOTFOUND {
		t.Errorf("revoking twice: %v", err)
	}
	if err := staff.CreateAPIToken(ctx, &herald.APIToken{Name: "", Role: herald.RoleWriter}, "th3"); herald.ErrorCode(err) != herald.EINVALID {
		t.Errorf("unnamed token: %v", err)
	}
	if list, _ := staff.APITokens(ctx); len(list) != 2 || list[0].ID != expiring.ID || list[1].RevokedAt.IsZero() {
		t.Errorf("APITokens = %+v", list)
	}
}

// A token made by a member of staff has no more power than they have:
// their present role caps it, and disabling them stops it.
func TestAPITokensFollowTheirCreator(t *testing.T) {
	ctx := context.Background()
	staff, clock := mustStaff(t)
	owner := &herald.User{Email: "chief@example.org", Name: "Chief", Role: herald.RoleAdmin, PasswordHash: "x"}
	other := &herald.User{Email: "other@example.org", Name: "Other", Role: herald.RoleAdmin, PasswordHash: "x"}
	for _, u := range []*herald.User{owner, other} {
		if err := staff.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
	}
	for i, by := range []string{"chief@example.org", "operator"} {
		if err := staff.CreateAPIToken(ctx, &herald.APIToken{Name: "bridge", Role: herald.RoleAdmin, CreatedBy: by}, fmt.Sprint("h", i)); err != nil {
			t.Fatal(err)
		}
	}
	owner.Role = herald.RoleWriter
	if err := staff.UpdateUser(ctx, owner); err != nil {
		t.Fatal(err)
	}
	if got, err := staff.FindAPIToken(ctx, "h0"); err != nil || got.Role != herald.RoleWriter {
		t.Errorf("a demoted creator's token: %+v %v, want the writer role", got, err)
	}
	owner.DisabledAt = clock.Now()
	if err := staff.UpdateUser(ctx, owner); err != nil {
		t.Fatal(err)
	}
	if _, err := staff.FindAPIToken(ctx, "h0"); herald.ErrorCode(err) != herald.EUNAUTHORIZED {
		t.Errorf("a disabled creator's token: %v", err)
	}
	if got, err := staff.FindAPIToken(ctx, "h1"); err != nil || got.Role != herald.RoleAdmin {
		t.Errorf("an operator's token: %+v %v", got, err)
	}
}
