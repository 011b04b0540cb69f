// Package bench is `herald bench`: it measures sending, import, pages and
// signups on this machine, each against a baseline measured in the same
// run (a bare go-smtp client, the same bytes served from memory) and
// against the targets of issue 7.
//
// Everything runs on 127.0.0.1 in a temporary folder. Each measured phase
// runs in a child process (the herald binary itself, `herald bench
// --phase …`), so that its peak resident set and CPU time are its own;
// the parent hosts the discarding SMTP sink and the HTTP load, and
// reads the children's one-line JSON results.
package bench

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Options choose the sizes and repetitions of a bench.
type Options struct {
	Quick       bool          // small sizes: checks that every part works, in well under a minute
	Parts       []string      // which of send, import, pages, signup to run; nil: all
	Recipients  int           // readers of the main send figure; 0: 100,000 (quick: 2,000)
	Sizes       []int         // recipients of the scale figures; nil: 10,000, 100,000, 1,000,000 (quick: 1,000, 2,000)
	Runs        int           // repetitions of each measurement (the median is reported); 0: 3 (quick: 1)
	LargestRuns int           // repetitions at the largest send size; 0: Runs
	ImportRows  int           // rows of the generated CSV; 0: 1,000,000 (quick: 20,000)
	PageTime    time.Duration // load time per page and for signups; 0: 5 s (quick: 1 s)
	PostgresURL string        // a PostgreSQL server to make each phase's database on; "": SQLite
	ProfileDir  string        // when set, each child phase writes a CPU profile here
	Executable  string        // the herald binary; "": this program
	Env         []string      // extra environment for the children (HERALD_TEST_MAIN=1 under go test)
	Log         io.Writer     // progress lines; nil: none
}

// runner is one bench in progress.
type runner struct {
	opts   Options
	exe    string
	env    []string
	tmp    string
	seq    int
	stores []*store // every phase's database, removed at the end
	rep    *Report
}

// Run runs the whole bench and returns its report. It fails only when
// the bench itself is broken (a child fails, a message or signup goes
// missing), never because a target is missed.
func Run(ctx context.Context, opts Options) (*Report, error) {
	opts = withDefaults(opts)
	exe := opts.Executable
	if exe == "" {
		var err error
		if exe, err = os.Executable(); err != nil {
			return nil, err
		}
	}
	tmp, err := os.MkdirTemp("", "herald-bench-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	if opts.ProfileDir != "" {
		if err := os.MkdirAll(opts.ProfileDir, 0o755); err != nil {
			return nil, err
		}
	}
	r := &runner{opts: opts, exe: exe, env: childEnv(opts.Env), tmp: tmp, rep: &Report{
		Version: FormatVersion, Started: time.Now().UTC(), Database: "sqlite", Quick: opts.Quick,
		Recipients: opts.Recipients, Runs: opts.Runs,
		Machine: Machine{CPUs: runtime.NumCPU(), OS: runtime.GOOS, Arch: runtime.GOARCH, GoVersion: runtime.Version(), Load: [2]float64{loadAverage()}},
	}}
	if opts.PostgresURL != "" {
		r.rep.Database = "postgres"
	}
	defer func() {
		for _, s := range r.stores {
			s.remove(context.WithoutCancel(ctx))
		}
	}()
	parts := map[string]func(context.Context) ([]Figure, error){"send": r.send, "import": r.importing, "pages": r.pages, "signup": r.signups}
	for _, name := range opts.Parts {
		if parts[name] == nil {
			return nil, fmt.Errorf("no part %q: choose from send, import, pages and signup", name)
		}
	}
	for _, name := range opts.Parts {
		figs, err := parts[name](ctx)
		if err != nil {
			return nil, err
		}
		r.rep.Figures = append(r.rep.Figures, figs...)
	}
	r.rep.Seconds = time.Since(r.rep.Started).Seconds()
	r.rep.Machine.Load[1] = loadAverage()
	r.rep.judge()
	return r.rep, nil
}

// withDefaults fills what the options leave unset; the main send size is
// always one of the scale sizes.
func withDefaults(o Options) Options {
	pick := func(v, full, quick int) int {
		if v > 0 {
			return v
		}
		if o.Quick {
			return quick
		}
		return full
	}
	o.Recipients = pick(o.Recipients, 100_000, 2_000)
	o.Runs = pick(o.Runs, 3, 1)
	o.LargestRuns = pick(o.LargestRuns, o.Runs, o.Runs)
	o.ImportRows = pick(o.ImportRows, 1_000_000, 20_000)
	if o.PageTime <= 0 {
		o.PageTime = map[bool]time.Duration{false: 5 * time.Second, true: time.Second}[o.Quick]
	}
	if o.Sizes == nil {
		o.Sizes = map[bool][]int{false: {10_000, 100_000, 1_000_000}, true: {1_000, 2_000}}[o.Quick]
	}
	o.Sizes = append(slices.Clone(o.Sizes), o.Recipients)
	slices.Sort(o.Sizes)
	o.Sizes = slices.Compact(o.Sizes)
	if o.Log == nil {
		o.Log = io.Discard
	}
	if o.Parts == nil {
		o.Parts = []string{"send", "import", "pages", "signup"}
	}
	return o
}

// childEnv is this process's environment without HERALD_* settings (an
// operator's HERALD_SMTP_URL must not send the bench's mail anywhere),
// plus extra.
func childEnv(extra []string) []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "HERALD_") {
			env = append(env, kv)
		}
	}
	return append(env, extra...)
}

// loadAverage is the machine's 1-minute load average (0 where unknown).
func loadAverage() float64 {
	raw, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return 0
	}
	f, _ := strconv.ParseFloat(strings.Fields(string(raw) + " 0")[0], 64)
	return f
}

// logf prints a progress line.
func (r *runner) logf(format string, args ...any) {
	fmt.Fprintf(r.opts.Log, "bench: "+format+"\n", args...)
}

// profileFlag asks a child for a CPU profile named after its phase when
// the bench was asked for profiles.
func (r *runner) profileFlag(name string) []string {
	if r.opts.ProfileDir == "" {
		return nil
	}
	return []string{"--cpuprofile", filepath.Join(r.opts.ProfileDir, name+".pprof")}
}

// runs is how many times a send of n readers is repeated.
func (r *runner) runs(n int) int {
	if n == r.opts.Sizes[len(r.opts.Sizes)-1] {
		return r.opts.LargestRuns
	}
	return r.opts.Runs
}

// quiet are the flags every child gets: logs only for trouble.
var quiet = []string{"-log-level", "warn"}

// args joins argument lists.
func args(parts ...[]string) []string { return slices.Concat(parts...) }
