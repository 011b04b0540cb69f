package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/herald-news/herald"
)

// NewsroomService implements herald.NewsroomService.
type NewsroomService struct{ db *DB }

// NewNewsroomService returns the newsroom service on db.
func NewNewsroomService(db *DB) *NewsroomService { return &NewsroomService{db: db} }

var _ herald.NewsroomService = (*NewsroomService)(nil)

// Sections returns every section in the order editors set.
func (s *NewsroomService) Sections(ctx context.Context) ([]*herald.Section, error) {
	return queryAll(ctx, s.db.db, `SELECT id, slug, name, description, version FROM sections ORDER BY position, name`, scanSection)
}

// FindSection finds a section by slug.
func (s *NewsroomService) FindSection(ctx context.Context, slug string) (*herald.Section, error) {
	sec, err := scanSection(s.db.db.QueryRowContext(ctx, `SELECT id, slug, name, description, version FROM sections WHERE slug = $1`, slug))
	return sec, notFound(err, "Section")
}

// SaveSection creates or updates a section by slug.
func (s *NewsroomService) SaveSection(ctx context.Context, sec *herald.Section) error {
	defer s.db.contentChanged() // the site shows it
	if sec.Name == "" || !herald.ValidSlug(sec.Slug) {
		return herald.Errorf(herald.EINVALID, "A section needs a name and a slug.")
	}
	err := s.db.db.QueryRowContext(ctx, `
		INSERT INTO sections (slug, name, description, position)
		VALUES ($1, $2, $3, (SELECT COUNT(*) FROM sections))
		ON CONFLICT (slug) DO UPDATE SET name = excluded.name, description = excluded.description,
			version = sections.version + 1 WHERE $4 = 0 OR sections.version = $4
		RETURNING id, version`, sec.Slug, sec.Name, sec.Description, sec.Version).Scan(&sec.ID, &sec.Version)
	return staleIfNoRow(err, "the section "+sec.Name)
}

func scanSection(r rowScanner) (*herald.Section, error) {
	var sec herald.Section
	return &sec, r.Scan(&sec.ID, &sec.Slug, &sec.Name, &sec.Description, &sec.Version)
}

// Topics returns every topic by name.
func (s *NewsroomService) Topics(ctx context.Context) ([]*herald.Topic, error) {
	return queryAll(ctx, s.db.db, `SELECT id, slug, name, description, version FROM topics ORDER BY name`, scanTopic)
}

// FindTopic finds a topic by slug.
func (s *NewsroomService) FindTopic(ctx context.Context, slug string) (*herald.Topic, error) {
	t, err := scanTopic(s.db.db.QueryRowContext(ctx, `SELECT id, slug, name, description, version FROM topics WHERE slug = $1`, slug))
	return t, notFound(err, "Topic")
}

// SaveTopic creates or updates a topic by slug.
func (s *NewsroomService) SaveTopic(ctx context.Context, t *herald.Topic) error {
	defer s.db.contentChanged() // the site shows it
	if t.Name == "" || !herald.ValidSlug(t.Slug) {
		return herald.Errorf(herald.EINVALID, "A topic needs a name and a slug.")
	}
	err := s.db.db.QueryRowContext(ctx, `
		INSERT INTO topics (slug, name, description) VALUES ($1, $2, $3)
		ON CONFLICT (slug) DO UPDATE SET name = excluded.name, description = excluded.description,
			version = topics.version + 1 WHERE $4 = 0 OR topics.version = $4
		RETURNING id, version`, t.Slug, t.Name, t.Description, t.Version).Scan(&t.ID, &t.Version)
	return staleIfNoRow(err, "the topic "+t.Name)
}

func scanTopic(r rowScanner) (*herald.Topic, error) {
	var t herald.Topic
	return &t, r.Scan(&t.ID, &t.Slug, &t.Name, &t.Description, &t.Version)
}

// Cities returns every city by name.
func (s *NewsroomService) Cities(ctx context.Context) ([]*herald.City, error) {
	return queryAll(ctx, s.db.db, `SELECT id, slug, name, time_zone, description, version FROM cities ORDER BY name`, scanCity)
}

