package sqldb

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"sync"
	"time"

	"github.com/herald-news/herald"
)

// EditionService implements herald.EditionService and the send ledger.
type EditionService struct {
	db *DB
	// stmts are the per-message ledger statements, prepared once: SQLite
	// would otherwise parse them for every message sent.
	stmts struct {
		once             sync.Once
		err              error
		record, eligible *sql.Stmt
	}
}

// NewEditionService returns the edition service on db.
func NewEditionService(db *DB) *EditionService { return &EditionService{db: db} }

// prepared returns the per-message statements, preparing them on first use.
func (s *EditionService) prepared(ctx context.Context) (record, eligible *sql.Stmt, err error) {
	p := &s.stmts
	p.once.Do(func() {
		if p.record, p.err = s.db.db.PrepareContext(ctx, recordQuery); p.err != nil {
			return
		}
		p.eligible, p.err = s.db.db.PrepareContext(ctx, eligibleQuery)
	})
	if p.err != nil {
		return nil, nil, fmt.Errorf("sqldb: prepare ledger statements: %w", p.err)
	}
	return p.record, p.eligible, nil
}

var _ herald.EditionService = (*EditionService)(nil)

// editionContent is the JSON in editions.content.
type editionContent struct {
	Opening herald.EditionItem   `json:"opening"`
	Items   []herald.EditionItem `json:"items"`
}

const editionColumns = `e.id, e.newsletter_id, e.edition_date, e.subject, e.preheader, e.content, e.status,
	e.scheduled_at, e.started_at, e.finished_at, e.created_at, e.held, e.missed_at, e.blocked, e.version`

func scanEdition(r rowScanner) (*herald.Edition, error) {
	var e herald.Edition
	var date, content, status string
	var scheduled, started, finished, missed sql.NullTime
	var held int
	err := r.Scan(&e.ID, &e.NewsletterID, &date, &e.Subject, &e.Preheader, &content, &status,
		&scheduled, &started, &finished, &e.CreatedAt, &held, &missed, &e.Blocked, &e.Version)
	if err != nil {
		return nil, err
	}
	if e.Date, err = time.Parse("2006-01-02", date); err != nil {
		return nil, fmt.Errorf("edition %d date %q: %w", e.ID, date, err)
	}
	var c editionContent
	if err := json.Unmarshal([]byte(content), &c); err != nil {
		return nil, fmt.Errorf("edition %d content: %w", e.ID, err)
	}
	e.Opening, e.Items, e.Status = c.Opening, c.Items, herald.EditionStatus(status)
	e.ScheduledAt, e.StartedAt, e.FinishedAt = scheduled.Time, started.Time, finished.Time
	e.Held, e.MissedAt = held != 0, missed.Time
	return &e, nil
}

// withNewsletter loads each edition's newsletter.
func (s *EditionService) withNewsletter(ctx context.Context, eds []*herald.Edition) error {
	letters, err := NewNewsroomService(s.db).Newsletters(ctx)
	if err != nil {
		return err
	}
	for _, e := range eds {
		for _, n := range letters {
			if n.ID == e.NewsletterID {
				e.Newsletter = n
			}
		}
	}
	return nil
}

// FindEdition finds an edition with its newsletter.
func (s *EditionService) FindEdition(ctx context.Context, id int64) (*herald.Edition, error) {
	e, err := scanEdition(s.db.db.QueryRowContext(ctx, `SELECT `+editionColumns+` FROM editions e WHERE e.id = $1`, id))
	if err != nil {
		return nil, notFound(err, "Edition")
	}
	return e, s.withNewsletter(ctx, []*herald.Edition{e})
}

// FindEditionByDate finds a newsletter's edition of a date.
func (s *EditionService) FindEditionByDate(ctx context.Context, newsletterID int64, date time.Time) (*herald.Edition, error) {
	e, err := scanEdition(s.db.db.QueryRowContext(ctx, `SELECT `+editionColumns+` FROM editions e
		WHERE e.newsletter_id = $1 AND e.edition_date = $2`, newsletterID, date.Format("2006-01-02")))
	if err != nil {
		return nil, notFound(err, "Edition")
	}
	return e, s.withNewsletter(ctx, []*herald.Edition{e})
}

