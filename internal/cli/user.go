package cli

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/internal/app"
	"github.com/herald-news/herald/internal/auth"
	"golang.org/x/term"
)

const userUsage = `usage:
  herald user add EMAIL --role writer|editor|admin [--name NAME] [--password-stdin]
        the password is prompted for on a terminal, read from standard input
        with --password-stdin, or else generated and printed once
  herald user list
  herald user role EMAIL writer|editor|admin     (signs the person out everywhere)
  herald user disable EMAIL | enable EMAIL
  herald user password EMAIL [--password-stdin]  (signs the person out everywhere)`

func runUser(e env, args []string) error {
	if len(args) == 0 {
		return errors.New(userUsage)
	}
	switch args[0] {
	case "add":
		return addUser(e, args[1:])
	case "list":
		return withApp(e, "user list", args[1:], nil, func(a *app.App, _ []string) error { return listUsers(e, a) })
	case "role", "disable", "enable":
		return changeUser(e, args[0], args[1:])
	case "password":
		return changePassword(e, args[1:])
	}
	return errors.New(userUsage)
}

// takeRole removes --role VALUE (or -role=VALUE) from args: for staff and
// tokens it names a staff role, while the configuration's own -role names
// what a server process runs.
func takeRole(args []string) (role string, rest []string) {
	for i := 0; i < len(args); i++ {
		name, value, hasValue := strings.Cut(strings.TrimLeft(args[i], "-"), "=")
		if !strings.HasPrefix(args[i], "-") || name != "role" {
			rest = append(rest, args[i])
			continue
		}
		if !hasValue && i+1 < len(args) {
			i++
			value = args[i]
		}
		role = value
	}
	return role, rest
}

func addUser(e env, args []string) error {
	role, args := takeRole(args)
	var name string
	var fromStdin bool
	flags := func(fs *flag.FlagSet) {
		fs.StringVar(&name, "name", "", "the person's name, shown in the admin")
		fs.BoolVar(&fromStdin, "password-stdin", false, "read the password from the first line of standard input")
	}
	return withApp(e, "user add", args, flags, func(a *app.App, rest []string) error {
		if len(rest) != 1 {
			return errors.New(userUsage)
		}
		r, err := herald.ParseRole(role)
		if err != nil {
			return err
		}
		pw, generated, err := newPassword(e, fromStdin, true)
		if err != nil {
			return err
		}
		hash, err := auth.HashPassword(e.ctx, pw)
		if err != nil {
			return err
		}
		u := &herald.User{Email: rest[0], Name: name, Role: r, PasswordHash: hash}
		if err := a.Staff.CreateUser(e.ctx, u); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "Added %s as %s. Sign in at %s/admin/\n", u.Email, u.Role, a.Config.BaseURL)
		if generated {
			fmt.Fprintf(e.stdout, "Password (shown once; pass it on privately): %s\n", pw)
		}
		return nil
	})
}

// newPassword reads a password from standard input, prompts for it twice
// on a terminal, or (when allowed and neither applies) generates one.
func newPassword(e env, fromStdin, mayGenerate bool) (pw string, generated bool, err error) {
	switch {
	case fromStdin:
		line, err := bufio.NewReader(os.Stdin).ReadString('\n')
		if err != nil && line == "" {
			return "", false, errors.New("no password on standard input")
		}
		pw = strings.TrimRight(line, "\r\n")
	case term.IsTerminal(int(os.Stdin.Fd())):
		fmt.Fprint(e.stderr, "Password: ")
		first, err := term.ReadPassword(int(os.Stdin.Fd()))
		fmt.Fprint(e.stderr, "\nAgain: ")
		second, err2 := term.ReadPassword(int(os.Stdin.Fd()))
		fmt.Fprintln(e.stderr)
		if err != nil || err2 != nil {
			return "", false, errors.Join(err, err2)
		}
		if string(first) != string(second) {
			return "", false, errors.New("the two passwords differ")
		}
		pw = string(first)
	case mayGenerate:
		pw, err = auth.GeneratePassword()
		return pw, true, err
	default:
		return "", false, errors.New("give the new password on a terminal or with --password-stdin")
	}
	return pw, false, auth.CheckPassword(pw)
}

