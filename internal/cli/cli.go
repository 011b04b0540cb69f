// Package cli implements herald's subcommands.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/internal/config"
)

// Version is set at build time with -ldflags "-X …/cli.Version=v1.2.3".
var Version = "dev"

// env is how commands read the environment (os.Getenv, or a map in tests).
type env struct {
	ctx    context.Context
	stdout io.Writer
	stderr io.Writer
	getenv func(string) string
}

type command struct {
	name    string
	summary string
	run     func(e env, args []string) error
}

func commands() []command {
	return []command{
		{"serve", "run the website and background work (--demo seeds an empty database)", runServe},
		{"migrate", "bring the database schema up to date", runMigrate},
		{"demo", "fill an empty database with the demo newsroom", runDemo},
		{"story", "add or import stories: story add FILE.md…, story import DIR", runStory},
		{"subscribers", "import FILE.csv --newsletter SLUG, export, delete EMAIL", runSubscribers},
		{"edition", "list, draft, show, test, send, schedule, pause, resume, cancel, status", runEdition},
		{"worker", "run background work only: sending and jobs (serve --role=worker)", runWorker},
		{"dkim", "generate a DKIM key and print its DNS record", runDKIM},
		{"bounce", "process FILE.eml… (saved bounces and abuse reports), alerts", runBounce},
		{"suppressions", "list, remove EMAIL --reason TEXT, export", runSuppressions},
		{"user", "staff accounts: user add EMAIL --role admin|editor|writer, list, role, disable, password", runUser},
		{"token", "JSON API tokens: token create --role editor --name TEXT, list, revoke ID", runToken},
		{"bench", "measure sending, import, pages and signups against baselines", runBench},
		{"db", "copy --from SQLITE_PATH --to postgres://…: move a newsroom to PostgreSQL", runDB},
		{"version", "print the version", func(e env, _ []string) error { _, err := fmt.Fprintln(e.stdout, "herald", Version); return err }},
	}
}

// Run runs the subcommand named by args[0] and returns the exit code.
func Run(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) int {
	e := env{ctx: ctx, stdout: stdout, stderr: stderr, getenv: getenv}
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		usage(stderr)
		return 2
	}
	for _, c := range commands() {
		if c.name == args[0] {
			err := c.run(e, args[1:])
			if errors.Is(err, flag.ErrHelp) {
				return 2
			} else if err != nil {
				fmt.Fprintln(stderr, "herald "+c.name+": "+describe(err))
				return 1
			}
			return 0
		}
	}
	fmt.Fprintf(stderr, "herald: unknown command %q\n\n", args[0])
	usage(stderr)
	return 2
}

// describe is the message a person sees for err: the safe message of a
// domain error, or the error itself (operators run the CLI).
func describe(err error) string {
	var he *herald.Error
	if errors.As(err, &he) {
		return he.Message
	}
	return err.Error()
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "Usage: herald COMMAND [flags]")
	fmt.Fprintln(w)
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-12s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nFlags go before or after a command's arguments: `herald edition send 4 --wait`.")
	fmt.Fprintln(w, "Every command takes the configuration flags; run `herald COMMAND -h` to list them.")
}

// parseFlags declares the configuration flags (and any extra ones) on a
// new flag set, parses args, flags and arguments in any order, and
// resolves the configuration. It returns the arguments that are not flags.
func parseFlags(e env, name string, args []string, extra func(*flag.FlagSet)) (*config.Config, []string, error) {
	fs := flag.NewFlagSet("herald "+name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	var cfg config.Config
	cfg.Register(fs)
	if extra != nil {
		extra(fs)
	}
	rest, err := parseInterleaved(fs, args)
	if err != nil {
		return nil, nil, err
	}
	if err := cfg.Resolve(fs, e.getenv); err != nil {
		return nil, nil, fmt.Errorf("invalid configuration:\n  %s", strings.ReplaceAll(err.Error(), "\n", "\n  "))
	}
	return &cfg, rest, nil
}

// parseInterleaved parses the flags in args with fs and returns the other
// arguments in order, so that "send 1 --wait" and "send --wait 1" mean the
// same: fs.Parse alone stops at the first argument that is not a flag.
// Everything after "--" is an argument. A boolean flag never takes the next
// argument as its value (write --confirmed=false), as with fs.Parse.
func parseInterleaved(fs *flag.FlagSet, args []string) ([]string, error) {
	var flags, rest []string
	for i := 0; i < len(args); i++ {
		arg := args[i]
		switch {
		case arg == "--":
			rest = append(rest, args[i+1:]...)
			i = len(args)
		case len(arg) < 2 || arg[0] != '-':
			rest = append(rest, arg)
		default:
			flags = append(flags, arg)
			name, _, hasValue := strings.Cut(strings.TrimLeft(arg, "-"), "=")
			if !hasValue && !isBoolFlag(fs.Lookup(name)) && i+1 < len(args) {
				i++
				flags = append(flags, args[i])
			}
		}
	}
	if err := fs.Parse(flags); err != nil {
		return nil, err
	}
	return rest, nil
}

// isBoolFlag reports whether f is a flag that takes no value, like --wait.
func isBoolFlag(f *flag.Flag) bool {
	if f == nil {
		return false
	}
	b, ok := f.Value.(interface{ IsBoolFlag() bool })
	return ok && b.IsBoolFlag()
}
