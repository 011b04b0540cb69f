package cli

import (
	"fmt"

	"github.com/herald-news/herald/internal/app"
	"github.com/herald-news/herald/internal/config"
)

func runMigrate(e env, args []string) error {
	return withApp(e, "migrate", args, nil, func(a *app.App, _ []string) error {
		_, err := fmt.Fprintln(e.stdout, "database is up to date:", config.Redact(a.Config.DatabaseURL))
		return err
	})
}
