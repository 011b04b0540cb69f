package bench

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"

	"github.com/herald-news/herald/internal/subscriberio/subscriberiotest"
)

// importing times `herald subscribers import` of a generated Mailchimp
// export into an empty newsroom, in a child process running the command
// itself, and checks that every row was stored.
func (r *runner) importing(ctx context.Context) ([]Figure, error) {
	csvPath := filepath.Join(r.tmp, "subscribers.csv")
	stats, err := writeCSV(csvPath, r.opts.ImportRows)
	if err != nil {
		return nil, err
	}
	defer os.Remove(csvPath)
	var secs, rss []float64
	for i := range r.opts.Runs {
		name := fmt.Sprintf("import-%d", i+1)
		st, err := r.freshStore(ctx, name)
		if err != nil {
			return nil, err
		}
		if _, err := r.run(ctx, name+" setup", args([]string{"bench", "--phase", "setup", "--recipients", "0"}, st.flags(), quiet)...); err != nil {
			return nil, err
		}
		res, err := r.run(ctx, name, args([]string{"bench", "--phase", "import"}, r.profileFlag(name),
			[]string{"--", "--newsletter", benchNewsletter, "--confirmed"}, st.flags(), quiet, []string{csvPath})...)
		if err == nil {
			err = checkImported(st, stats.Good())
		}
		st.remove(context.WithoutCancel(ctx))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		r.logf("import %s rows, run %d/%d: %.2f s, peak RSS %.1f MB", thousands(float64(stats.Rows)), i+1, r.opts.Runs, res.Seconds, res.PeakRSSMB)
		secs, rss = append(secs, res.Seconds), append(rss, res.PeakRSSMB)
	}
	at := " (" + thousands(float64(stats.Rows)) + " rows)"
	note := ""
	if stats.Rows != 1_000_000 {
		note = " (30 s per 1,000,000)"
	}
	return []Figure{
		figure("import", "import time"+at, "s", secs).atMost(30*float64(stats.Rows)/1e6, note),
		figure("import", "peak RSS of the import"+at, "MB", rss).atMost(150, ""),
	}, nil
}

// writeCSV writes a Mailchimp export of rows distinct readers.
func writeCSV(path string, rows int) (subscriberiotest.Stats, error) {
	f, err := os.Create(path)
	if err != nil {
		return subscriberiotest.Stats{}, err
	}
	stats, err := subscriberiotest.Write(f, "mailchimp", rows, 0)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return stats, err
}

// checkImported counts the readers the import stored.
func checkImported(st *store, want int) error {
	return queryStore(st, func(db *sql.DB) error {
		var n int
		if err := db.QueryRow(`SELECT count(*) FROM subscribers`).Scan(&n); err != nil {
			return err
		}
		if n != want {
			return fmt.Errorf("the database holds %d readers; the file has %d", n, want)
		}
		return nil
	})
}
