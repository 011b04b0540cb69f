package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/internal/app"
	"github.com/herald-news/herald/internal/delivery"
)

const editionUsage = `usage: herald edition COMMAND
  list [--newsletter SLUG]            editions, newest first
  draft --newsletter SLUG [--date D] [--blank]
                                      draft an edition from the latest stories
                                      (--blank: no stories, to write by hand)
  show ID                             the edition as plain text
  test ID --to EMAIL                  send one copy to yourself
  send ID [--wait]                    start sending now (--wait: send from this process and watch)
  schedule ID --at TIME               send at TIME (2026-11-28T06:00 in the newsletter's zone, or RFC 3339)
  pause ID | resume ID | cancel ID | unschedule ID
  status ID [--watch]                 counts by status, rate, time left, readers not accepted`

func runEdition(e env, args []string) error {
	if len(args) == 0 {
		return errors.New(editionUsage)
	}
	sub, rest := args[0], args[1:]
	var slug, date, to, at string
	var wait, watch, blank bool
	flags := func(fs *flag.FlagSet) {
		fs.StringVar(&slug, "newsletter", "", "newsletter slug")
		fs.StringVar(&date, "date", "", "edition date, YYYY-MM-DD (default: the next send date)")
		fs.StringVar(&to, "to", "", "address for a test send")
		fs.StringVar(&at, "at", "", "when to send")
		fs.BoolVar(&wait, "wait", false, "send from this process and watch until done")
		fs.BoolVar(&watch, "watch", false, "keep printing progress until the send ends")
		fs.BoolVar(&blank, "blank", false, "draft: start an edition with no stories, to write by hand")
	}
	return withApp(e, "edition "+sub, rest, flags, func(a *app.App, args []string) error {
		if sub == "list" {
			return listEditions(e, a, slug)
		}
		if sub == "draft" {
			return draftEdition(e, a, slug, date, blank)
		}
		if len(args) != 1 {
			return errors.New(editionUsage)
		}
		id, err := strconv.ParseInt(args[0], 10, 64)
		if err != nil {
			return fmt.Errorf("%q is not an edition ID", args[0])
		}
		switch sub {
		case "show":
			return showEdition(e, a, id)
		case "test":
			return testEdition(e, a, id, to)
		case "send":
			return sendEdition(e, a, id, wait)
		case "schedule":
			return scheduleEdition(e, a, id, at)
		case "status":
			return editionStatus(e, a, id, watch)
		case "pause", "resume", "cancel", "unschedule":
			if err := a.SetEditionState(e.ctx, id, sub); err != nil {
				return err
			}
			ed, err := a.Editions.FindEdition(e.ctx, id)
			if err != nil {
				return err
			}
			_, err = fmt.Fprintf(e.stdout, "edition %d is %s\n", id, ed.Status)
			return err
		}
		return errors.New(editionUsage)
	})
}

func listEditions(e env, a *app.App, slug string) error {
	var nlID int64
	if slug != "" {
		n, err := a.Newsroom.FindNewsletter(e.ctx, slug)
		if err != nil {
			return err
		}
		nlID = n.ID
	}
	eds, err := a.Editions.Editions(e.ctx, nlID, false, 100)
	if err != nil {
		return err
	}
	for _, ed := range eds {
		fmt.Fprintf(e.stdout, "%d\t%s\t%s\t%-9s\t%s\n", ed.ID, ed.Newsletter.Slug, ed.DateString(), ed.Status, ed.Subject)
	}
	return nil
}

func draftEdition(e env, a *app.App, slug, date string, blank bool) error {
	if slug == "" {
		return errors.New("draft needs --newsletter SLUG")
	}
	ed, err := a.DraftEdition(e.ctx, slug, date, blank)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(e.stdout, "drafted edition %d of %s for %s: %s (%s)\n", ed.ID, ed.Newsletter.Name, ed.DateString(), ed.Subject, ed.BrevityCount())
	return err
}

func showEdition(e env, a *app.App, id int64) error {
	ed, msg, err := a.PreviewEdition(e.ctx, id, "reader@example.com")
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "Edition %d of %s for %s, %s\nSubject: %s\nPreheader: %s\n\n", ed.ID, ed.Newsletter.Name,
		ed.DateString(), ed.Status, ed.Subject, ed.Preheader)
	_, err = io.WriteString(e.stdout, msg.Text)
	return err
}

func testEdition(e env, a *app.App, id int64, to string) error {
	if to == "" {
		return errors.New("test needs --to EMAIL")
	}
	if err := a.SendOperatorTestEdition(e.ctx, id, to); err != nil {
		return err
	}
	_, err := fmt.Fprintf(e.stdout, "sent a test copy to %s through %s\n", to, a.Mail.Name())
	return err
}

