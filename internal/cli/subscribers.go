package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/internal/app"
	"github.com/herald-news/herald/internal/subscriberio"
)

const subscribersUsage = `usage:
  herald subscribers import FILE.csv --newsletter SLUG [--confirmed]
  herald subscribers export [--output FILE.csv]
  herald subscribers delete EMAIL`

func runSubscribers(e env, args []string) error {
	if len(args) == 0 {
		return errors.New(subscribersUsage)
	}
	switch args[0] {
	case "import":
		return runSubscribersImport(e, args[1:])
	case "export":
		return runSubscribersExport(e, args[1:])
	case "delete":
		return withApp(e, "subscribers delete", args[1:], nil, func(a *app.App, rest []string) error {
			if len(rest) != 1 {
				return errors.New(subscribersUsage)
			}
			if err := a.Subscribers.Delete(e.ctx, rest[0]); err != nil {
				return err
			}
			_, err := fmt.Fprintf(e.stdout, "Erased %s. Only a hashed entry remains, so no import or signup can add it again.\n", rest[0])
			return err
		})
	}
	return errors.New(subscribersUsage)
}

func runSubscribersImport(e env, args []string) error {
	var slug string
	var confirmed bool
	flags := func(fs *flag.FlagSet) {
		fs.StringVar(&slug, "newsletter", "", "the newsletter to subscribe the imported readers to (required)")
		fs.BoolVar(&confirmed, "confirmed", false, "the readers have already confirmed elsewhere: make them active (you vouch for their consent)")
	}
	return withApp(e, "subscribers import", args, flags, func(a *app.App, rest []string) error {
		if len(rest) != 1 || slug == "" {
			return errors.New(subscribersUsage)
		}
		f, err := os.Open(rest[0])
		if err != nil {
			return err
		}
		defer f.Close()
		var size int64
		if st, err := f.Stat(); err == nil {
			size = st.Size()
		}
		nl, report, err := a.ImportSubscribers(e.ctx, f, size, slug, confirmed, "import:"+filepath.Base(rest[0]),
			subscriberio.NewProgressBar(e.stderr))
		if err != nil {
			return err
		}
		return printImportReport(e.stdout, nl, report, confirmed)
	})
}

func printImportReport(w io.Writer, nl *herald.Newsletter, r subscriberio.Report, confirmed bool) error {
	for _, re := range r.Errors {
		fmt.Fprintf(w, "line %d: %s\n", re.Line, re.Reason)
	}
	if extra := r.Bad - len(r.Errors); extra > 0 {
		fmt.Fprintf(w, "… and %d more bad rows\n", extra)
	}
	state := "pending: no email goes to them until you send confirmations"
	if confirmed {
		state = "active"
	}
	_, err := fmt.Fprintf(w, "%s (%s layout): %d rows, %d added or changed (%s), %d already there, %d duplicates, %d bad\n",
		nl.Name, r.Layout, r.Rows, r.Changed, state, r.Unchanged, r.Duplicates, r.Bad)
	return err
}

func runSubscribersExport(e env, args []string) error {
	var output string
	flags := func(fs *flag.FlagSet) {
		fs.StringVar(&output, "output", "", "write to this file instead of standard output")
	}
	return withApp(e, "subscribers export", args, flags, func(a *app.App, _ []string) error {
		if output == "" {
			return subscriberio.Export(e.ctx, e.stdout, a.Subscribers)
		}
		// Personal data: readable by the operator only.
		f, err := os.OpenFile(output, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
		if err != nil {
			return err
		}
		if err := subscriberio.Export(e.ctx, f, a.Subscribers); err != nil {
			f.Close()
			return err
		}
		return f.Close()
	})
}
