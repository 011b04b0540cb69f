package cli

import (
	"errors"
	"flag"
	"fmt"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/internal/app"
	"github.com/herald-news/herald/internal/auth"
)

const tokenUsage = `usage:
  herald token create --role writer|editor|admin --name TEXT [--expires 90d]
        prints the secret once: send it as "Authorization: Bearer SECRET"
  herald token list
  herald token revoke ID`

func runToken(e env, args []string) error {
	if len(args) == 0 {
		return errors.New(tokenUsage)
	}
	switch args[0] {
	case "create":
		return createToken(e, args[1:])
	case "list":
		return withApp(e, "token list", args[1:], nil, func(a *app.App, _ []string) error { return listTokens(e, a) })
	case "revoke":
		return withApp(e, "token revoke", args[1:], nil, func(a *app.App, rest []string) error {
			id, err := strconv.ParseInt(firstArg(rest), 10, 64)
			if err != nil || len(rest) != 1 {
				return errors.New(tokenUsage)
			}
			if err := a.Staff.RevokeAPIToken(e.ctx, id); err != nil {
				return err
			}
			_, err = fmt.Fprintf(e.stdout, "Revoked token %d; it stops working at once.\n", id)
			return err
		})
	}
	return errors.New(tokenUsage)
}

func firstArg(args []string) string {
	if len(args) == 0 {
		return ""
	}
	return args[0]
}

func createToken(e env, args []string) error {
	role, args := takeRole(args)
	var name, expires string
	flags := func(fs *flag.FlagSet) {
		fs.StringVar(&name, "name", "", "what uses the token, e.g. \"CMS bridge\" (required)")
		fs.StringVar(&expires, "expires", "", "lifetime such as 90d or 720h (default: until revoked)")
	}
	return withApp(e, "token create", args, flags, func(a *app.App, _ []string) error {
		r, err := herald.ParseRole(role)
		if err != nil {
			return err
		}
		t := &herald.APIToken{Name: name, Role: r, CreatedBy: cmpOr(e.getenv("USER"), "operator")}
		if expires != "" {
			d, err := parseLifetime(expires)
			if err != nil {
				return err
			}
			t.ExpiresAt = a.Clock.Now().Add(d)
		}
		secret, hash, err := auth.NewAPIToken(t)
		if err != nil {
			return err
		}
		if err := a.Staff.CreateAPIToken(e.ctx, t, hash); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "Created API token %d (%s, %s). The secret is shown once:\n%s\n", t.ID, t.Name, t.Role, secret)
		return nil
	})
}

// parseLifetime reads a duration, with "d" for days.
func parseLifetime(s string) (time.Duration, error) {
	var d time.Duration
	var err error
	if n, ok := strings.CutSuffix(s, "d"); ok {
		var days int
		days, err = strconv.Atoi(n)
		d = time.Duration(days) * 24 * time.Hour
	} else {
		d, err = time.ParseDuration(s)
	}
	if err != nil || d <= 0 {
		return 0, herald.Errorf(herald.EINVALID, "--expires %q: use a lifetime such as 90d or 720h.", s)
	}
	return d, nil
}

func listTokens(e env, a *app.App) error {
	list, err := a.Staff.APITokens(e.ctx)
	if err != nil {
		return err
	}
	if len(list) == 0 {
		_, err := fmt.Fprintln(e.stdout, "No API tokens yet: herald token create --role editor --name NAME")
		return err
	}
	now := a.Clock.Now()
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tNAME\tROLE\tPREFIX\tCREATED\tLAST USED\tSTATE")
	for _, t := range list {
		state := "active"
		switch {
		case !t.RevokedAt.IsZero():
			state = "revoked"
		case !t.Usable(now):
			state = "expired"
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s…\t%s\t%s\t%s\n", t.ID, t.Name, t.Role, t.Prefix, t.CreatedAt.UTC().Format(time.DateOnly),
			dateOrDash(t.LastUsedAt), state)
	}
	return tw.Flush()
}

func dateOrDash(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.UTC().Format(time.DateOnly)
}
