package cli

import (
	"encoding/csv"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"text/tabwriter"
	"time"

	"github.com/herald-news/herald/internal/app"
	"github.com/herald-news/herald/internal/bounce"
)

const suppressionsUsage = `usage:
  herald suppressions list                                 addresses that are never mailed, newest first
  herald suppressions remove EMAIL --reason TEXT [--by NAME]   lift one (logged and recorded)
  herald suppressions export [--output FILE.csv]`

func runSuppressions(e env, args []string) error {
	if len(args) == 0 {
		return errors.New(suppressionsUsage)
	}
	switch args[0] {
	case "list":
		return withApp(e, "suppressions list", args[1:], nil, func(a *app.App, _ []string) error {
			list, err := a.Bounces.Suppressions(e.ctx)
			if err != nil {
				return err
			}
			return printSuppressions(e.stdout, list)
		})
	case "remove":
		return removeSuppression(e, args[1:])
	case "export":
		return exportSuppressions(e, args[1:])
	}
	return errors.New(suppressionsUsage)
}

func printSuppressions(w io.Writer, list []bounce.Suppression) error {
	if len(list) == 0 {
		_, err := fmt.Fprintln(w, "The suppression list is empty.")
		return err
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ADDRESS\tREASON\tSOURCE\tSINCE")
	for _, s := range list {
		addr := s.Email
		if addr == "" {
			addr = "(erased) sha256:" + s.EmailHash[:12] + "…"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", addr, s.Reason, orDash(s.Source), s.CreatedAt.UTC().Format(time.DateTime))
	}
	return tw.Flush()
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// removeSuppression lifts one address, with a reason that is recorded.
func removeSuppression(e env, args []string) error {
	var reason, by string
	flags := func(fs *flag.FlagSet) {
		fs.StringVar(&reason, "reason", "", "why the address may be mailed again (required; recorded)")
		fs.StringVar(&by, "by", "", "who is lifting it (default: $USER)")
	}
	return withApp(e, "suppressions remove", args, flags, func(a *app.App, rest []string) error {
		if len(rest) != 1 {
			return errors.New(suppressionsUsage)
		}
		if by == "" {
			by = cmpOr(e.getenv("USER"), "operator")
		}
		s, err := a.Bounces.LiftSuppression(e.ctx, rest[0], reason, by)
		if err != nil {
			return err
		}
		a.Logger.Warn("suppression lifted", "email", rest[0], "by", by, "reason", reason,
			"was", s.Reason, "source", s.Source, "since", s.CreatedAt)
		_, err = fmt.Fprintf(e.stdout, "Lifted the suppression of %s (%s, since %s). Their subscriptions are unchanged; "+
			"they can sign up or be imported again.\n", rest[0], s.Reason, s.CreatedAt.UTC().Format(time.DateOnly))
		return err
	})
}

func exportSuppressions(e env, args []string) error {
	var output string
	flags := func(fs *flag.FlagSet) {
		fs.StringVar(&output, "output", "", "write to this file instead of standard output")
	}
	return withApp(e, "suppressions export", args, flags, func(a *app.App, _ []string) error {
		list, err := a.Bounces.Suppressions(e.ctx)
		if err != nil {
			return err
		}
		if output == "" {
			return writeSuppressions(e.stdout, list)
		}
		f, err := os.OpenFile(output, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600) // personal data
		if err != nil {
			return err
		}
		if err := writeSuppressions(f, list); err != nil {
			f.Close()
			return err
		}
		return f.Close()
	})
}

// writeSuppressions writes the list as CSV.
func writeSuppressions(w io.Writer, list []bounce.Suppression) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"email", "email_hash", "reason", "source", "source_event", "created_at"})
	for _, s := range list {
		cw.Write([]string{s.Email, s.EmailHash, s.Reason, s.Source, strconv.FormatInt(s.EventID, 10), s.CreatedAt.UTC().Format(time.RFC3339)})
	}
	cw.Flush()
	return cw.Error()
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
