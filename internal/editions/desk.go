// Package editions is the newsletter desk: it drafts each edition from the
// stories published since the one before, and starts editions at their
// newsletter's local send time.
package editions

import (
	"context"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/herald-news/herald"
)

// Store is what the desk needs of storage (sqldb.EditionService).
type Store interface {
	herald.EditionService
	StartSend(ctx context.Context, editionID int64) (int, error)
	DueEditions(ctx context.Context, now time.Time) ([]*herald.Edition, error)
}

// Desk drafts and starts editions.
type Desk struct {
	Editions Store
	Stories  herald.StoryService
	Newsroom herald.NewsroomService
	Clock    herald.Clock
	Logger   *slog.Logger
	BaseURL  string
	// Manual, when set, leaves newsletters' cadence alone: only editions
	// an editor scheduled start.
	Manual bool
	// Grace is how late an edition may still go out after its send time
	// (after downtime); later than that the slot is skipped.
	Grace time.Duration
	// Preflight refuses an edition that must not go out (no postal
	// address, no From); nil checks nothing.
	Preflight func(ctx context.Context, ed *herald.Edition) error
}

// maxItems keeps an automatic draft short: the opening plus this many.
const maxItems = 7

// Draft builds and stores the edition of a newsletter for a date from the
// live stories published since its previous edition that match it. It
// returns ENOTFOUND when there is nothing new to send.
func (d *Desk) Draft(ctx context.Context, n *herald.Newsletter, date time.Time) (*herald.Edition, error) {
	now := d.Clock.Now()
	since := now.Add(-24 * time.Hour)
	if prev, err := d.Editions.Editions(ctx, n.ID, true, 1); err != nil {
		return nil, err
	} else if len(prev) > 0 && !prev[0].StartedAt.IsZero() {
		since = prev[0].StartedAt
	}
	stories, _, err := d.Stories.FindStories(ctx, herald.StoryFilter{LiveAt: now, Limit: 200})
	if err != nil {
		return nil, err
	}
	var picked []*herald.Story
	for _, st := range stories {
		if st.PublishedAt.After(since) && matches(n, st) && len(picked) <= maxItems {
			picked = append(picked, st)
		}
	}
	if len(picked) == 0 {
		return nil, herald.Errorf(herald.ENOTFOUND, "No new stories for %s since %s.", n.Name, since.Format(time.RFC3339))
	}
	ed := &herald.Edition{NewsletterID: n.ID, Newsletter: n, Date: date, Opening: d.item(picked[0]),
		Subject: picked[0].Headline, Preheader: clip(picked[0].CardSummary(), 140)}
	for _, st := range picked[1:] {
		ed.Items = append(ed.Items, d.item(st))
	}
	if err := d.Editions.CreateEdition(ctx, ed); err != nil {
		return nil, err
	}
	return ed, nil
}

// matches reports whether a story belongs in a newsletter: a city's
// newsletter takes that city's stories; a national one takes stories of
// its sections and topics, or every national story when it names none.
func matches(n *herald.Newsletter, st *herald.Story) bool {
	if n.City != nil {
		return st.City != nil && st.City.ID == n.City.ID
	}
	if st.City != nil {
		return false
	}
	if len(n.Sections) == 0 && len(n.Topics) == 0 {
		return true
	}
	if slices.Contains(n.Sections, st.Section.Slug) {
		return true
	}
	for _, t := range st.Topics {
		if slices.Contains(n.Topics, t.Slug) {
			return true
		}
	}
	return false
}

// item is a story as an edition item.
func (d *Desk) item(st *herald.Story) herald.EditionItem { return StoryItem(d.BaseURL, st) }

// StoryItem is a story as an edition item: its summary and first axiom,
// and a link to it under baseURL. The admin's composer adds stories with it.
func StoryItem(baseURL string, st *herald.Story) herald.EditionItem {
	// Clipped so that the item stays within the limits on a blurb
	// (herald.MaxBlurbChars, herald.MaxMarkdownLineChars) however long the story's lede and axiom.
	body := clip(st.CardSummary(), maxItemPart)
	if axiom, ok := herald.ParseBody(st.Body).FirstAxiom(); ok {
		rest := strings.TrimSpace(strings.TrimPrefix(axiom.Text, axiom.Axiom+":"))
		body += "\n\n**" + axiom.Axiom + ":** " + clip(rest, maxItemPart)
	}
	return herald.EditionItem{StoryID: st.ID, Headline: st.Headline, Body: body, URL: baseURL + st.Path()}
}

// maxItemPart is how many characters of a story's summary, and of its first
// axiom, an edition item takes.
const maxItemPart = 2000

func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return strings.TrimSpace(string(r[:n-1])) + "…"
}

// Tick starts what is due: editions an editor scheduled, and each
// newsletter's edition at its send time on its cadence (drafted then and
// there when no one drafted it). Starting is atomic in storage, so many
// nodes ticking at once start each edition once.
func (d *Desk) Tick(ctx context.Context) error {
	now := d.Clock.Now()
	due, err := d.Editions.DueEditions(ctx, now)
	if err != nil {
		return err
	}
	for _, ed := range due {
		d.start(ctx, ed)
	}
	if d.Manual {
		return nil
	}
	letters, err := d.Newsroom.Newsletters(ctx)
	if err != nil {
		return err
	}
	for _, n := range letters {
		_, date, ok := n.DueSlot(now, d.Grace)
		if !ok {
			continue
		}
		ed, err := d.Editions.FindEditionByDate(ctx, n.ID, date)
		if herald.ErrorCode(err) == herald.ENOTFOUND {
			if ed, err = d.Draft(ctx, n, date); herald.ErrorCode(err) == herald.ENOTFOUND {
				continue // nothing new to say today
			}
		}
		if err != nil {
			d.Logger.Error("draft edition", "newsletter", n.Slug, "err", err)
			continue
		}
		if ed.Status == herald.EditionDraft {
			d.start(ctx, ed)
		}
	}
	return nil
}

func (d *Desk) start(ctx context.Context, ed *herald.Edition) {
	if d.Preflight != nil {
		if err := d.Preflight(ctx, ed); err != nil {
			d.Logger.Error("edition cannot go out", "edition", ed.ID, "newsletter", ed.Newsletter.Slug, "err", err)
			return
		}
	}
	rows, err := d.Editions.StartSend(ctx, ed.ID)
	switch {
	case herald.ErrorCode(err) == herald.ECONFLICT:
		// another node started it first
	case err != nil:
		d.Logger.Error("start edition", "edition", ed.ID, "err", err)
	default:
		d.Logger.Info("edition started", "edition", ed.ID, "recipients", rows)
	}
}
