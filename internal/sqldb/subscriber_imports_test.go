package sqldb_test

import (
	"context"
	"testing"
	"time"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/internal/sqldb"
	"github.com/herald-news/herald/internal/sqldb/sqldbtest"
)

func TestSubscriberImports(t *testing.T) {
	ctx := context.Background()
	db := sqldbtest.MustOpen(t)
	clock := herald.NewFakeClock(time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC))
	db.Clock = clock
	imports := sqldb.NewSubscriberImports(db)
	if err := imports.Save(ctx, "a1", []byte(`{"rows":10}`)); err != nil {
		t.Fatal(err)
	}
	clock.Advance(time.Minute)
	if err := imports.Save(ctx, "a1", []byte(`{"rows":20}`)); err != nil {
		t.Fatal(err)
	}
	if err := imports.Save(ctx, "b2", []byte(`{"rows":1}`)); err != nil {
		t.Fatal(err)
	}
	if got, err := imports.Find(ctx, "a1"); err != nil || string(got) != `{"rows":20}` {
		t.Errorf("Find = %s, %v", got, err)
	}
	if _, err := imports.Find(ctx, "zz"); herald.ErrorCode(err) != herald.ENOTFOUND {
		t.Errorf("an unknown import: %v", err)
	}
	clock.Advance(2 * time.Hour)
	if err := imports.Save(ctx, "c3", []byte(`{}`)); err != nil {
		t.Fatal(err)
	}
	if err := imports.Forget(ctx, clock.Now().Add(-time.Hour)); err != nil {
		t.Fatal(err)
	}
	for id, kept := range map[string]bool{"a1": false, "b2": false, "c3": true} {
		if _, err := imports.Find(ctx, id); (err == nil) != kept {
			t.Errorf("after Forget, %s: %v", id, err)
		}
	}
}
