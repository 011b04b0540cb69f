package herald

import (
	"context"
	"strconv"
	"time"
)

// EditionStatus is where an edition is on its way to readers.
type EditionStatus string

// Edition statuses.
const (
	EditionDraft     EditionStatus = "draft"
	EditionScheduled EditionStatus = "scheduled" // goes out at ScheduledAt
	EditionSending   EditionStatus = "sending"   // its ledger exists; senders work through it
	EditionPaused    EditionStatus = "paused"    // senders claim nothing until resumed
	EditionSent      EditionStatus = "sent"      // every ledger row reached a final state
	EditionCancelled EditionStatus = "cancelled" // rows not yet sent never will be
)

// Edition is one send of a newsletter.
type Edition struct {
	ID           int64
	NewsletterID int64
	Newsletter   *Newsletter
	Date         time.Time // the calendar date in the newsletter's zone, at 00:00 UTC
	Subject      string
	Preheader    string      // the preview line mail clients show after the subject
	Opening      EditionItem // "1 big thing"
	Items        []EditionItem
	Status       EditionStatus
	ScheduledAt  time.Time
	StartedAt    time.Time
	FinishedAt   time.Time
	CreatedAt    time.Time
	// Held keeps an automatic newsletter's edition from going out at its
	// slot: an editor sends or schedules it by hand.
	Held bool
	// Version rises with every change of content; an update that names
	// the version it was made from is refused (ESTALE) when someone
	// changed it since; zero changes whatever is stored.
	Version int
	// MissedAt is the slot that passed with nobody's yes; it never goes
	// out late on its own.
	MissedAt time.Time
	// Blocked says, in words, why it could not go out at its time; nothing
	// goes out until an editor acts again.
	Blocked string
}

// Automatic reports whether the edition goes out at its newsletter's slot
// without an editor's click.
func (e *Edition) Automatic() bool {
	return e.Newsletter != nil && e.Newsletter.SendMode == SendAutomatic && !e.Held &&
		e.Status == EditionDraft && e.MissedAt.IsZero() && e.Blocked == ""
}

// EditionItem is the opening or one numbered item: from a story (headline,
// Smart Brevity summary, link) or written directly.
type EditionItem struct {
	StoryID  int64 // zero when written directly
	Headline string
	Body     string // Markdown, axioms allowed
	URL      string // the story's absolute URL, when from a story
}

// CheckMarkdown reports the first blurb (the opening's, then the items')
// past the limits of CheckMarkdown for MaxBlurbChars, as an EINVALID error.
func (e *Edition) CheckMarkdown() error {
	if err := CheckMarkdown("blurb of the opening", e.Opening.Body, MaxBlurbChars); err != nil {
		return err
	}
	for i, it := range e.Items {
		if err := CheckMarkdown("blurb of item "+strconv.Itoa(i+1), it.Body, MaxBlurbChars); err != nil {
			return err
		}
	}
	return nil
}

// CheckLines refuses line breaks in the subject, preheader and headlines,
// and item links that are not web addresses.
func (e *Edition) CheckLines() error {
	if err := CheckOneLine("subject line", e.Subject); err != nil {
		return err
	}
	if err := CheckOneLine("preheader", e.Preheader); err != nil {
		return err
	}
	for i, it := range append([]EditionItem{e.Opening}, e.Items...) {
		what := "item " + strconv.Itoa(i)
		if i == 0 {
			what = "opening"
		}
		if err := CheckOneLine("headline of the "+what, it.Headline); err != nil {
			return err
		}
		if err := CheckLinkURL("link of the "+what, it.URL); err != nil {
			return err
		}
	}
	return nil
}

// Words counts the words a reader reads: the opening and every item.
func (e *Edition) Words() int {
	n := 0
	for _, it := range append([]EditionItem{e.Opening}, e.Items...) {
		n += CountWords(it.Headline) + ParseBody(it.Body).Words
	}
	return n
}

// BrevityCount is the line at the top of every edition:
// "Smart Brevity count: 4½ mins, 1,189 words".
func (e *Edition) BrevityCount() string {
	words := e.Words()
	return "Smart Brevity count: " + ReadingTimeFor(words).String() + ", " + FormatCount(words) + " words"
}

// DateString is the edition's date as it appears in URLs: 2026-11-27.
func (e *Edition) DateString() string { return e.Date.Format("2006-01-02") }

// ArchivePath is the public web page of a sent edition.
func (e *Edition) ArchivePath() string {
	return "/newsletters/" + e.Newsletter.Slug + "/" + e.DateString()
}

// SendStatus is the state of one ledger row: one recipient of one edition.
type SendStatus string

// Send statuses (DESIGN.md invariant 1).
const (
	SendQueued     SendStatus = "queued"
	SendSending    SendStatus = "sending"    // leased by a sender
	SendAccepted   SendStatus = "accepted"   // the relay's final 250 is stored
	SendDeferred   SendStatus = "deferred"   // a 4xx; retried from NextAttemptAt
	SendFailed     SendStatus = "failed"     // a permanent refusal, or retries ran out
	SendSuppressed SendStatus = "suppressed" // not sent: unsubscribed, suppressed, or a hard bounce
	SendUnknown    SendStatus = "unknown"    // the connection broke after the data: maybe delivered
)

// SendCounts are an edition's ledger rows by status.
type SendCounts map[SendStatus]int

// Total is the number of recipients.
func (c SendCounts) Total() int {
	n := 0
	for _, v := range c {
		n += v
	}
	return n
}

// NotAccepted is the number of readers the relay did not take: refused
// (hard bounces among them), suppressed or unknown.
func (c SendCounts) NotAccepted() int {
	return c[SendFailed] + c[SendSuppressed] + c[SendUnknown]
}

// Done is the number of rows in a final state.
func (c SendCounts) Done() int {
	return c[SendAccepted] + c[SendFailed] + c[SendSuppressed] + c[SendUnknown]
}

// EditionService stores editions. Find methods return ENOTFOUND.
type EditionService interface {
	FindEdition(ctx context.Context, id int64) (*Edition, error)
	// FindEditionByDate finds a newsletter's edition of a date.
	FindEditionByDate(ctx context.Context, newsletterID int64, date time.Time) (*Edition, error)
	// Editions lists a newsletter's editions, newest first; sentOnly for
	// the public archive.
	Editions(ctx context.Context, newsletterID int64, sentOnly bool, limit int) ([]*Edition, error)
	// CreateEdition stores a draft. Returns ECONFLICT when the newsletter
	// already has an edition of that date.
	CreateEdition(ctx context.Context, e *Edition) error
	// UpdateEdition replaces a draft's or scheduled edition's content.
	// Returns ECONFLICT once sending has started.
	UpdateEdition(ctx context.Context, e *Edition) error
}

// SendClaim is a ledger row a sender has leased: one message to send.
type SendClaim struct {
	SendID       int64
	SubscriberID int64
	Email        string
	UTF8Local    bool
	LinkKey      string // the reader's, for their links and return path
	Attempts     int    // including this one
}

// SendOutcome is what became of one claimed row.
type SendOutcome struct {
	SendID      int64
	Status      SendStatus
	Reply       string    // the relay's reply, or why nothing was sent
	NextAttempt time.Time // for deferred rows
	Suppress    string    // an address to add to the suppression list (a hard bounce)
}

// SendRow is a ledger row as progress reports show it.
type SendRow struct {
	SendID    int64
	Email     string
	Status    SendStatus
	Attempts  int
	Reply     string
	UpdatedAt time.Time
}
