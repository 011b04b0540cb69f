package cli

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/herald-news/herald/internal/mail/smtptest"
)

// SIGTERM (or Ctrl-C) during `edition send ID --wait` stops the send
// unfinished: the command exits non-zero and says that a worker or serve
// resumes it. Sending again is refused with the same advice, and a worker
// does finish it.
func TestInterruptedSendWaitExitsNonZeroAndSaysHowItResumes(t *testing.T) {
	const readers = 200
	relay := &smtptest.Relay{Delay: 2 * time.Millisecond}
	port := smtptest.MustStart(t, relay, nil)
	dir := t.TempDir()
	id := mustEditionIn(t, []string{"-data-dir", dir}, readers, false)
	sid := strconv.FormatInt(id, 10)
	flags := []string{"-data-dir", dir, "-smtp-url", fmt.Sprintf("smtp://127.0.0.1:%d", port), "-check-domains", "off", "-log-level", "warn"}

	// Twenty messages a second: the send takes ten seconds, and is
	// interrupted as soon as it has started.
	cmd := exec.Command(os.Args[0], append([]string{"edition", "send", sid, "--wait", "-smtp-rate", "20"}, flags...)...)
	cmd.Env = append(os.Environ(), "HERALD_TEST_MAIN=1")
	var errOut bytes.Buffer
	cmd.Stderr = &errOut
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := bufio.NewScanner(stdout)
	for lines.Scan() && !strings.Contains(lines.Text(), "is sending to") {
	}
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	timer := time.AfterFunc(30*time.Second, func() { cmd.Process.Kill() })
	io.Copy(io.Discard, stdout)
	err = cmd.Wait()
	timer.Stop()
	if code := cmd.ProcessState.ExitCode(); code != 1 || !strings.Contains(errOut.String(), "stopped before the send finished") ||
		!strings.Contains(errOut.String(), "`herald worker` or `herald serve` resumes it") ||
		!strings.Contains(errOut.String(), "herald edition status "+sid+" --watch") {
		t.Fatalf("interrupted send --wait: exit %d (%v), stderr %q", code, err, errOut.String())
	}
	if n := relay.Count(); n >= readers {
		t.Fatalf("the send finished (%d messages) before the interruption; the test proves nothing", n)
	}

	code, _, again := run(t, append([]string{"edition", "send", sid, "--wait"}, flags...)...)
	if code != 1 || !strings.Contains(again, "already sending") || !strings.Contains(again, "`herald worker` or `herald serve` resumes it") {
		t.Errorf("send again: exit %d, stderr %q", code, again)
	}

	worker := startHerald(t, append([]string{"worker"}, flags...))
	defer stopHerald(worker)
	waitEditionSent(t, dir, id, 60*time.Second)
	if doubles := mustEveryReaderOnce(t, relay, readers); doubles > 0 {
		t.Errorf("%d readers got the edition twice", doubles)
	}
}
