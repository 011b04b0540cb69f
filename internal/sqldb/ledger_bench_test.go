package sqldb_test

import (
	"context"
	"fmt"
	"os"
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
	if s.db.Dialect() == sqldb.SQLite {
		last := claims[len(claims)-400:]
		b.ReportMetric(walFramesPer(b, s.db, 100, func(i int) []herald.SendOutcome {
			return []herald.SendOutcome{{SendID: last[i].SendID, Status: herald.SendAccepted, Reply: "250 ok"}}
		}), "frames/record")
		b.ReportMetric(walFramesPer(b, s.db, 50, func(i int) []herald.SendOutcome {
			o := make([]herald.SendOutcome, 4)
			for k := range o {
				o[k] = herald.SendOutcome{SendID: last[200+4*i+k].SendID, Status: herald.SendAccepted, Reply: "250 ok"}
			}
			return o
		}), "frames/4-record")
	}
}

// walFramesPer returns the WAL frames (pages written) each of n calls to
// Record with outcomes(i) adds on SQLite.
func walFramesPer(b *testing.B, db *sqldb.DB, n int, outcomes func(i int) []herald.SendOutcome) float64 {
	ctx := context.Background()
	var seq int
	var name, file string
	if err := db.SQL().QueryRowContext(ctx, `PRAGMA database_list`).Scan(&seq, &name, &file); err != nil {
		b.Fatal(err)
	}
	if _, err := db.SQL().ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
		b.Fatal(err)
	}
	eds := sqldb.NewEditionService(db)
	for i := range n {
		if err := eds.Record(ctx, "n", outcomes(i)); err != nil {
			b.Fatal(err)
		}
	}
	fi, err := os.Stat(file + "-wal")
	if err != nil {
		b.Fatal(err)
	}
	const header, frameHeader, page = 32, 24, 4096
	return float64(fi.Size()-header) / (frameHeader + page) / float64(n)
}
