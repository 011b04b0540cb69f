package cli

import (
	"bytes"
	"flag"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/herald-news/herald/internal/bench"
	"github.com/herald-news/herald/internal/config"
	"github.com/herald-news/herald/internal/sqldb"
)

// benchFlags are the flags of `herald bench`; the hidden ones run one
// phase in a child process.
type benchFlags struct {
	quick, json      bool
	recipients, runs int
	largestRuns      int
	pageTime         time.Duration
	profileDir       string
	only, sizes      string
	phase, sample    string
	cpuprofile       string
	edition          int64
}

// benchUsage lists the flags `herald bench -h` shows; the configuration
// flags apply to phases, and only -database-url is for people.
var benchUsage = []string{"quick", "json", "recipients", "runs", "largest-runs", "sizes", "page-time", "only", "profile", "database-url"}

func (o *benchFlags) register(fs *flag.FlagSet) {
	fs.BoolVar(&o.quick, "quick", false, "small sizes, one run: checks that every part works (CI)")
	fs.BoolVar(&o.json, "json", false, "print the report as JSON instead of a table")
	fs.IntVar(&o.recipients, "recipients", 0, "readers of the main send figure (default 100000; --quick 2000)")
	fs.IntVar(&o.runs, "runs", 0, "repetitions of each measurement; the median is reported (default 3; --quick 1)")
	fs.IntVar(&o.largestRuns, "largest-runs", 0, "repetitions of the largest send (1,000,000 readers) (default --runs)")
	fs.DurationVar(&o.pageTime, "page-time", 0, "load time per page and for signups (default 5s; --quick 1s)")
	fs.StringVar(&o.profileDir, "profile", "", "write a CPU profile of every child phase into this folder")
	fs.StringVar(&o.only, "only", "", "run only these parts, comma-separated: send, import, pages, signup")
	fs.StringVar(&o.sizes, "sizes", "", "readers of the scale figures, comma-separated (default 10000,100000,1000000; --quick 1000,2000)")
	fs.StringVar(&o.phase, "phase", "", "internal: run one phase and print its result as JSON")
	fs.StringVar(&o.sample, "sample", "", "internal: the rendered message file of a phase")
	fs.Int64Var(&o.edition, "edition", 0, "internal: the edition a send phase sends")
	fs.StringVar(&o.cpuprofile, "cpuprofile", "", "internal: write a CPU profile of the phase's measured work")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "Usage: herald bench [--quick] [--json] [--recipients N] [--runs K] [--database-url postgres://…]")
		fmt.Fprintln(fs.Output(), "\nMeasures sending, import, pages and signups on 127.0.0.1 against baselines run beside them,")
		fmt.Fprintln(fs.Output(), "each phase on a fresh SQLite database, or on a new database of the PostgreSQL server")
		fmt.Fprintln(fs.Output(), "--database-url names. See docs/performance.md.")
		for _, name := range benchUsage {
			fmt.Fprintf(fs.Output(), "  --%s\n    \t%s\n", name, fs.Lookup(name).Usage)
		}
	}
}

// runBench is `herald bench`: it prints the report, and fails only when
// the bench itself breaks, never for a missed target.
func runBench(e env, args []string) error {
	var o benchFlags
	cfg, rest, err := parseFlags(e, "bench", args, o.register)
	if err != nil {
		return err
	}
	if o.phase != "" {
		return runBenchPhase(e, cfg, &o, rest)
	}
	if len(rest) > 0 {
		return fmt.Errorf("unexpected arguments: %s", strings.Join(rest, " "))
	}
	opts := bench.Options{Quick: o.quick, Recipients: o.recipients, Runs: o.runs, LargestRuns: o.largestRuns,
		PageTime: o.pageTime, ProfileDir: o.profileDir, Log: e.stderr,
		// Under `go test` the executable is the test binary, whose TestMain
		// runs the command when this is set; herald itself ignores it.
		Env: []string{"HERALD_TEST_MAIN=1"}}
	for _, part := range strings.FieldsFunc(o.only, func(r rune) bool { return r == ',' }) {
		opts.Parts = append(opts.Parts, strings.TrimSpace(part))
	}
	for _, s := range strings.FieldsFunc(o.sizes, func(r rune) bool { return r == ',' }) {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < 1 {
			return fmt.Errorf("--sizes: %q is not a number of readers", s)
		}
		opts.Sizes = append(opts.Sizes, n)
	}
	if sqldb.IsPostgres(cfg.DatabaseURL) {
		opts.PostgresURL = cfg.DatabaseURL
	}
	rep, err := bench.Run(e.ctx, opts)
	if err != nil {
		return err
	}
	if o.json {
		return rep.WriteJSON(e.stdout)
	}
	return rep.WriteTable(e.stdout)
}

// benchCommands are the commands a phase runs as they are, measured:
// the import and the web server are measured as operators run them.
var benchCommands = map[string]func(env, []string) error{
	"import": runSubscribersImport,
	"serve":  runServe,
}

// runBenchPhase runs one phase in this (child) process and prints its
// result as one line of JSON.
func runBenchPhase(e env, cfg *config.Config, o *benchFlags, rest []string) error {
	var res bench.Result
	var err error
	if cmd, ok := benchCommands[o.phase]; ok {
		var out bytes.Buffer
		inner := e
		inner.stdout = &out
		res, err = bench.Measure(o.phase, o.cpuprofile, func() error { return cmd(inner, rest) })
		res.Output = strings.TrimSpace(out.String())
	} else {
		res, err = bench.RunPhase(e.ctx, cfg, bench.PhaseArgs{Phase: o.phase, Recipients: o.recipients,
			EditionID: o.edition, Sample: o.sample, CPUProfile: o.cpuprofile}, e.stderr)
	}
	if err != nil {
		return err
	}
	return bench.WriteResult(e.stdout, res)
}
