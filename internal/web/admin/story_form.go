package admin

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/herald-news/herald"
)

// storyForm is the editor's form as the editor typed it, kept whole so a
// page with errors shows it again unchanged.
type storyForm struct {
	Headline, Slug, Kind, Summary, Body string
	SectionID, CityID                   int64
	TopicIDs, AuthorIDs                 []int64
	RelatedIDs                          []int64 // in the editor's order
	PhotoAlt, PhotoCaption, PhotoCredit string
	RemovePhoto                         bool
	Version                             int // of the stored story the form was opened from
}

// formOf is the form showing a stored story (or the defaults of a new one).
func formOf(st *herald.Story) storyForm {
	f := storyForm{Headline: st.Headline, Slug: st.Slug, Kind: string(st.Kind), Summary: st.Summary, Body: st.Body,
		RelatedIDs: st.RelatedIDs, Version: st.Version}
	if f.Kind == "" {
		f.Kind = string(herald.KindNews)
	}
	if st.Section != nil {
		f.SectionID = st.Section.ID
	}
	if st.City != nil {
		f.CityID = st.City.ID
	}
	for _, t := range st.Topics {
		f.TopicIDs = append(f.TopicIDs, t.ID)
	}
	for _, a := range st.Authors {
		f.AuthorIDs = append(f.AuthorIDs, a.ID)
	}
	if st.Photo != nil {
		f.PhotoAlt, f.PhotoCaption, f.PhotoCredit = st.Photo.Alt, st.Photo.Caption, st.Photo.Credit
	}
	return f
}

// readStoryForm reads the submitted form (parsed already by the guard
// when it is multipart).
func readStoryForm(r *http.Request) storyForm {
	v := func(name string) string { return strings.TrimSpace(r.PostFormValue(name)) }
	return storyForm{
		Headline: v("headline"), Slug: v("slug"), Kind: v("kind"), Summary: v("summary"),
		Body:      strings.ReplaceAll(r.PostFormValue("body"), "\r\n", "\n"),
		SectionID: formID(v("section")), CityID: formID(v("city")),
		TopicIDs: formIDs(r.PostForm["topic"]), AuthorIDs: formIDs(r.PostForm["author"]),
		RelatedIDs: formIDs(r.PostForm["related"]), Version: int(formID(v("version"))),
		PhotoAlt: v("photo_alt"), PhotoCaption: v("photo_caption"), PhotoCredit: v("photo_credit"),
		RemovePhoto: r.PostFormValue("remove_photo") != "",
	}
}

func formID(s string) int64 {
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id < 0 {
		return 0
	}
	return id
}

