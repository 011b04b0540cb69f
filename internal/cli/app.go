package cli

import (
	"flag"

	"github.com/herald-news/herald/internal/app"
	"github.com/herald-news/herald/internal/demo"
)

// withApp parses a command's flags (the configuration plus extra), before
// or after its arguments, opens Herald and runs fn with the arguments.
func withApp(e env, name string, args []string, extra func(*flag.FlagSet), fn func(a *app.App, args []string) error) error {
	cfg, rest, err := parseFlags(e, name, args, extra)
	if err != nil {
		return err
	}
	a, err := app.Open(e.ctx, cfg, app.Options{Logs: e.stderr})
	if err != nil {
		return err
	}
	defer a.Close()
	return fn(a, rest)
}

func demoDeps(a *app.App) demo.Deps {
	return demo.Deps{Newsroom: a.Newsroom, Site: a.Site, Importer: a.Importer()}
}