// FindCity finds a city by slug.
func (s *NewsroomService) FindCity(ctx context.Context, slug string) (*herald.City, error) {
	c, err := scanCity(s.db.db.QueryRowContext(ctx, `SELECT id, slug, name, time_zone, description, version FROM cities WHERE slug = $1`, slug))
	return c, notFound(err, "City")
}

// SaveCity creates or updates a city by slug.
func (s *NewsroomService) SaveCity(ctx context.Context, c *herald.City) error {
	defer s.db.contentChanged() // the site shows it
	if c.Name == "" || !herald.ValidSlug(c.Slug) {
		return herald.Errorf(herald.EINVALID, "A city needs a name and a slug.")
	}
	if _, err := time.LoadLocation(c.TimeZone); err != nil || c.TimeZone == "" {
		return herald.Errorf(herald.EINVALID, "Unknown time zone %q for %s.", c.TimeZone, c.Name)
	}
	err := s.db.db.QueryRowContext(ctx, `
		INSERT INTO cities (slug, name, time_zone, description) VALUES ($1, $2, $3, $4)
		ON CONFLICT (slug) DO UPDATE SET name = excluded.name, time_zone = excluded.time_zone, description = excluded.description,
			version = cities.version + 1 WHERE $5 = 0 OR cities.version = $5
		RETURNING id, version`, c.Slug, c.Name, c.TimeZone, c.Description, c.Version).Scan(&c.ID, &c.Version)
	return staleIfNoRow(err, "the city "+c.Name)
}

func scanCity(r rowScanner) (*herald.City, error) {
	var c herald.City
	return &c, r.Scan(&c.ID, &c.Slug, &c.Name, &c.TimeZone, &c.Description, &c.Version)
}

const authorColumns = `a.id, a.slug, a.name, a.title, a.kind, a.bio, a.version,
	p.id, p.path, p.url, p.alt, p.caption, p.credit, p.width, p.height`

const authorFrom = ` FROM authors a LEFT JOIN photos p ON p.id = a.photo_id`

// Authors returns every author by name.
func (s *NewsroomService) Authors(ctx context.Context) ([]*herald.Author, error) {
	return queryAll(ctx, s.db.db, `SELECT `+authorColumns+authorFrom+` ORDER BY a.name`, scanAuthor)
}

// FindAuthor finds an author by slug.
func (s *NewsroomService) FindAuthor(ctx context.Context, slug string) (*herald.Author, error) {
	a, err := scanAuthor(s.db.db.QueryRowContext(ctx, `SELECT `+authorColumns+authorFrom+` WHERE a.slug = $1`, slug))
	return a, notFound(err, "Author")
}

// SaveAuthor creates or updates an author by slug, with a new photo if set
// and not yet stored.
func (s *NewsroomService) SaveAuthor(ctx context.Context, a *herald.Author) error {
	defer s.db.contentChanged() // the site shows it
	if a.Name == "" || !herald.ValidSlug(a.Slug) {
		return herald.Errorf(herald.EINVALID, "An author needs a name and a slug.")
	}
	if a.Kind != herald.AuthorStaff && a.Kind != herald.AuthorContributor {
		return herald.Errorf(herald.EINVALID, "Author kind must be staff or contributor.")
	}
	if err := herald.CheckMarkdown("bio", a.Bio, herald.MaxBioChars); err != nil {
		return err
	}
	return s.db.inTx(ctx, func(tx *Tx) error {
		var photoID int64
		if a.Photo != nil {
			if err := tx.savePhoto(ctx, a.Photo); err != nil {
				return err
			}
			photoID = a.Photo.ID
		}
		err := tx.QueryRowContext(ctx, `
			INSERT INTO authors (slug, name, title, kind, bio, photo_id) VALUES ($1, $2, $3, $4, $5, $6)
			ON CONFLICT (slug) DO UPDATE SET name = excluded.name, title = excluded.title,
				kind = excluded.kind, bio = excluded.bio, photo_id = excluded.photo_id,
				version = authors.version + 1 WHERE $7 = 0 OR authors.version = $7
			RETURNING id, version`, a.Slug, a.Name, a.Title, string(a.Kind), a.Bio, nullInt64(photoID), a.Version).Scan(&a.ID, &a.Version)
		return staleIfNoRow(err, "the author "+a.Name)
	})
}