func listUsers(e env, a *app.App) error {
	users, err := a.Staff.Users(e.ctx)
	if err != nil {
		return err
	}
	if len(users) == 0 {
		_, err := fmt.Fprintln(e.stdout, "No staff accounts yet: herald user add EMAIL --role admin")
		return err
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "EMAIL\tNAME\tROLE\tSINCE\tSTATE")
	for _, u := range users {
		state := "active"
		if !u.Active() {
			state = "disabled " + u.DisabledAt.UTC().Format(time.DateOnly)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", u.Email, orDash(u.Name), u.Role, u.CreatedAt.UTC().Format(time.DateOnly), state)
	}
	return tw.Flush()
}

func changeUser(e env, verb string, args []string) error {
	return withApp(e, "user "+verb, args, nil, func(a *app.App, rest []string) error {
		if (verb == "role" && len(rest) != 2) || (verb != "role" && len(rest) != 1) {
			return errors.New(userUsage)
		}
		u, err := a.Staff.FindUserByEmail(e.ctx, rest[0])
		if err != nil {
			return err
		}
		switch verb {
		case "role":
			if u.Role, err = herald.ParseRole(rest[1]); err != nil {
				return err
			}
		case "disable":
			u.DisabledAt = a.Clock.Now()
		case "enable":
			u.DisabledAt = time.Time{}
		}
		if err := a.Staff.UpdateUser(e.ctx, u); err != nil {
			return err
		}
		_, err = fmt.Fprintf(e.stdout, "%s: %s.\n", u.Email, describeUser(u))
		return err
	})
}

func describeUser(u *herald.User) string {
	if !u.Active() {
		return "disabled, signed out everywhere"
	}
	return "active, " + string(u.Role)
}

func changePassword(e env, args []string) error {
	var fromStdin bool
	flags := func(fs *flag.FlagSet) {
		fs.BoolVar(&fromStdin, "password-stdin", false, "read the password from the first line of standard input")
	}
	return withApp(e, "user password", args, flags, func(a *app.App, rest []string) error {
		if len(rest) != 1 {
			return errors.New(userUsage)
		}
		u, err := a.Staff.FindUserByEmail(e.ctx, rest[0])
		if err != nil {
			return err
		}
		pw, generated, err := newPassword(e, fromStdin, true)
		if err != nil {
			return err
		}
		if u.PasswordHash, err = auth.HashPassword(e.ctx, pw); err != nil {
			return err
		}
		if err := a.Staff.UpdateUser(e.ctx, u); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "Changed the password of %s and signed them out everywhere.\n", u.Email)
		if generated {
			fmt.Fprintf(e.stdout, "New password (shown once): %s\n", pw)
		}
		return nil
	})
}

// DemoAdminEmail is the admin account the demo newsroom comes with.
const DemoAdminEmail = "admin@herald.example"

// addDemoAdmin gives the demo newsroom an admin account with a generated
// password, printed once, so that a newcomer can sign in to /admin.
func addDemoAdmin(e env, a *app.App) error {
	pw, err := auth.GeneratePassword()
	if err != nil {
		return err
	}
	hash, err := auth.HashPassword(e.ctx, pw)
	if err != nil {
		return err
	}
	u := &herald.User{Email: DemoAdminEmail, Name: "Demo admin", Role: herald.RoleAdmin, PasswordHash: hash}
	if err := a.Staff.CreateUser(e.ctx, u); err != nil {
		return err
	}
	_, err = fmt.Fprintf(e.stdout, "Demo admin: sign in at %s/admin/ as %s with the password %s (shown once; "+
		"`herald user password %s` sets a new one).\n", a.Config.BaseURL, u.Email, pw, u.Email)
	return err
}
