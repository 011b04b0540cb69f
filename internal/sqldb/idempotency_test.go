package sqldb_test

import (
	"context"
	"testing"
	"time"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/internal/sqldb"
	"github.com/herald-news/herald/internal/sqldb/sqldbtest"
)

func TestIdempotencyKeysReplayThenExpire(t *testing.T) {
	ctx := context.Background()
	db := sqldbtest.MustOpen(t)
	clock := herald.NewFakeClock(time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC))
	db.Clock = clock
	staff := sqldb.NewStaffService(db)
	tok := &herald.APIToken{Name: "cms", Role: herald.RoleEditor, Prefix: "herald_abc"}
	if err := staff.CreateAPIToken(ctx, tok, "hash-of-secret"); err != nil {
		t.Fatal(err)
	}
	store := sqldb.NewIdempotencyStore(db)
	if prior, err := store.Claim(ctx, tok.ID, "k", "h1"); err != nil || prior != nil {
		t.Fatalf("first claim: %+v %v", prior, err)
	}
	if prior, err := store.Claim(ctx, tok.ID, "k", "h1"); err != nil || prior == nil || prior.Status != 0 {
		t.Fatalf("claim while running: %+v %v", prior, err)
	}
	if err := store.Save(ctx, tok.ID, "k", 201, []byte(`{"id":1}`)); err != nil {
		t.Fatal(err)
	}
	prior, err := store.Claim(ctx, tok.ID, "k", "h2")
	if err != nil || prior == nil || prior.Status != 201 || prior.RequestHash != "h1" || string(prior.Body) != `{"id":1}` {
		t.Fatalf("replay: %+v %v", prior, err)
	}
	clock.Advance(sqldb.IdempotencyTTL + time.Minute)
	if prior, err := store.Claim(ctx, tok.ID, "k", "h2"); err != nil || prior != nil {
		t.Fatalf("after a day the key is free again: %+v %v", prior, err)
	}
	if err := store.Release(ctx, tok.ID, "k"); err != nil {
		t.Fatal(err)
	}
	if prior, err := store.Claim(ctx, tok.ID, "k", "h3"); err != nil || prior != nil {
		t.Fatalf("a released key is free: %+v %v", prior, err)
	}
}
