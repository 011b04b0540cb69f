package cli

import (
	"errors"
	"flag"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/herald-news/herald"
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
	rest, err := parseInterleaved(fs, args[1:])
	if err != nil {
		return err
	}
	if len(rest) > 0 || *from == "" || !sqldb.IsPostgres(*to) || sqldb.IsPostgres(*from) {
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
	tables, err := src.TablesToCopy(e.ctx)
	if err != nil {
		return err
	}
	if err := src.CopyTo(e.ctx, dst, progress); herald.ErrorCode(err) == herald.ECONFLICT {
		return err // says what differs and what to do
	} else if err != nil {
		return fmt.Errorf("%w\nThe copy stopped before it finished. Run the same command again: it continues where it stopped", err)
	}
	_, err = fmt.Fprintf(e.stdout, "Copied and verified all %d tables (%s): row counts and checksums match. Point HERALD_DATABASE_URL at %s\n",
		len(tables), strings.Join(tables, ", "), redacted(*to))
	return err
}

// redacted is a database URL with its password, if any, as "xxxxx".
func redacted(dsn string) string {
	if u, err := url.Parse(dsn); err == nil {
		return u.Redacted()
	}
	return "the new database"
}
