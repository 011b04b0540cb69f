package cli

import "fmt"

func runMigrate(e env, args []string) error {
	cfg, _, err := parseFlags(e, "migrate", args, nil)
	if err != nil {
		return err
	}
	a, err := openApp(e.ctx, cfg, e.stderr)
	if err != nil {
		return err
	}
	defer a.close()
	_, err = fmt.Fprintln(e.stdout, "database is up to date:", cfg.DatabaseURL)
	return err
}
