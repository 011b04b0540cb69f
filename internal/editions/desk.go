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
	// MarkMissed and BlockEdition report whether they changed the edition.
	MarkMissed(ctx context.Context, id int64, slot time.Time) (bool, error)
	BlockEdition(ctx context.Context, id int64, reason string) (bool, error)
}

// Newsroom is what the desk needs of the newsroom (sqldb.NewsroomService):
// the newsletters, and how far it has looked at their send slots.
type Newsroom interface {
	Newsletters(ctx context.Context) ([]*herald.Newsletter, error)
	DeskSeen(ctx context.Context, newsletterID int64) (time.Time, error)
	SetDeskSeen(ctx context.Context, newsletterID int64, at time.Time) error
}

// NoticeKind is why the desk tells a newsletter's editors about an edition.
type NoticeKind string

// Notices.
const (
	// NoticeMissed: the slot passed and nobody approved the edition; it
	// waits for an editor and never goes out late on its own.
	NoticeMissed NoticeKind = "missed"
	// NoticeBlocked: the edition could not go out at its time.
	NoticeBlocked NoticeKind = "blocked"
)

// Notice is what the desk tells editors.
type Notice struct {
	Kind    NoticeKind
	Edition *herald.Edition
	Slot    time.Time // the send time it was for
	Reason  string    // NoticeBlocked: why, in words
}

// Desk drafts and starts editions.
type Desk struct {
	Editions Store
	Stories  herald.StoryService
	Newsroom Newsroom
	Clock    herald.Clock
	Logger   *slog.Logger
	BaseURL  string
	// Manual, when set, leaves newsletters' cadence alone: only editions
	// an editor scheduled start.
	Manual bool
	// Preflight refuses an edition that must not go out (no postal
	// address, no From); nil checks nothing.
	Preflight func(ctx context.Context, ed *herald.Edition) error
	// Window is how long after a slot the desk still acts on it
	// (SlotWindow when zero); make it longer than the time between ticks.
	Window time.Duration
	// Notify tells the newsletter's editors (mail, metrics); nil tells no
	// one but the log.
	Notify func(ctx context.Context, n Notice)
}

// SlotWindow is how long after a send slot the desk still acts on it. A
// longer gap since the desk last looked means Herald was down: a slot in
// the gap is marked missed, never sent late.
const SlotWindow = 5 * time.Minute

// maxItems keeps an automatic draft short: the opening plus this many.
const maxItems = 7

