package demo

import (
	"context"
	"fmt"
	"io/fs"
	"path"
	"strings"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/internal/storyfile"
	"go.yaml.in/yaml/v3"
)

// Deps are the services the demo newsroom is written through, the same
// ones editors and the importer use.
type Deps struct {
	Newsroom herald.NewsroomService
	Site     herald.SiteService
	Importer *storyfile.Importer
}

// newsroomFile is the shape of content/newsroom.yaml.
type newsroomFile struct {
	Site struct {
		Name, Tagline, Language string
		PostalAddress           string `yaml:"postal_address"`
		TwitterHandle           string `yaml:"twitter_handle"`
	} `yaml:"site"`
	Sections []struct {
		Slug, Name, Description string
	} `yaml:"sections"`
	Topics []struct {
		Slug, Name, Description string
	} `yaml:"topics"`
	Cities []struct {
		Slug, Name, Description string
		TimeZone                string `yaml:"time_zone"`
	} `yaml:"cities"`
	Authors []struct {
		Slug, Name, Title, Kind, Bio, Photo string
	} `yaml:"authors"`
	Newsletters []struct {
		Slug, Name, Promise, Curator, City string
		Days, Sections, Topics             []string
		SendTime                           string `yaml:"send_time"`
		TimeZone                           string `yaml:"time_zone"`
		FromName                           string `yaml:"from_name"`
		FromEmail                          string `yaml:"from_email"`
		SignupTitle                        string `yaml:"signup_title"`
	} `yaml:"newsletters"`
}

// Seed writes the demo newsroom and returns how many stories it added.
func Seed(ctx context.Context, d Deps) (int, error) {
	raw, err := fs.ReadFile(Content, "content/newsroom.yaml")
	if err != nil {
		return 0, fmt.Errorf("demo: %w", err)
	}
	var nf newsroomFile
	if err := yaml.Unmarshal(raw, &nf); err != nil {
		return 0, fmt.Errorf("demo: newsroom.yaml: %w", err)
	}
	if err := seedNewsroom(ctx, d, &nf); err != nil {
		return 0, err
	}
	stories, err := d.Importer.ImportDir(ctx, storiesFS{}, ".")
	if err != nil {
		return 0, fmt.Errorf("demo: stories: %w", err)
	}
	return len(stories), nil
}

func seedNewsroom(ctx context.Context, d Deps, nf *newsroomFile) error {
	site := herald.Site{Name: nf.Site.Name, Tagline: nf.Site.Tagline, PostalAddress: nf.Site.PostalAddress, Language: nf.Site.Language,
		TwitterHandle: nf.Site.TwitterHandle}
	if site.Language == "" {
		site.Language = herald.DefaultSite.Language
	}
	if err := d.Site.SaveSite(ctx, &site); err != nil {
		return fmt.Errorf("demo: site: %w", err)
	}
	for _, s := range nf.Sections {
		if err := d.Newsroom.SaveSection(ctx, &herald.Section{Slug: s.Slug, Name: s.Name, Description: s.Description}); err != nil {
			return fmt.Errorf("demo: section %s: %w", s.Slug, err)
		}
	}
	for _, t := range nf.Topics {
		if err := d.Newsroom.SaveTopic(ctx, &herald.Topic{Slug: t.Slug, Name: t.Name, Description: t.Description}); err != nil {
			return fmt.Errorf("demo: topic %s: %w", t.Slug, err)
		}
	}
	cities := map[string]*herald.City{}
	for _, c := range nf.Cities {
		city := &herald.City{Slug: c.Slug, Name: c.Name, TimeZone: c.TimeZone, Description: c.Description}
		if err := d.Newsroom.SaveCity(ctx, city); err != nil {
			return fmt.Errorf("demo: city %s: %w", c.Slug, err)
		}
		cities[c.Slug] = city
	}
	authors := map[string]*herald.Author{}
	for _, a := range nf.Authors {
		author := &herald.Author{Slug: a.Slug, Name: a.Name, Title: a.Title, Kind: herald.AuthorKind(a.Kind), Bio: a.Bio}
		if a.Photo != "" {
			photo, err := savePhoto(d, a.Photo, "Portrait of "+a.Name)
			if err != nil {
				return err
			}
			author.Photo = photo
		}
		if err := d.Newsroom.SaveAuthor(ctx, author); err != nil {
			return fmt.Errorf("demo: author %s: %w", a.Slug, err)
		}
		authors[a.Slug] = author
	}
	for _, n := range nf.Newsletters {
		nl := &herald.Newsletter{Slug: n.Slug, Name: n.Name, Promise: n.Promise, SignupTitle: n.SignupTitle,
			Curator: authors[n.Curator], City: cities[n.City], Days: n.Days, SendTime: n.SendTime,
			TimeZone: n.TimeZone, Sections: n.Sections, Topics: n.Topics, FromName: n.FromName, FromEmail: n.FromEmail}
		if err := d.Newsroom.SaveNewsletter(ctx, nl); err != nil {
			return fmt.Errorf("demo: newsletter %s: %w", n.Slug, err)
		}
	}
	return nil
}

// savePhoto paints a demo photo and puts it in the media store.
func savePhoto(d Deps, name, alt string) (*herald.Photo, error) {
	data, err := Photo(name)
	if err != nil {
		return nil, fmt.Errorf("demo: photo %s: %w", name, err)
	}
	img, err := d.Importer.Media.Save(data)
	if err != nil {
		return nil, fmt.Errorf("demo: photo %s: %w", name, err)
	}
	return &herald.Photo{Path: img.Path, Alt: alt, Width: img.Width, Height: img.Height}, nil
}

// storiesFS shows the story files with the painted photos beside them, as
// a newsroom's own folder of Markdown files and images would look.
type storiesFS struct{}

func (storiesFS) Open(name string) (fs.File, error) {
	if strings.HasPrefix(name, "photos/") {
		return Photos().Open(name)
	}
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrInvalid}
	}
	return Content.Open(path.Join("content/stories", name))
}