// formIDs reads repeated ID fields, in order, without blanks or repeats.
func formIDs(values []string) []int64 {
	var ids []int64
	for _, s := range values {
		if id := formID(strings.TrimSpace(s)); id != 0 && !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	return ids
}

// fieldErrors maps a form field to what is wrong with it, for the editor.
type fieldErrors map[string]string

// upload is a photo file sent with the form.
type upload struct {
	data []byte
	name string
}

// readUpload returns the photo file of the form, or nil when none was chosen.
func readUpload(r *http.Request) (*upload, error) {
	file, hdr, err := r.FormFile("photo")
	if err == http.ErrMissingFile || err == http.ErrNotMultipart {
		return nil, nil
	}
	if err != nil {
		return nil, herald.Errorf(herald.EINVALID, "The photo could not be read; please choose it again.")
	}
	defer file.Close()
	if hdr.Size == 0 {
		return nil, nil // the browser sends an empty part when no file is chosen
	}
	data, err := io.ReadAll(file)
	if err != nil {
		return nil, herald.Errorf(herald.EINVALID, "The photo could not be read; please choose it again.")
	}
	return &upload{data: data, name: hdr.Filename}, nil
}

// apply checks the form against the newsroom and, when it is sound,
// writes it onto st. The photo itself is stored later, only once
// everything else is known to be right.
func (f storyForm) apply(ctx context.Context, opts *storyOptions, st *herald.Story, photo *upload) fieldErrors {
	errs := fieldErrors{}
	if f.Headline == "" {
		errs["headline"] = "Write a headline."
	} else if n := len([]rune(f.Headline)); n > 200 {
		errs["headline"] = fmt.Sprintf("Keep the headline under 200 characters (it has %d): nothing was cut, so shorten it here.", n)
	}
	slug := f.Slug
	if slug == "" {
		slug = herald.Slugify(f.Headline)
	}
	if f.Headline != "" && !herald.ValidSlug(slug) {
		errs["slug"] = "Use lower-case letters, digits and hyphens only, like council-backs-bike-lanes."
	}
	if !herald.StoryKind(f.Kind).Valid() {
		errs["kind"] = "Pick a kind: news, analysis, opinion or gallery."
	}
	section := findByID(opts.Sections, f.SectionID, func(s *herald.Section) int64 { return s.ID })
	if section == nil {
		errs["section"] = "Pick a section."
	}
	var city *herald.City
	if f.CityID != 0 {
		if city = findByID(opts.Cities, f.CityID, func(c *herald.City) int64 { return c.ID }); city == nil {
			errs["city"] = "That city no longer exists; pick another."
		}
	}
	var authors []*herald.Author
	for _, id := range f.AuthorIDs {
		if a := findByID(opts.Authors, id, func(a *herald.Author) int64 { return a.ID }); a != nil {
			authors = append(authors, a)
		}
	}
	if len(authors) == 0 {
		errs["authors"] = "Pick at least one author."
	}
	var topics []*herald.Topic
	for _, id := range f.TopicIDs {
		if t := findByID(opts.Topics, id, func(t *herald.Topic) int64 { return t.ID }); t != nil {
			topics = append(topics, t)
		}
	}
	hasPhoto := photo != nil || (st.Photo != nil && !f.RemovePhoto)
	if hasPhoto {
		missing := []string{}
		for _, m := range []struct{ value, name string }{{f.PhotoAlt, "alt text"}, {f.PhotoCaption, "a caption"}, {f.PhotoCredit, "a credit"}} {
			if m.value == "" {
				missing = append(missing, m.name)
			}
		}
		if len(missing) > 0 {
			msg := "A photo needs " + joinAnd(missing) + "."
			if photo != nil {
				msg += " Then choose the photo again."
			}
			errs["photo"] = msg
		}
		if err := herald.CheckLimits(herald.Limit{What: "photo's alt text", Text: f.PhotoAlt, Most: 300},
			herald.Limit{What: "photo's caption", Text: f.PhotoCaption, Most: 500},
			herald.Limit{What: "photo's credit", Text: f.PhotoCredit, Most: 200}); err != nil && errs["photo"] == "" {
			errs["photo"] = herald.ErrorMessage(err)
		}
	}
	if len(errs) > 0 {
		return errs
	}
	st.Headline, st.Slug, st.Kind, st.Summary, st.Body = f.Headline, slug, herald.StoryKind(f.Kind), f.Summary, f.Body
	st.Section, st.City, st.Authors, st.Topics = section, city, authors, topics
	st.RelatedIDs = slices.DeleteFunc(slices.Clone(f.RelatedIDs), func(id int64) bool { return id == st.ID })
	switch {
	case !hasPhoto:
		st.Photo = nil
	case photo == nil && (st.Photo.Alt != f.PhotoAlt || st.Photo.Caption != f.PhotoCaption || st.Photo.Credit != f.PhotoCredit):
		// The same image with new words: a new photo row, as photos are shared.
		st.Photo = &herald.Photo{Path: st.Photo.Path, URL: st.Photo.URL, Width: st.Photo.Width, Height: st.Photo.Height,
			Alt: f.PhotoAlt, Caption: f.PhotoCaption, Credit: f.PhotoCredit}
	}
	return nil
}

// joinAnd joins "a", "b" and "c" as "a, b and c".
func joinAnd(items []string) string {
	if len(items) < 2 {
		return strings.Join(items, "")
	}
	return strings.Join(items[:len(items)-1], ", ") + " and " + items[len(items)-1]
}

func findByID[T any](items []T, id int64, idOf func(T) int64) T {
	var zero T
	if id == 0 {
		return zero
	}
	for _, it := range items {
		if idOf(it) == id {
			return it
		}
	}
	return zero
}

// storyFieldError files a storage error that names a field ("slug: another
// story already uses …") under that field; other errors are not the
// form's to show.
func storyFieldError(err error) (fieldErrors, bool) {
	if herald.ErrorCode(err) != herald.EINVALID && herald.ErrorCode(err) != herald.ECONFLICT {
		return nil, false
	}
	msg := herald.ErrorMessage(err)
	field, rest, ok := strings.Cut(msg, ": ")
	switch field {
	case "headline", "slug", "kind", "section", "authors", "body":
		if ok {
			return fieldErrors{field: strings.ToUpper(rest[:1]) + rest[1:]}, true
		}
	}
	return fieldErrors{"form": msg}, true
}
