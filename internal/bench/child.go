package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime/pprof"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// Result is what a phase child reports on its one line of JSON output,
// completed by the parent with what wait4 says about the child.
type Result struct {
	Phase        string  `json:"phase"`
	Seconds      float64 `json:"seconds"`     // the phase's measured work
	CPUSeconds   float64 `json:"cpu_s"`       // user+system CPU over the measured work
	PeakRSSMB    float64 `json:"peak_rss_mb"` // VmHWM: the peak resident set of the child's own image
	Messages     int     `json:"messages,omitempty"`
	LedgerSecs   float64 `json:"ledger_s,omitempty"`
	LedgerRows   int     `json:"ledger_rows,omitempty"`
	EditionID    int64   `json:"edition_id,omitempty"`
	MessageBytes int     `json:"message_bytes,omitempty"`
	Output       string  `json:"output,omitempty"` // what a wrapped command printed

	// Filled by the parent. ru_maxrss is not the child's own peak: Go
	// starts children with vfork (CLONE_VM), and Linux carries the
	// parent's resident set at exec into the child's ru_maxrss. It is
	// kept as a cross-check; PeakRSSMB is the figure.
	TotalCPU     float64 `json:"total_cpu_s"`
	RusageMaxRSS float64 `json:"rusage_maxrss_mb"`
}

// Measure runs fn as one measured phase of this process: its wall time,
// the CPU time this process spends meanwhile, and this process's peak
// resident set afterwards. With profile set, fn runs under the CPU
// profiler, writing to that file.
func Measure(phase, profile string, fn func() error) (Result, error) {
	stop, err := startProfile(profile)
	if err != nil {
		return Result{}, err
	}
	cpu0, t0 := cpuSeconds(), time.Now()
	err = fn()
	res := Result{Phase: phase, Seconds: time.Since(t0).Seconds(), CPUSeconds: cpuSeconds() - cpu0}
	stop()
	res.PeakRSSMB = peakRSSMB()
	return res, err
}

// WriteResult prints res as the one line of JSON the parent reads.
func WriteResult(w io.Writer, res Result) error {
	line, err := json.Marshal(res)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(w, "%s\n", line)
	return err
}

// startProfile starts the CPU profiler writing to path ("" for none) and
// returns what stops it.
func startProfile(path string) (func(), error) {
	if path == "" {
		return func() {}, nil
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() { pprof.StopCPUProfile(); f.Close() }, nil
}

// cpuSeconds is this process's user and system CPU time so far.
func cpuSeconds() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return float64(ru.Utime.Nano()+ru.Stime.Nano()) / 1e9
}

// peakRSSMB is this process's peak resident set (VmHWM) in MB; unlike
// getrusage's ru_maxrss it covers only this program image.
func peakRSSMB() float64 {
	status, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for line := range strings.SplitSeq(string(status), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(rest, "kB")))
			return float64(kb) / 1024
		}
	}
	return 0
}

// proc is a running phase child.
type proc struct {
	name   string
	cmd    *exec.Cmd
	stdout *tail
	stderr *tail
	done   chan struct{} // closed when the child has exited
	err    error         // from cmd.Wait, once done
}

// start runs the herald binary with args as a child, with a clean
// environment: HERALD_* settings of the caller's shell must not change
// what is measured.
func (r *runner) start(ctx context.Context, name string, args ...string) (*proc, error) {
	cmd := exec.CommandContext(ctx, r.exe, args...)
	cmd.Env = r.env
	p := &proc{name: name, cmd: cmd, stdout: &tail{max: 1 << 20}, stderr: &tail{max: 16 << 10}, done: make(chan struct{})}
	cmd.Stdout, cmd.Stderr = p.stdout, p.stderr
	cmd.Cancel = func() error { return cmd.Process.Signal(syscall.SIGTERM) }
	cmd.WaitDelay = time.Minute
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("%s: start: %w", name, err)
	}
	go func() { p.err = cmd.Wait(); close(p.done) }()
	return p, nil
}

// run runs a phase child to its end and returns its result.
func (r *runner) run(ctx context.Context, name string, args ...string) (Result, error) {
	p, err := r.start(ctx, name, args...)
	if err != nil {
		return Result{}, err
	}
	return p.wait()
}

// wait waits for the child to exit and reads its result.
func (p *proc) wait() (Result, error) {
	<-p.done
	if p.err != nil {
		return Result{}, fmt.Errorf("%s: %w\n%s", p.name, p.err, p.stderr.String())
	}
	var res Result
	out := strings.TrimSpace(p.stdout.String())
	if i := strings.LastIndexByte(out, '\n'); i >= 0 {
		out = out[i+1:]
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		return Result{}, fmt.Errorf("%s: no result line (%v)\n%s", p.name, err, p.stderr.String())
	}
	st := p.cmd.ProcessState
	res.TotalCPU = (st.UserTime() + st.SystemTime()).Seconds()
	if ru, ok := st.SysUsage().(*syscall.Rusage); ok {
		res.RusageMaxRSS = float64(ru.Maxrss) / 1024 // KB on Linux
	}
	return res, nil
}

// stop asks a long-running child (a server) to stop, as an operator
// would with SIGTERM, and returns its result.
func (p *proc) stop() (Result, error) {
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		return Result{}, fmt.Errorf("%s: stop: %w", p.name, err)
	}
	select {
	case <-p.done:
	case <-time.After(time.Minute):
		p.cmd.Process.Kill()
	}
	return p.wait()
}

// exited reports whether the child has already ended (and why).
func (p *proc) exited() error {
	select {
	case <-p.done:
		return fmt.Errorf("%s exited early (%v)\n%s", p.name, p.err, p.stderr.String())
	default:
		return nil
	}
}

// tail keeps the last max bytes written to it.
type tail struct {
	mu  sync.Mutex
	buf bytes.Buffer
	max int
}

func (t *tail) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.buf.Write(p)
	if over := t.buf.Len() - t.max; over > 0 {
		t.buf.Next(over)
	}
	return len(p), nil
}

func (t *tail) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.buf.String()
}