func scanAuthor(r rowScanner) (*herald.Author, error) {
	var a herald.Author
	var kind string
	var p nullPhoto
	if err := r.Scan(append([]any{&a.ID, &a.Slug, &a.Name, &a.Title, &kind, &a.Bio, &a.Version}, p.dest()...)...); err != nil {
		return nil, err
	}
	a.Kind = herald.AuthorKind(kind)
	a.Photo = p.photo()
	return &a, nil
}

// IsEmpty reports whether the newsroom has no sections and no stories.
func (s *NewsroomService) IsEmpty(ctx context.Context) (bool, error) {
	var n int
	err := s.db.db.QueryRowContext(ctx, `SELECT (SELECT COUNT(*) FROM sections) + (SELECT COUNT(*) FROM stories)`).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("sqldb: count newsroom: %w", err)
	}
	return n == 0, nil
}

// savePhoto stores p if it has no ID yet.
func (tx *Tx) savePhoto(ctx context.Context, p *herald.Photo) error {
	if p.ID != 0 {
		return nil
	}
	if p.Alt == "" {
		return herald.Errorf(herald.EINVALID, "Every photo needs alt text.")
	}
	return tx.QueryRowContext(ctx, `
		INSERT INTO photos (path, url, alt, caption, credit, width, height, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
		p.Path, p.URL, p.Alt, p.Caption, p.Credit, p.Width, p.Height, tx.now).Scan(&p.ID)
}

// nullPhoto scans the photo columns of a LEFT JOIN.
type nullPhoto struct {
	id                              sql.NullInt64
	path, url, alt, caption, credit sql.NullString
	width, height                   sql.NullInt64
}

func (p *nullPhoto) dest() []any {
	return []any{&p.id, &p.path, &p.url, &p.alt, &p.caption, &p.credit, &p.width, &p.height}
}

func (p *nullPhoto) photo() *herald.Photo {
	if !p.id.Valid {
		return nil
	}
	return &herald.Photo{ID: p.id.Int64, Path: p.path.String, URL: p.url.String, Alt: p.alt.String,
		Caption: p.caption.String, Credit: p.credit.String, Width: int(p.width.Int64), Height: int(p.height.Int64)}
}

// rowScanner is a *sql.Row or *sql.Rows.
type rowScanner interface{ Scan(dest ...any) error }

// querier is a *sql.DB or *sql.Tx.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// queryAll runs a query and scans every row with scan.
func queryAll[T any](ctx context.Context, q querier, query string, scan func(rowScanner) (T, error), args ...any) ([]T, error) {
	var out []T
	err := eachRow(ctx, q, query, func(r rowScanner) error {
		v, err := scan(r)
		out = append(out, v)
		return err
	}, args...)
	return out, err
}

// eachRow runs a query and calls fn on every row.
func eachRow(ctx context.Context, q querier, query string, fn func(rowScanner) error, args ...any) error {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return fmt.Errorf("sqldb: query: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return fmt.Errorf("sqldb: scan: %w", err)
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("sqldb: rows: %w", err)
	}
	return nil
}

// staleIfNoRow turns the missing row of a version-checked upsert into
// a stale save: the stored one moved past the version it was made from.
func staleIfNoRow(err error, what string) error {
	if errors.Is(err, sql.ErrNoRows) {
		return stale(what)
	}
	return err
}

// stale is the ESTALE error of a save of what ("this story") made from a
// version someone has saved over since.
func stale(what string) error {
	return &herald.Error{Code: herald.ESTALE, Message: "Someone else saved " + what + " after you opened it. Nothing of yours was saved."}
}
