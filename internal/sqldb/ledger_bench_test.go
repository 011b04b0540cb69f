package sqldb_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/internal/sqldb"
	"github.com/herald-news/herald/internal/subscriberio"
)

// BenchmarkLedgerPerMessage measures the ledger work each message costs
// the sender, uncontended: recording an outcome and the eligibility check.
func BenchmarkLedgerPerMessage(b *testing.B) {
	ctx := context.Background()
	s := mustSubscribers(b)
	rows := make([]subscriberio.Row, 20000)
	for i := range rows {
		rows[i] = subscriberio.Row{Line: i, Email: fmt.Sprintf("r%d@example.com", i)}
	}
	if _, err := s.subs.ImportSink(s.am.ID, true, "b").ImportRows(ctx, rows); err != nil {
		b.Fatal(err)
	}
	eds := sqldb.NewEditionService(s.db)
	ed := &herald.Edition{NewsletterID: s.am.ID, Date: time.Now(), Subject: "x"}
	if err := eds.CreateEdition(ctx, ed); err != nil {
		b.Fatal(err)
	}
	if _, err := eds.StartSend(ctx, ed.ID); err != nil {
		b.Fatal(err)
	}
	claims, err := eds.Claim(ctx, ed.ID, "n", len(rows), time.Hour)
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	start := time.Now()
	for i := 0; i < b.N && i < len(claims); i++ {
		if err := eds.Record(ctx, "n", []herald.SendOutcome{{SendID: claims[i].SendID, Status: herald.SendAccepted, Reply: "250 ok"}}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(time.Since(start).Microseconds())/float64(min(b.N, len(claims))), "us/record")
	start = time.Now()
	for i := 0; i < 2000; i++ {
		if _, _, err := eds.Eligible(ctx, claims[i].SubscriberID, s.am.ID, claims[i].Email); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(time.Since(start).Microseconds())/2000, "us/eligible")
}
