package subscriberio_test

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/herald-news/herald/internal/subscriberio"
	"github.com/herald-news/herald/internal/subscriberio/subscriberiotest"
)

// BenchmarkImport1M imports a 1,000,000-row plain file (1% bad rows) into a
// sink that keeps nothing. Run it with
//
//	go test -run '^$' -bench Import1M -benchmem ./internal/subscriberio/
//
// It reports rows/s and the process's peak resident memory (VmHWM, Linux).
func BenchmarkImport1M(b *testing.B) {
	const rows = 1_000_000
	name := filepath.Join(b.TempDir(), "subscribers.csv")
	f, err := os.Create(name)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := subscriberiotest.WriteCSV(f, "plain", rows, 100); err != nil {
		b.Fatal(err)
	}
	if err := f.Close(); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		f, err := os.Open(name)
		if err != nil {
			b.Fatal(err)
		}
		fi, _ := f.Stat()
		rep, err := subscriberio.Import(context.Background(), f, fi.Size(), discardSink{}, subscriberio.Options{Validate: validate})
		f.Close()
		if err != nil || rep.Rows != rows {
			b.Fatalf("report %+v, %v", rep, err)
		}
	}
	b.ReportMetric(float64(rows*b.N)/b.Elapsed().Seconds(), "rows/s")
	if hwm := peakRSS(); hwm > 0 {
		b.ReportMetric(float64(hwm)/(1<<20), "peak-MB")
	}
}

// peakRSS is VmHWM from /proc/self/status in bytes, or 0.
func peakRSS() int64 {
	status, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for line := range strings.Lines(string(status)) {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			return kb << 10
		}
	}
	return 0
}
