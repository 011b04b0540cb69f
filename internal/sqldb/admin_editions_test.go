package sqldb_test

import (
	"context"
	"testing"
	"time"

	"github.com/herald-news/herald"
)

func TestEditionAudienceAndPace(t *testing.T) {
	b := mustBounces(t, "ann@example.com", "bob@example.com", "cy@example.com")
	ctx := context.Background()
	if n, err := b.eds.Audience(ctx, b.am.ID); err != nil || n != 3 {
		t.Fatalf("Audience = %d, %v; want 3", n, err)
	}
	start := b.clock.Now()
	id, sends := b.mustSent(t, 0)
	// Two messages accepted in the first minute, one two minutes later.
	accept := func(emails ...string) {
		t.Helper()
		claims, err := b.eds.Claim(ctx, id, "n1", len(emails), time.Hour)
		if err != nil || len(claims) != len(emails) {
			t.Fatalf("claim: %d, %v", len(claims), err)
		}
		var out []herald.SendOutcome
		for _, c := range claims {
			out = append(out, herald.SendOutcome{SendID: c.SendID, Status: herald.SendAccepted, Reply: "250 ok"})
		}
		if err := b.eds.Record(ctx, "n1", out); err != nil {
			t.Fatal(err)
		}
	}
	accept("ann@example.com", "bob@example.com")
	b.clock.Advance(2 * time.Minute)
	accept("cy@example.com")
	if len(sends) != 3 {
		t.Fatalf("ledger rows: %v", sends)
	}
	pace, err := b.eds.AcceptedPerMinute(ctx, id, start.Add(-time.Minute), b.clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	var counts []int
	for _, m := range pace {
		counts = append(counts, m.Count)
	}
	if want := []int{0, 2, 0, 1}; len(counts) != len(want) || counts[0] != 0 || counts[1] != 2 || counts[2] != 0 || counts[3] != 1 {
		t.Errorf("per minute = %v, want %v", counts, want)
	}
	all, err := b.eds.CountsFor(ctx, []int64{id, id + 1000})
	if err != nil {
		t.Fatal(err)
	}
	if got := all[id][herald.SendAccepted]; got != 3 || len(all) != 1 {
		t.Errorf("CountsFor = %v", all)
	}
}