// Editions lists a newsletter's editions, newest first; zero newsletterID
// lists every newsletter's.
func (s *EditionService) Editions(ctx context.Context, newsletterID int64, sentOnly bool, limit int) ([]*herald.Edition, error) {
	if limit <= 0 || limit > 1000 {
		limit = 100
	}
	query := `SELECT ` + editionColumns + ` FROM editions e WHERE ($1 = 0 OR e.newsletter_id = $1)`
	if sentOnly {
		query += ` AND e.status = 'sent'`
	}
	eds, err := queryAll(ctx, s.db.db, query+` ORDER BY e.edition_date DESC, e.id DESC LIMIT $2`, scanEdition, newsletterID, limit)
	if err != nil {
		return nil, fmt.Errorf("sqldb: editions: %w", err)
	}
	return eds, s.withNewsletter(ctx, eds)
}

func validateEdition(e *herald.Edition) error {
	switch {
	case e.NewsletterID == 0:
		return herald.Errorf(herald.EINVALID, "An edition needs a newsletter.")
	case e.Subject == "":
		return herald.Errorf(herald.EINVALID, "An edition needs a subject line.")
	case len(e.Subject) > 250:
		return herald.Errorf(herald.EINVALID, "Keep the subject line under 250 characters.")
	case e.Date.IsZero():
		return herald.Errorf(herald.EINVALID, "An edition needs a date.")
	}
	if err := e.CheckLines(); err != nil {
		return err
	}
	return e.CheckMarkdown()
}

func encodeContent(e *herald.Edition) (string, error) {
	raw, err := json.Marshal(editionContent{Opening: e.Opening, Items: e.Items})
	if err != nil {
		return "", fmt.Errorf("sqldb: encode edition: %w", err)
	}
	return string(raw), nil
}

// CreateEdition stores a draft.
func (s *EditionService) CreateEdition(ctx context.Context, e *herald.Edition) error {
	if err := validateEdition(e); err != nil {
		return err
	}
	content, err := encodeContent(e)
	if err != nil {
		return err
	}
	return s.db.inTx(ctx, func(tx *Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM editions WHERE newsletter_id = $1 AND edition_date = $2`,
			e.NewsletterID, e.DateString()).Scan(&n); err != nil {
			return fmt.Errorf("sqldb: check edition: %w", err)
		} else if n > 0 {
			return herald.Errorf(herald.ECONFLICT, "This newsletter already has an edition for %s.", e.DateString())
		}
		e.Status, e.CreatedAt, e.Version = herald.EditionDraft, tx.now, 1
		return tx.QueryRowContext(ctx, `INSERT INTO editions (newsletter_id, edition_date, subject, preheader, content, status,
			created_at, updated_at, held) VALUES ($1, $2, $3, $4, $5, 'draft', $6, $6, $7) RETURNING id`,
			e.NewsletterID, e.DateString(), e.Subject, e.Preheader, content, tx.now, boolInt(e.Held)).Scan(&e.ID)
	})
}

// UpdateEdition replaces the content of a draft or scheduled edition.
func (s *EditionService) UpdateEdition(ctx context.Context, e *herald.Edition) error {
	if err := validateEdition(e); err != nil {
		return err
	}
	content, err := encodeContent(e)
	if err != nil {
		return err
	}
	return s.db.inTx(ctx, func(tx *Tx) error {
		var status string
		var version int
		if err := tx.QueryRowContext(ctx, `SELECT status, version FROM editions WHERE id = $1`+s.db.dialect.rowLock(), e.ID).Scan(&status, &version); err != nil {
			return notFound(err, "Edition")
		}
		switch {
		case status != string(herald.EditionDraft) && status != string(herald.EditionScheduled):
			return herald.Errorf(herald.ECONFLICT, "This edition has started sending and can no longer be changed.")
		case e.Version != 0 && e.Version != version:
			return stale("this edition")
		}
		if _, err := tx.ExecContext(ctx, `UPDATE editions SET subject = $1, preheader = $2, content = $3, updated_at = $4,
			held = $6, version = version + 1 WHERE id = $5`, e.Subject, e.Preheader, content, tx.now, e.ID, boolInt(e.Held)); err != nil {
			return fmt.Errorf("sqldb: update edition: %w", err)
		}
		e.Version = version + 1
		return nil
	})
}
