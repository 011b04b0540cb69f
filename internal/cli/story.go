package cli

import (
	"fmt"
	"os"
	"path/filepath"
)

func runStory(e env, args []string) error {
	if len(args) == 0 || (args[0] != "add" && args[0] != "import") {
		return fmt.Errorf("usage: herald story add FILE.md… | herald story import DIR")
	}
	sub := args[0]
	cfg, fs, err := parseFlags(e, "story "+sub, args[1:], nil)
	if err != nil {
		return err
	}
	paths := fs.Args()
	if len(paths) == 0 || (sub == "import" && len(paths) != 1) {
		return fmt.Errorf("usage: herald story add FILE.md… | herald story import DIR")
	}
	a, err := openApp(e.ctx, cfg, e.stderr)
	if err != nil {
		return err
	}
	defer a.close()
	if _, err := a.attachQueue(false); err != nil {
		return err
	}
	im := a.importer()
	if sub == "import" {
		dir, err := filepath.Abs(paths[0])
		if err != nil {
			return err
		}
		stories, err := im.ImportDir(e.ctx, os.DirFS(dir), ".")
		if err != nil {
			return fmt.Errorf("nothing was imported:\n%w", err)
		}
		for _, st := range stories {
			fmt.Fprintf(e.stdout, "%s\t%s\t%s\n", st.Status, st.Path(), st.Headline)
		}
		_, err = fmt.Fprintf(e.stdout, "imported %d stories\n", len(stories))
		return err
	}
	for _, p := range paths {
		abs, err := filepath.Abs(p)
		if err != nil {
			return err
		}
		st, err := im.AddFile(e.ctx, os.DirFS(filepath.Dir(abs)), filepath.Base(abs))
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "%s\t%s\t%s\n", st.Status, st.Path(), st.Headline)
	}
	return nil
}
