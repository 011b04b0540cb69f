package cli

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/internal/app"
)

const storyUsage = "usage: herald story add FILE.md… | herald story import DIR"

func runStory(e env, args []string) error {
	if len(args) == 0 || (args[0] != "add" && args[0] != "import") {
		return errors.New(storyUsage)
	}
	sub := args[0]
	return withApp(e, "story "+sub, args[1:], nil, func(a *app.App, paths []string) error {
		if len(paths) == 0 || (sub == "import" && len(paths) != 1) {
			return errors.New(storyUsage)
		}
		if sub == "import" {
			return importStories(e, a, paths[0])
		}
		for _, p := range paths {
			if err := addStory(e, a, p); err != nil {
				return err
			}
		}
		return nil
	})
}

// addStory adds one story file; its photos are read beside it.
func addStory(e env, a *app.App, path string) error {
	abs, err := filepath.Abs(path)
	if err != nil {
		return err
	}
	st, err := a.Importer().AddFile(e.ctx, os.DirFS(filepath.Dir(abs)), filepath.Base(abs))
	if err != nil {
		return err
	}
	printStory(e, st)
	return nil
}

// importStories adds every story file under dir, or none.
func importStories(e env, a *app.App, dir string) error {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return err
	}
	stories, err := a.Importer().ImportDir(e.ctx, os.DirFS(abs), ".")
	for _, st := range stories {
		printStory(e, st)
	}
	if err != nil && len(stories) == 0 {
		return fmt.Errorf("nothing was imported:\n%w", err)
	} else if err != nil {
		return fmt.Errorf("imported the %d stories above, then stopped:\n%w", len(stories), err)
	}
	_, err = fmt.Fprintf(e.stdout, "imported %d stories\n", len(stories))
	return err
}

func printStory(e env, st *herald.Story) {
	fmt.Fprintf(e.stdout, "%s\t%s\t%s\n", st.Status, st.Path(), st.Headline)
}
