package bench

import (
	"context"
	"fmt"
	"path/filepath"
	"strconv"
)

// sendRun is one send of n readers and its baseline.
type sendRun struct {
	n           int
	setup, send Result
	bare        Result
}

// send measures the sender at every size (and so the scale figures) and
// the bare client beside it each time.
func (r *runner) send(ctx context.Context) ([]Figure, error) {
	bySize := map[int][]sendRun{}
	for _, n := range r.opts.Sizes {
		for i := range r.runs(n) {
			run, err := r.sendOnce(ctx, n, i)
			if err != nil {
				return nil, err
			}
			bySize[n] = append(bySize[n], run)
			r.logf("send %s readers, run %d/%d: %s msgs/s (bare client %s), ledger %.2f s, peak RSS %.1f MB, setup %.1f s",
				thousands(float64(n)), i+1, r.runs(n), thousands(rate(run.send)), thousands(rate(run.bare)),
				run.send.LedgerSecs, run.send.PeakRSSMB, run.setup.Seconds)
		}
	}
	return r.sendFigures(bySize), nil
}

// sendOnce prepares a fresh database with n readers (in one child), sends
// the edition to a fresh sink (in another), and pushes the same number of
// the same rendered message through the bare client (in a third).
func (r *runner) sendOnce(ctx context.Context, n, i int) (sendRun, error) {
	run := sendRun{n: n}
	name := fmt.Sprintf("send-%d-%d", n, i+1)
	st, err := r.freshStore(ctx, name)
	if err != nil {
		return run, err
	}
	defer st.remove(context.WithoutCancel(ctx))
	sample := filepath.Join(st.dir, "sample.eml")
	count := strconv.Itoa(n)
	run.setup, err = r.run(ctx, name+" setup", args([]string{"bench", "--phase", "setup", "--recipients", count,
		"--sample", sample}, st.flags(), quiet)...)
	if err != nil {
		return run, err
	}
	r.rep.MessageBytes = run.setup.MessageBytes

	sink, err := StartSink()
	if err != nil {
		return run, err
	}
	run.send, err = r.run(ctx, name, args([]string{"bench", "--phase", "send", "--edition", strconv.FormatInt(run.setup.EditionID, 10),
		"-smtp-url", sink.URL()}, st.flags(), quiet, r.profileFlag(name))...)
	got := sink.Count()
	sink.Close()
	if err == nil && (got != n || run.send.Messages != n) {
		err = fmt.Errorf("%s: the sink accepted %d and the ledger %d messages of %d", name, got, run.send.Messages, n)
	}
	if err != nil {
		return run, err
	}

	if sink, err = StartSink(); err != nil {
		return run, err
	}
	defer sink.Close()
	run.bare, err = r.run(ctx, name+" bare", args([]string{"bench", "--phase", "bare", "--recipients", count, "--sample", sample,
		"-smtp-url", sink.URL()}, st.flags(), quiet, r.profileFlag(name+"-bare"))...)
	if err == nil && sink.Count() != n {
		err = fmt.Errorf("%s: the sink accepted %d of %d bare messages", name, sink.Count(), n)
	}
	return run, err
}

// rate is a send's messages per second.
func rate(res Result) float64 { return float64(res.Messages) / res.Seconds }

// cpuPer1000 is a send's CPU seconds per 1,000 messages.
func cpuPer1000(res Result) float64 { return res.CPUSeconds / float64(res.Messages) * 1000 }

// collect applies f to every run.
func collect(runs []sendRun, f func(sendRun) float64) []float64 {
	out := make([]float64, len(runs))
	for i, run := range runs {
		out[i] = f(run)
	}
	return out
}

// sendFigures are the send figures at the main size and the scale
// figures at every size. Targets set for 1,000,000 readers are held at
// the largest size measured; the ledger's time target scales with it.
func (r *runner) sendFigures(bySize map[int][]sendRun) []Figure {
	n := r.opts.Recipients
	main := bySize[n]
	at := " (" + thousands(float64(n)) + " readers)"
	sendRate := func(run sendRun) float64 { return rate(run.send) }
	figs := []Figure{
		figure("send", "send rate"+at, "msgs/s", collect(main, sendRate)).
			against("bare go-smtp", collect(main, func(run sendRun) float64 { return rate(run.bare) })).ratioAtLeast(0.80),
		figure("send", "CPU per 1,000 messages"+at, cpuUnit, collect(main, func(run sendRun) float64 { return cpuPer1000(run.send) })).
			against("bare go-smtp", collect(main, func(run sendRun) float64 { return cpuPer1000(run.bare) })),
		figure("send", "peak RSS of the sending process"+at, "MB", collect(main, func(run sendRun) float64 { return run.send.PeakRSSMB })).
			against("bare go-smtp", collect(main, func(run sendRun) float64 { return run.bare.PeakRSSMB })),
		figure("send", "ledger creation"+at, "s", collect(main, func(run sendRun) float64 { return run.send.LedgerSecs })),
		figure("send", "setup, excluded: import readers, draft"+at, "s", collect(main, func(run sendRun) float64 { return run.setup.Seconds })),
	}
	sizes := r.opts.Sizes
	largest, smallest := sizes[len(sizes)-1], sizes[0]
	note := ""
	if largest != 1_000_000 {
		note = " (set for 1,000,000)"
	}
	for _, size := range sizes {
		runs, at := bySize[size], " at "+thousands(float64(size))
		rss := figure("scale", "peak RSS of the sending process"+at, "MB", collect(runs, func(run sendRun) float64 { return run.send.PeakRSSMB }))
		ledger := figure("scale", "ledger creation"+at, "s", collect(runs, func(run sendRun) float64 { return run.send.LedgerSecs }))
		if size == largest {
			rss = rss.atMost(150, note)
			ledger = ledger.atMost(10*float64(size)/1e6, map[bool]string{true: "", false: " (10 s per 1,000,000)"}[note == ""])
		}
		figs = append(figs, figure("scale", "send rate"+at, "msgs/s", collect(runs, sendRate)).
			against("bare go-smtp", collect(runs, func(run sendRun) float64 { return rate(run.bare) })), rss, ledger)
	}
	if largest == smallest {
		return figs
	}
	return append(figs, figure("scale", "send rate at "+thousands(float64(largest))+" / at "+thousands(float64(smallest)), "msgs/s",
		collect(bySize[largest], sendRate)).against("at "+thousands(float64(smallest)), collect(bySize[smallest], sendRate)).ratioAtLeast(0.9))
}
