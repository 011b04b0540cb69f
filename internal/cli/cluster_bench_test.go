package cli

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/herald-news/herald/internal/app"
	"github.com/herald-news/herald/internal/mail/smtptest"
)

// BenchmarkWorkerProcesses sends one edition to HERALD_BENCH_RECIPIENTS
// readers (default 20,000) with one and then two `herald worker`
// processes on one database, to a discarding relay on loopback:
//
//	HERALD_TEST_POSTGRES=$(.ci/postgres.sh) go test -run '^$' -bench WorkerProcesses -benchtime 1x ./internal/cli/
func BenchmarkWorkerProcesses(b *testing.B) {
	n := 20_000
	if v, err := strconv.Atoi(os.Getenv("HERALD_BENCH_RECIPIENTS")); err == nil && v > 0 {
		n = v
	}
	for _, workers := range []int{1, 2} {
		b.Run(fmt.Sprintf("workers=%d", workers), func(b *testing.B) {
			for b.Loop() {
				relay := &smtptest.Relay{Discard: true}
				flags := clusterFlags(b, smtptest.MustStart(b, relay, nil))
				id := mustEditionIn(b, flags, n, false)
				for range workers {
					cmd := startHerald(b, append([]string{"worker"}, flags...))
					defer stopHerald(cmd)
				}
				time.Sleep(time.Second) // let the workers start
				start := time.Now()
				withTestAppFlags(b, flags, func(a *app.App) {
					if _, err := a.SendNow(context.Background(), id); err != nil {
						b.Fatal(err)
					}
				})
				waitSentIn(b, flags, id, 10*time.Minute)
				b.ReportMetric(float64(n)/time.Since(start).Seconds(), "msgs/s")
			}
		})
	}
}
