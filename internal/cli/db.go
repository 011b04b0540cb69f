package cli

import (
	"errors"
	"flag"
	"fmt"
	"time"

	"github.com/herald-news/herald/internal/sqldb"
)

// runDB moves a newsroom between databases.
func runDB(e env, args []string) error {
	if len(args) == 0 || args[0] != "copy" {
		return errors.New("usage: herald db copy --from SQLITE_PATH --to postgres://…")
	}
	fs := flag.NewFlagSet("herald db copy", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	from := fs.String("from", "", "the SQLite database file to copy")
	to := fs.String("to", "", "the PostgreSQL database to copy into (postgres://…)")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if *from == "" || !sqldb.IsPostgres(*to) || sqldb.IsPostgres(*from) {
		return errors.New("usage: herald db copy --from SQLITE_PATH --to postgres://…")
	}
	src, err := sqldb.Open(*from)
	if err != nil {
		return err
	}
	defer src.Close()
	if err := src.Migrate(e.ctx); err != nil {
		return err
	}
	dst, err := sqldb.Open(*to)
	if err != nil {
		return err
	}
	defer dst.Close()
	last := time.Time{}
	progress := func(table string, copied, total int64) {
		if time.Since(last) > time.Second || copied == total {
			fmt.Fprintf(e.stderr, "\r%-14s %d of %d rows", table, copied, total)
			if copied == total {
				fmt.Fprintln(e.stderr)
			}
			last = time.Now()
		}
	}
	if err := src.CopyTo(e.ctx, dst, progress); err != nil {
		fmt.Fprintln(e.stderr, "The copy can be run again: it continues where it stopped.")
		return err
	}
	_, err = fmt.Fprintln(e.stdout, "Copied and verified every table: row counts and checksums match. Point HERALD_DATABASE_URL at", *to)
	return err
}