func sendEdition(e env, a *app.App, id int64, wait bool) error {
	rows, err := a.SendNow(e.ctx, id)
	if herald.ErrorCode(err) == herald.ECONFLICT {
		return alreadySending(e, a, id, err)
	} else if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "edition %d is sending to %d readers\n", id, rows)
	if !wait {
		_, err := fmt.Fprintln(e.stdout, "a running `herald serve` or `herald worker` delivers it; watch with `herald edition status", id, "--watch`")
		return err
	}
	ctx, stop := context.WithCancel(e.ctx)
	defer stop()
	done := make(chan struct{})
	go func() {
		defer close(done)
		a.Sender.Run(ctx)
	}()
	err = editionStatus(e, a, id, true)
	stop()
	<-done
	if e.ctx.Err() == nil {
		return err
	}
	// Interrupted (Ctrl-C, SIGTERM): the sender has handed back what it
	// had claimed, and the ledger keeps the rest for another process.
	p, err := delivery.Report(context.WithoutCancel(e.ctx), a.Editions, id, a.Clock.Now())
	if err != nil {
		return fmt.Errorf("stopped watching before the send finished. %s", resumeHint(id))
	}
	if p.Status == herald.EditionSent {
		return nil
	}
	return fmt.Errorf("stopped before the send finished: %d of %d done. %s", p.Done, p.Total, resumeHint(id))
}

// alreadySending explains a refused send: an edition that is already
// sending, perhaps since a crash, is resumed by a worker, not sent anew.
func alreadySending(e env, a *app.App, id int64, refused error) error {
	ed, err := a.Editions.FindEdition(e.ctx, id)
	if err != nil {
		return refused
	}
	switch ed.Status {
	case herald.EditionSending:
		return fmt.Errorf("edition %d is already sending, so it is not started again. %s", id, resumeHint(id))
	case herald.EditionPaused:
		return fmt.Errorf("edition %d is paused partway through its send; `herald edition resume %d` continues it", id, id)
	}
	return refused
}

// resumeHint says how an unfinished send goes on: the ledger is in the
// database, and any sending process picks it up where it stopped.
func resumeHint(id int64) string {
	return fmt.Sprintf("A running `herald worker` or `herald serve` resumes it where it stopped; "+
		"follow it with `herald edition status %d --watch`.", id)
}

func scheduleEdition(e env, a *app.App, id int64, at string) error {
	ed, err := a.Editions.FindEdition(e.ctx, id)
	if err != nil {
		return err
	}
	when, err := ed.Newsletter.ParseSendTime(at)
	if err != nil {
		return err
	}
	if _, err := a.ScheduleEdition(e.ctx, id, when); err != nil {
		return err
	}
	_, err = fmt.Fprintf(e.stdout, "edition %d goes out at %s\n", id, when.In(ed.Newsletter.Location()).Format("Mon Jan 2 15:04 MST"))
	return err
}

func editionStatus(e env, a *app.App, id int64, watch bool) error {
	for {
		p, err := delivery.Report(e.ctx, a.Editions, id, a.Clock.Now())
		if err != nil && e.ctx.Err() != nil {
			return nil // interrupted while watching
		} else if err != nil {
			return err
		}
		printProgress(e.stdout, p)
		if !watch || (p.Status != herald.EditionSending && p.Status != herald.EditionScheduled) {
			return nil
		}
		select {
		case <-e.ctx.Done():
			return nil
		case <-time.After(time.Second):
		}
	}
}

func printProgress(w io.Writer, p *delivery.Progress) {
	fmt.Fprintf(w, "edition %d: %s — %d of %d done", p.EditionID, p.Status, p.Done, p.Total)
	for _, s := range []herald.SendStatus{herald.SendAccepted, herald.SendQueued, herald.SendSending, herald.SendDeferred,
		herald.SendFailed, herald.SendSuppressed, herald.SendUnknown} {
		if n := p.Counts[s]; n > 0 {
			fmt.Fprintf(w, ", %s %d", s, n)
		}
	}
	switch {
	case p.Measuring:
		fmt.Fprint(w, "; rate: measuring…")
	case p.Status == herald.EditionSending:
		fmt.Fprintf(w, "; %d/min", p.PerMinute)
	}
	if p.ETA != "" {
		fmt.Fprintf(w, ", ETA %s", p.ETA)
	}
	fmt.Fprintln(w)
	for _, note := range []string{p.RetryNote, p.PauseNote} {
		if note != "" {
			fmt.Fprintf(w, "  %s\n", note)
		}
	}
	if p.Bounces > 0 || p.Complaints > 0 {
		fmt.Fprintf(w, "  bounces %d (%.2f%%), complaints %d (%.3f%%)\n", p.Bounces, 100*p.BounceRate, p.Complaints, 100*p.ComplaintRate)
	}
	if p.Warning != "" {
		fmt.Fprintf(w, "  %s: %s\n", strings.ToUpper(p.WarningLevel), p.Warning)
	}
	const shown = 10
	for i, r := range p.Recent {
		if i == shown {
			fmt.Fprintf(w, "  … and %d more not accepted (the admin's live view lists them)\n", p.NotAccepted+p.Waiting-shown)
			break
		}
		fmt.Fprintf(w, "  %s %s (attempt %d): %s\n", r.Status, r.Email, r.Attempts, r.Reply)
	}
}
