package cli

import "fmt"

func runMigrate(e env, args []string) error {
	return withApp(e, "migrate", args, nil, func(a *app, _ []string) error {
		_, err := fmt.Fprintln(e.stdout, "database is up to date:", a.cfg.DatabaseURL)
		return err
	})
}
