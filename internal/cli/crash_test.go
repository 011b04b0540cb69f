package cli

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"syscall"
	"testing"
	"time"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/internal/app"
	"github.com/herald-news/herald/internal/mail/smtptest"
	"github.com/herald-news/herald/internal/subscriberio"
)

// A worker sending 5,000 messages to a slow relay is killed with SIGKILL
// at random moments and restarted each time. In the end every reader has
// the edition, and no more readers got it twice than connections times
// kills: only messages in flight at a kill may go out again.
func TestSendSurvivesKills(t *testing.T) {
	const readers, connections, kills = 5000, 4, 5
	relay := &smtptest.Relay{Delay: 2 * time.Millisecond}
	port := smtptest.MustStart(t, relay, nil)
	dir := t.TempDir()
	editionID := mustQueuedEdition(t, dir, readers)

	args := []string{"worker", "-data-dir", dir, "-smtp-url", fmt.Sprintf("smtp://127.0.0.1:%d", port),
		"-check-domains", "off", "-lease", "1s", "-smtp-connections", fmt.Sprint(connections), "-log-level", "warn"}
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range kills {
		cmd := startHerald(t, args)
		time.Sleep(time.Duration(400+rng.IntN(900)) * time.Millisecond)
		if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		cmd.Wait()
		t.Logf("kill %d: relay has %d messages", i+1, relay.Count())
	}
	cmd := startHerald(t, args)
	defer stopHerald(cmd)
	waitEditionSent(t, dir, editionID, 120*time.Second)

	doubles := mustEveryReaderOnce(t, relay, readers)
	if doubles > connections*kills {
		t.Errorf("%d readers got it twice; at most %d may", doubles, connections*kills)
	}
	t.Logf("%d readers, %d kills: %d messages, %d readers got a second copy", readers, kills, len(relay.Messages()), doubles)
}

// startHerald runs this test binary as herald with args.
func startHerald(t testing.TB, args []string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), "HERALD_TEST_MAIN=1")
	cmd.Stdout, cmd.Stderr = io.Discard, os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	return cmd
}

// mustQueuedEdition prepares a newsroom with readers active subscribers
// of one newsletter and an edition whose ledger is written.
func mustQueuedEdition(t testing.TB, dir string, readers int) int64 {
	t.Helper()
	return mustEditionIn(t, []string{"-data-dir", dir}, readers, true)
}

// mustEditionIn prepares, in the database the flags name, a newsroom with
// readers subscribers of one newsletter and an edition, started when
// start is set.
func mustEditionIn(t testing.TB, flags []string, readers int, start bool) int64 {
	t.Helper()
	var id int64
	withTestAppFlags(t, flags, func(a *app.App) {
		ctx := context.Background()
		nl := &herald.Newsletter{Slug: "am", Name: "Herald AM", TimeZone: "UTC", SendTime: "06:00", FromEmail: "am@herald.example"}
		err := a.Site.SaveSite(ctx, &herald.Site{Name: "Herald", PostalAddress: "1 Main St", Language: "en"})
		if err == nil {
			err = a.Newsroom.SaveNewsletter(ctx, nl)
		}
		if err != nil {
			t.Fatal(err)
		}
		rows := make([]subscriberio.Row, readers)
		for i := range rows {
			rows[i] = subscriberio.Row{Line: i + 2, Email: fmt.Sprintf("reader%05d@example.com", i)}
		}
		if _, err := a.Subscribers.ImportSink(nl.ID, true, "test").ImportRows(ctx, rows); err != nil {
			t.Fatal(err)
		}
		ed := &herald.Edition{NewsletterID: nl.ID, Newsletter: nl, Date: time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC),
			Subject: "Crash test", Opening: herald.EditionItem{Headline: "One", Body: "Body."}}
		if err := a.Editions.CreateEdition(ctx, ed); err != nil {
			t.Fatal(err)
		}
		id = ed.ID
		if !start {
			return
		}
		if n, err := a.SendNow(ctx, ed.ID); err != nil || n != readers {
			t.Fatalf("start send: %d rows, %v", n, err)
		}
	})
	return id
}

// waitEditionSent polls the data folder's database until the edition is
// sent (bounded).
func waitEditionSent(t testing.TB, dir string, id int64, within time.Duration) {
	t.Helper()
	waitSentIn(t, []string{"-data-dir", dir}, id, within)
}

// waitSentIn is waitEditionSent for the database the flags name.
func waitSentIn(t testing.TB, flags []string, id int64, within time.Duration) {
	t.Helper()
	deadline := time.Now().Add(within)
	for time.Now().Before(deadline) {
		var status herald.EditionStatus
		withTestAppFlags(t, flags, func(a *app.App) {
			ed, err := a.Editions.FindEdition(context.Background(), id)
			if err != nil {
				t.Fatal(err)
			}
			status = ed.Status
		})
		if status == herald.EditionSent {
			return
		}
		time.Sleep(500 * time.Millisecond)
	}
	t.Fatalf("edition %d not sent within %v", id, within)
}

// SIGTERM mid-send: the worker stops claiming, finishes and records what
// is in flight, hands back what it had claimed, and exits 0; a restart
// finishes the send with no reader getting two copies.
func TestSendStopsCleanlyOnSIGTERM(t *testing.T) {
	const readers = 2000
	relay := &smtptest.Relay{Delay: 2 * time.Millisecond}
	port := smtptest.MustStart(t, relay, nil)
	dir := t.TempDir()
	editionID := mustQueuedEdition(t, dir, readers)
	args := []string{"worker", "-data-dir", dir, "-smtp-url", fmt.Sprintf("smtp://127.0.0.1:%d", port),
		"-check-domains", "off", "-lease", "1m", "-log-level", "warn"}
	cmd := startHerald(t, args)
	deadline := time.Now().Add(30 * time.Second)
	for relay.Count() < 300 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	stopped := make(chan error, 1)
	go func() { stopped <- cmd.Wait() }()
	select {
	case err := <-stopped:
		if err != nil {
			t.Fatalf("worker exited with %v", err)
		}
	case <-time.After(20 * time.Second):
		cmd.Process.Kill()
		t.Fatal("worker did not stop within 20s of SIGTERM")
	}
	// Nothing is left leased: the next worker need not wait a minute.
	withTestApp(t, dir, func(a *app.App) {
		counts, err := a.Editions.Counts(context.Background(), editionID)
		if err != nil {
			t.Fatal(err)
		}
		if counts[herald.SendSending] != 0 || counts[herald.SendAccepted] != relay.Count() {
			t.Errorf("after SIGTERM: %v, relay has %d", counts, relay.Count())
		}
	})
	cmd = startHerald(t, args)
	defer stopHerald(cmd)
	waitEditionSent(t, dir, editionID, 60*time.Second)
	got := map[string]int{}
	for _, m := range relay.Messages() {
		got[m.To[0]]++
	}
	if len(got) != readers || len(relay.Messages()) != readers {
		t.Errorf("%d readers got %d messages, want %d each once", len(got), len(relay.Messages()), readers)
	}
}

// mustEveryReaderOnce fails the test for any of the readers the relay
// never got a message for, and returns how many got more than one.
func mustEveryReaderOnce(t testing.TB, relay *smtptest.Relay, readers int) int {
	t.Helper()
	got := map[string]int{}
	for _, m := range relay.Messages() {
		got[m.To[0]]++
	}
	doubles := 0
	for i := range readers {
		switch n := got[fmt.Sprintf("reader%05d@example.com", i)]; {
		case n == 0:
			t.Errorf("reader %d never got the edition", i)
		case n > 1:
			doubles++
		}
	}
	return doubles
}
