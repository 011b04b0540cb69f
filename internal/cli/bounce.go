package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"time"

	"github.com/herald-news/herald/internal/app"
	"github.com/herald-news/herald/internal/bounce"
)

const bounceUsage = `usage:
  herald bounce process FILE.eml…      record bounces and abuse reports saved from a mailbox
  herald bounce alerts [--resolve ID]  mail refused for our own policy or authentication`

// maxReport bounds a report file, as the receiver bounds a message.
const maxReport = 10 << 20

func runBounce(e env, args []string) error {
	if len(args) == 0 {
		return errors.New(bounceUsage)
	}
	switch args[0] {
	case "process":
		return withApp(e, "bounce process", args[1:], nil, func(a *app.App, files []string) error {
			if len(files) == 0 {
				return errors.New(bounceUsage)
			}
			failed := 0
			for _, f := range files {
				if err := processReport(e, a, f); err != nil {
					fmt.Fprintf(e.stdout, "%s: %s\n", f, describe(err))
					failed++
				}
			}
			if failed > 0 {
				return fmt.Errorf("%d of %d files were not recorded", failed, len(files))
			}
			return nil
		})
	case "alerts":
		return bounceAlerts(e, args[1:])
	}
	return errors.New(bounceUsage)
}

// kindLabels name event kinds for operators.
var kindLabels = map[bounce.Kind]string{bounce.Hard: "hard bounce", bounce.Soft: "soft bounce",
	bounce.Policy: "refused for our own policy", bounce.Complaint: "complaint", bounce.Unknown: "unreadable report"}

// processReport records one saved report. Whoever hands the file over
// vouches for it: without a VERP address its quoted Message-ID or its
// recipient names the reader.
func processReport(e env, a *app.App, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	raw, err := io.ReadAll(io.LimitReader(f, maxReport+1))
	if err != nil {
		return err
	} else if len(raw) > maxReport {
		return fmt.Errorf("larger than %d MB: not a bounce", maxReport>>20)
	}
	res, rep, err := a.Bounce.Mail(e.ctx, raw, bounce.SendRef{})
	if errors.Is(err, bounce.ErrNotReport) {
		return errors.New("not an email message")
	} else if err != nil {
		return err
	}
	var what string
	switch {
	case res.Ignored != "":
		what = "nothing to do: " + res.Ignored
	case res.Duplicate:
		what = "recorded before; nothing changed"
	default:
		what = fmt.Sprintf("%s (%s)", kindLabels[res.Kind], rep)
		if res.EditionID > 0 {
			what += fmt.Sprintf(" (edition %d, subscriber %d)", res.EditionID, res.SubscriberID)
		}
		what += ": " + string(res.Action)
	}
	_, err = fmt.Fprintf(e.stdout, "%s: %s\n", path, what)
	return err
}

func bounceAlerts(e env, args []string) error {
	var resolve string
	flags := func(fs *flag.FlagSet) {
		fs.StringVar(&resolve, "resolve", "", "mark the alert with this ID dealt with")
	}
	return withApp(e, "bounce alerts", args, flags, func(a *app.App, _ []string) error {
		if resolve != "" {
			id, err := strconv.ParseInt(resolve, 10, 64)
			if err != nil {
				return fmt.Errorf("%q is not an alert ID", resolve)
			}
			if err := a.Bounces.ResolveAlert(e.ctx, id); err != nil {
				return err
			}
			_, err = fmt.Fprintf(e.stdout, "alert %d resolved\n", id)
			return err
		}
		alerts, err := a.Bounces.Alerts(e.ctx, 100)
		if err != nil {
			return err
		}
		if len(alerts) == 0 {
			_, err := fmt.Fprintln(e.stdout, "No alerts.")
			return err
		}
		for _, al := range alerts {
			state := "OPEN"
			if !al.ResolvedAt.IsZero() {
				state = "resolved " + al.ResolvedAt.UTC().Format(time.DateTime)
			}
			fmt.Fprintf(e.stdout, "%d  %s  %s  %s\n    %s\n", al.ID, al.CreatedAt.UTC().Format(time.DateTime), al.Kind, state, al.Message)
		}
		return nil
	})
}
