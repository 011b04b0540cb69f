package cli

import (
	"context"
	"fmt"
	"os/exec"
	"syscall"
	"testing"
	"time"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/internal/app"
	"github.com/herald-news/herald/internal/mail/smtptest"
	"github.com/herald-news/herald/internal/sqldb/sqldbtest"
)

// clusterFlags are the flags every node of a test cluster shares: one
// database (PostgreSQL when HERALD_TEST_POSTGRES is set, else one SQLite
// file) and one relay.
func clusterFlags(t testing.TB, port int) []string {
	return []string{"-data-dir", t.TempDir(), "-database-url", sqldbtest.MustURL(t),
		"-smtp-url", fmt.Sprintf("smtp://127.0.0.1:%d", port), "-check-domains", "off",
		"-lease", "2s", "-tick", "1s", "-log-level", "warn"}
}

// Three nodes on one database, one web and two workers: a worker is
// SIGKILLed mid-send, the other finishes; every reader has the edition and
// no more than the dead worker's connections got it twice.
func TestClusterFinishesWhenAWorkerDies(t *testing.T) {
	const readers, connections = 20_000, 4
	relay := &smtptest.Relay{Delay: time.Millisecond}
	flags := clusterFlags(t, smtptest.MustStart(t, relay, nil))
	id := mustEditionIn(t, flags, readers, false)
	t.Logf("%d readers on %s", readers, sqldbtest.Dialect())

	web := startHerald(t, append([]string{"serve", "-role", "web", "-addr", freeAddr(t)}, flags...))
	defer stopHerald(web)
	doomed := startHerald(t, append([]string{"worker", "-smtp-connections", fmt.Sprint(connections)}, flags...))
	survivor := startHerald(t, append([]string{"worker", "-smtp-connections", fmt.Sprint(connections)}, flags...))
	defer stopHerald(survivor)
	withTestAppFlags(t, flags, func(a *app.App) {
		if _, err := a.SendNow(context.Background(), id); err != nil {
			t.Fatal(err)
		}
	})
	deadline := time.Now().Add(60 * time.Second)
	for relay.Count() < readers/4 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	doomed.Process.Signal(syscall.SIGKILL)
	doomed.Wait()
	t.Logf("killed a worker at %d messages", relay.Count())
	waitSentIn(t, flags, id, 5*time.Minute)

	doubles := mustEveryReaderOnce(t, relay, readers)
	if doubles > connections {
		t.Errorf("%d readers got two copies; at most the dead worker's %d connections may", doubles, connections)
	}
	t.Logf("%d messages, %d second copies", len(relay.Messages()), doubles)
}

// An edition scheduled while three nodes run goes out once.
func TestScheduledEditionFiresOnceWithThreeNodes(t *testing.T) {
	const readers = 50
	relay := &smtptest.Relay{}
	flags := clusterFlags(t, smtptest.MustStart(t, relay, nil))
	id := mustEditionIn(t, flags, readers, false)
	for range 3 {
		node := startHerald(t, append([]string{"serve", "-addr", freeAddr(t)}, flags...))
		defer stopHerald(node)
	}
	withTestAppFlags(t, flags, func(a *app.App) {
		if err := a.Editions.SetEditionStatus(context.Background(), id, herald.EditionScheduled, time.Now().Add(3*time.Second)); err != nil {
			t.Fatal(err)
		}
	})
	waitSentIn(t, flags, id, 60*time.Second)
	time.Sleep(2 * time.Second) // three more ticks on every node
	if relay.Count() != readers {
		t.Errorf("relay got %d messages for %d readers", relay.Count(), readers)
	}
	withTestAppFlags(t, flags, func(a *app.App) {
		counts, err := a.Editions.Counts(context.Background(), id)
		if err != nil || counts.Total() != readers || counts[herald.SendAccepted] != readers {
			t.Errorf("ledger %v, %v", counts, err)
		}
	})
}

// stopHerald asks a node to stop and waits (bounded) for it.
func stopHerald(cmd *exec.Cmd) {
	cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan struct{})
	go func() { cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		cmd.Process.Kill()
		<-done
	}
}