// Draft builds and stores the edition of a newsletter for a date from the
// live stories published since its previous edition that match it. It
// returns ENOTFOUND when there is nothing new to send.
func (d *Desk) Draft(ctx context.Context, n *herald.Newsletter, date time.Time) (*herald.Edition, error) {
	now := d.Clock.Now()
	if _, err := d.Editions.FindEditionByDate(ctx, n.ID, date); err == nil {
		return nil, herald.Errorf(herald.ECONFLICT, "This newsletter already has an edition for %s.", date.Format("2006-01-02"))
	} else if herald.ErrorCode(err) != herald.ENOTFOUND {
		return nil, err
	}
	since, used, err := d.covered(ctx, n)
	if err != nil {
		return nil, err
	}
	if since.IsZero() {
		since = now.Add(-24 * time.Hour)
	}
	stories, _, err := d.Stories.FindStories(ctx, herald.StoryFilter{LiveAt: now, Limit: 200})
	if err != nil {
		return nil, err
	}
	var picked []*herald.Story
	for _, st := range stories {
		if st.PublishedAt.After(since) && !used[st.ID] && matches(n, st) && len(picked) <= maxItems {
			picked = append(picked, st)
		}
	}
	if len(picked) == 0 {
		return nil, herald.Errorf(herald.ENOTFOUND, "No new stories for %s since %s. Start a blank edition to write it by hand.",
			n.Name, since.In(n.Location()).Format("Mon 2 Jan 15:04 MST"))
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

// DraftBlank stores an edition of a newsletter for a date with no
// stories, for an editor to write by hand: its subject names the
// newsletter and the day until the editor writes one; it cannot be sent
// empty (preflight refuses an edition without items).
func (d *Desk) DraftBlank(ctx context.Context, n *herald.Newsletter, date time.Time) (*herald.Edition, error) {
	ed := &herald.Edition{NewsletterID: n.ID, Newsletter: n, Date: date,
		Subject: n.Name + " for " + date.Format("Monday, January 2")}
	if err := d.Editions.CreateEdition(ctx, ed); err != nil {
		return nil, err
	}
	return ed, nil
}

// covered is what the newsletter's editions already hold: when the
// latest one that is scheduled, sending or sent was made or started (zero
// when none), and every story in any of its editions not cancelled.
func (d *Desk) covered(ctx context.Context, n *herald.Newsletter) (time.Time, map[int64]bool, error) {
	recent, err := d.Editions.Editions(ctx, n.ID, false, 100)
	if err != nil {
		return time.Time{}, nil, err
	}
	var since time.Time
	used := map[int64]bool{}
	for _, e := range recent {
		switch e.Status {
		case herald.EditionCancelled:
			continue
		case herald.EditionScheduled, herald.EditionSending, herald.EditionPaused, herald.EditionSent:
			at := e.StartedAt
			if at.IsZero() {
				at = e.CreatedAt
			}
			if at.After(since) {
				since = at
			}
		}
		for _, it := range append([]herald.EditionItem{e.Opening}, e.Items...) {
			if it.StoryID != 0 {
				used[it.StoryID] = true
			}
		}
	}
	return since, used, nil
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
// automatic newsletter's edition at its send time. At an approve
// newsletter's slot it drafts the edition when no one did and tells the
// editors; nothing of it goes out until one schedules or sends it. A slot
// that passed before the desk first looked, or while Herald was down, is
// never sent on its own. Starting is atomic in storage, so many nodes
// ticking at once start each edition once.
func (d *Desk) Tick(ctx context.Context) error {
	now := d.Clock.Now()
	due, err := d.Editions.DueEditions(ctx, now)
	if err != nil {
		return err
	}
	for _, ed := range due {
		d.start(ctx, ed, ed.ScheduledAt)
	}
	if d.Manual {
		return nil
	}
	letters, err := d.Newsroom.Newsletters(ctx)
	if err != nil {
		return err
	}
	for _, n := range letters {
		seen, err := d.Newsroom.DeskSeen(ctx, n.ID)
		if err == nil {
			err = d.Newsroom.SetDeskSeen(ctx, n.ID, now)
		}
		if err != nil {
			d.Logger.Error("edition desk", "newsletter", n.Slug, "err", err)
			continue
		}
		if seen.IsZero() || !now.After(seen) {
			continue // the first look: slots before now are not ours to send
		}
		slot, date, ok := n.DueSlot(now, now.Sub(seen))
		if !ok || !slot.After(seen) {
			continue
		}
		window := d.Window
		if window <= 0 {
			window = SlotWindow
		}
		d.atSlot(ctx, n, slot, date, now.Sub(seen) <= window)
	}
	return nil
}

// atSlot handles a newsletter's send slot that just passed: live is false
// when the desk was not looking at the time (downtime).
func (d *Desk) atSlot(ctx context.Context, n *herald.Newsletter, slot, date time.Time, live bool) {
	ed, err := d.Editions.FindEditionByDate(ctx, n.ID, date)
	if herald.ErrorCode(err) == herald.ENOTFOUND && !live {
		return // passed while Herald was down: no draft takes stories from the next one
	}
	if herald.ErrorCode(err) == herald.ENOTFOUND {
		if ed, err = d.Draft(ctx, n, date); herald.ErrorCode(err) == herald.ENOTFOUND {
			return // nothing new to say today
		}
	}
	if err != nil {
		d.Logger.Error("draft edition", "newsletter", n.Slug, "err", err)
		return
	}
	if ed.Status != herald.EditionDraft {
		return // scheduled for its own time, or already on its way
	}
	if live && ed.Automatic() {
		d.start(ctx, ed, slot)
		return
	}
	marked, err := d.Editions.MarkMissed(ctx, ed.ID, slot)
	if err != nil {
		d.Logger.Error("mark edition missed", "edition", ed.ID, "err", err)
		return
	}
	if marked {
		ed.MissedAt = slot
		d.notify(ctx, Notice{Kind: NoticeMissed, Edition: ed, Slot: slot})
	}
}

// start checks an edition and starts it; one that must not go out is
// blocked (back to draft, with the reason) and its editors told.
func (d *Desk) start(ctx context.Context, ed *herald.Edition, slot time.Time) {
	if d.Preflight != nil {
		if err := d.Preflight(ctx, ed); err != nil {
			d.block(ctx, ed, slot, err)
			return
		}
	}
	rows, err := d.Editions.StartSend(ctx, ed.ID)
	switch {
	case herald.ErrorCode(err) == herald.ECONFLICT:
		// another node started it first
	case err != nil:
		d.block(ctx, ed, slot, err)
	default:
		d.Logger.Info("edition started", "edition", ed.ID, "recipients", rows)
	}
}

func (d *Desk) block(ctx context.Context, ed *herald.Edition, slot time.Time, cause error) {
	reason := herald.ErrorMessage(cause)
	d.Logger.Error("edition cannot go out", "edition", ed.ID, "newsletter", ed.Newsletter.Slug, "err", cause)
	blocked, err := d.Editions.BlockEdition(ctx, ed.ID, reason)
	if err != nil {
		d.Logger.Error("block edition", "edition", ed.ID, "err", err)
		return
	}
	if blocked {
		ed.Status, ed.Blocked = herald.EditionDraft, reason
		d.notify(ctx, Notice{Kind: NoticeBlocked, Edition: ed, Slot: slot, Reason: reason})
	}
}

func (d *Desk) notify(ctx context.Context, n Notice) {
	d.Logger.Warn("edition needs an editor", "edition", n.Edition.ID, "notice", n.Kind, "reason", n.Reason)
	if d.Notify != nil {
		d.Notify(ctx, n)
	}
}
