package storyfile

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"slices"
	"strings"
	"time"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/internal/media"
)

// Importer turns drafts into stored stories.
type Importer struct {
	Newsroom herald.NewsroomService
	Stories  herald.StoryService
	Media    *media.Store // where photo files go; nil allows only photo URLs
	Clock    herald.Clock // resolves relative times; the system clock when nil
}

// AddFile reads, checks and stores one story from fsys (photos are read
// relative to the file's folder in fsys). Nothing is stored when anything
// is wrong; the error is then a *FileError, or several joined.
func (im *Importer) AddFile(ctx context.Context, fsys fs.FS, name string) (*herald.Story, error) {
	stories, err := im.importFiles(ctx, fsys, []string{name})
	if err != nil {
		return nil, err
	}
	return stories[0], nil
}

// ImportDir adds every *.md file under dir in fsys (hidden files and
// folders aside), sorted by name. All files are checked first; if any has
// a problem, nothing is stored and the error joins every *FileError.
// Related slugs may refer to stories earlier in the batch. Returns the
// stored stories.
func (im *Importer) ImportDir(ctx context.Context, fsys fs.FS, dir string) ([]*herald.Story, error) {
	var names []string
	err := fs.WalkDir(fsys, dir, func(name string, e fs.DirEntry, err error) error {
		switch {
		case err != nil:
			return err
		case name != dir && strings.HasPrefix(e.Name(), "."):
			if e.IsDir() {
				return fs.SkipDir
			}
		case !e.IsDir() && path.Ext(name) == ".md":
			names = append(names, name)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("storyfile: read folder %s: %w", dir, err)
	}
	slices.Sort(names)
	return im.importFiles(ctx, fsys, names)
}

// importFiles checks every file, then stores them in order.
func (im *Importer) importFiles(ctx context.Context, fsys fs.FS, names []string) ([]*herald.Story, error) {
	now := time.Now().UTC()
	if im.Clock != nil {
		now = im.Clock.Now()
	}
	b := &batch{names: names, slugs: map[string]int{}}
	drafts := make([]*Draft, len(names))
	problems := make([][]*FileError, len(names))
	for i, name := range names {
		d, fe := readDraft(fsys, name, now)
		if fe != nil {
			problems[i] = []*FileError{fe}
			continue
		}
		drafts[i] = d
		if _, taken := b.slugs[d.Slug]; !taken {
			b.slugs[d.Slug] = i
		}
	}
	dir, err := im.loadDirectory(ctx)
	if err != nil {
		return nil, err
	}
	plans := make([]*plan, len(names))
	for i, d := range drafts {
		if d == nil {
			continue
		}
		if plans[i], problems[i], err = im.check(ctx, fsys, d, dir, b, i); err != nil {
			return nil, err
		}
	}
	if err := joinProblems(problems); err != nil {
		return nil, err
	}
	created := map[string]int64{}
	topics := map[string]*herald.Topic{}
	stored := make([]*herald.Story, 0, len(plans))
	for i, pl := range plans {
		if err := im.store(ctx, pl, created, topics); err != nil {
			if i > 0 {
				err = fmt.Errorf("%w (stopped after storing %d of %d stories)", err, i, len(plans))
			}
			return stored, err
		}
		created[pl.story.Slug] = pl.story.ID
		stored = append(stored, pl.story)
	}
	return stored, nil
}

// readDraft reads and parses one file, refusing to read past the limit.
func readDraft(fsys fs.FS, name string, now time.Time) (*Draft, *FileError) {
	f, err := fsys.Open(name)
	if err != nil {
		msg := "cannot open the file"
		if errors.Is(err, fs.ErrNotExist) {
			msg = "no such file"
		}
		return nil, &FileError{File: name, Message: msg}
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxFileBytes+1))
	if err != nil {
		return nil, &FileError{File: name, Message: "cannot read the file: " + err.Error()}
	}
	d, err := Parse(name, data, now)
	if err != nil {
		return nil, err.(*FileError)
	}
	return d, nil
}

// joinProblems returns nil, the one problem, or all problems joined, in
// file order and by line within a file.
func joinProblems(byFile [][]*FileError) error {
	var errs []error
	for _, problems := range byFile {
		slices.SortStableFunc(problems, func(a, b *FileError) int { return cmp.Compare(a.Line, b.Line) })
		for _, fe := range problems {
			errs = append(errs, fe)
		}
	}
	switch len(errs) {
	case 0:
		return nil
	case 1:
		return errs[0]
	}
	return errors.Join(errs...)
}

// store creates the plan's new topics, saves its photo files and creates
// the story. created holds the IDs of the batch's stories stored so far;
// topics the topics created so far.
func (im *Importer) store(ctx context.Context, pl *plan, created map[string]int64, topics map[string]*herald.Topic) error {
	st, d := pl.story, pl.draft
	for i, t := range st.Topics {
		if t.ID != 0 {
			continue
		}
		if done, ok := topics[t.Slug]; ok {
			st.Topics[i] = done
			continue
		}
		found, err := im.Newsroom.FindTopic(ctx, t.Slug)
		switch herald.ErrorCode(err) {
		case "":
			t = found
		case herald.ENOTFOUND:
			if err := im.Newsroom.SaveTopic(ctx, t); err != nil {
				return fmt.Errorf("storyfile: %s: create topic %q: %w", d.File, t.Name, err)
			}
		default:
			return fmt.Errorf("storyfile: %s: find topic %q: %w", d.File, t.Slug, err)
		}
		topics[t.Slug], st.Topics[i] = t, t
	}
	for _, img := range pl.images {
		saved, err := im.Media.Save(img.data)
		if herald.ErrorCode(err) == herald.EINVALID {
			return &FileError{File: d.File, Line: img.line, Field: img.field, Message: herald.ErrorMessage(err)}
		} else if err != nil {
			return fmt.Errorf("storyfile: %s: save photo: %w", d.File, err)
		}
		img.photo.Path, img.photo.Width, img.photo.Height = saved.Path, saved.Width, saved.Height
	}
	st.RelatedIDs = nil
	for _, r := range pl.related {
		if id := cmp.Or(r.id, created[r.slug]); id != 0 {
			st.RelatedIDs = append(st.RelatedIDs, id)
		}
	}
	err := im.Stories.CreateStory(ctx, st)
	switch herald.ErrorCode(err) {
	case "":
		return nil
	case herald.ECONFLICT:
		return &FileError{File: d.File, Line: d.slugLine(), Field: "slug",
			Message: fmt.Sprintf("another story already uses %q; give this one another slug", st.Slug)}
	case herald.EINVALID:
		field, msg := "", strings.TrimSuffix(herald.ErrorMessage(err), ".")
		if key, rest, ok := strings.Cut(msg, ": "); ok && slices.Contains(keys, key) {
			field, msg = key, rest
		}
		return &FileError{File: d.File, Line: d.Line(field), Field: field, Message: msg}
	}
	return fmt.Errorf("storyfile: %s: store story: %w", d.File, err)
}

// slugLine is the line of the slug key, or of the headline it is made of.
func (d *Draft) slugLine() int {
	if _, given := d.Lines["slug"]; given {
		return d.Line("slug")
	}
	return d.Line("headline")
}
