package app

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/internal/mail"
	"github.com/herald-news/herald/internal/mail/compose"
)

// The edition desk's operations, shared by the CLI, the admin and the JSON
// API so that each does exactly the same thing.

// DraftEdition drafts the edition of the newsletter named by slug for
// date ("2026-11-28"), or for its next send when date is empty: from the
// new stories, or blank, with no stories, for an editor to write.
func (a *App) DraftEdition(ctx context.Context, slug, date string, blank bool) (*herald.Edition, error) {
	n, err := a.Newsroom.FindNewsletter(ctx, slug)
	if err != nil {
		return nil, err
	}
	day, err := EditionDate(n, date, a.Clock.Now())
	if err != nil {
		return nil, err
	}
	if blank {
		return a.Desk.DraftBlank(ctx, n, day)
	}
	return a.Desk.Draft(ctx, n, day)
}

// EditionDate is the date given, or the date of the newsletter's next send.
func EditionDate(n *herald.Newsletter, date string, now time.Time) (time.Time, error) {
	if date != "" {
		d, err := time.Parse("2006-01-02", date)
		if err != nil {
			return time.Time{}, herald.Errorf(herald.EINVALID, "The date %q must look like 2026-11-28.", date)
		}
		return d, nil
	}
	next, ok := n.NextSlot(now)
	if !ok {
		next = now
	}
	local := next.In(n.Location())
	return time.Date(local.Year(), local.Month(), local.Day(), 0, 0, 0, 0, time.UTC), nil
}

// PreviewEdition renders an edition as a made-up reader at email would get
// it. Its links name no reader, so following them changes nothing.
func (a *App) PreviewEdition(ctx context.Context, id int64, email string) (*herald.Edition, *mail.Message, error) {
	ed, err := a.Editions.FindEdition(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	site, err := a.Site.Site(ctx)
	if err != nil {
		return nil, nil, err
	}
	m, err := compose.Render(site, ed, a.ComposeOptions)
	if err != nil {
		return nil, nil, err
	}
	r := compose.Recipient{Email: email, UnsubscribeURL: a.Config.BaseURL + "/newsletters/" + ed.Newsletter.Slug,
		PreferencesURL: a.Config.BaseURL + "/newsletters"}
	return ed, m.Message(r, a.Clock.Now()), nil
}

// SendTestEdition sends one copy of an edition, marked "[Test]", to a
// member of staff: the admin and the API may mail no one else with it.
// It changes no ledger and no reader's state.
func (a *App) SendTestEdition(ctx context.Context, id int64, to string) error {
	u, err := a.Staff.FindUserByEmail(ctx, strings.TrimSpace(to))
	if herald.ErrorCode(err) == herald.ENOTFOUND || (err == nil && !u.Active()) {
		return herald.Errorf(herald.EINVALID, "Test copies go only to active staff accounts; %q is not one. "+
			"Add the address as staff first (Staff in the admin, or herald user add).", to)
	} else if err != nil {
		return err
	}
	return a.SendOperatorTestEdition(ctx, id, u.Email)
}

// SendOperatorTestEdition sends a test copy to any address that is not
// suppressed: for the operator's command line.
func (a *App) SendOperatorTestEdition(ctx context.Context, id int64, to string) error {
	if to == "" {
		return herald.Errorf(herald.EINVALID, "Say where the test copy goes.")
	}
	if suppressed, err := a.Subscribers.IsSuppressed(ctx, to); err != nil {
		return err
	} else if suppressed {
		return herald.Errorf(herald.EINVALID, "%s is on the suppression list (a bounce, a complaint or an erasure): no mail goes to it, test copies included.", to)
	}
	_, msg, err := a.PreviewEdition(ctx, id, to)
	if err != nil {
		return err
	}
	msg.Subject = "[Test] " + msg.Subject
	return a.Mail.Send(ctx, msg)
}

// ScheduleEdition checks an edition and schedules it for when, which must
// not be in the past.
func (a *App) ScheduleEdition(ctx context.Context, id int64, when time.Time) (*herald.Edition, error) {
	ed, err := a.Editions.FindEdition(ctx, id)
	if err != nil {
		return nil, err
	}
	if when.Before(a.Clock.Now().Add(-time.Minute)) {
		return nil, herald.Errorf(herald.EINVALID, "The send time %s has passed; send now instead.",
			when.In(ed.Newsletter.Location()).Format("Mon Jan 2 15:04 MST"))
	}
	if err := a.Preflight(ctx, ed); err != nil {
		return nil, err
	}
	if err := a.Editions.SetEditionStatus(ctx, id, herald.EditionScheduled, when); err != nil {
		return nil, err
	}
	return a.Editions.FindEdition(ctx, id)
}

// SetEditionState pauses, resumes, cancels or unschedules an edition:
// "pause", "resume", "cancel" or "unschedule" (a scheduled edition goes
// back to being a draft).
func (a *App) SetEditionState(ctx context.Context, id int64, verb string) error {
	to := map[string]herald.EditionStatus{"pause": herald.EditionPaused, "resume": herald.EditionSending,
		"cancel": herald.EditionCancelled, "unschedule": herald.EditionDraft}[verb]
	if to == "" {
		return fmt.Errorf("app: unknown edition action %q", verb)
	}
	return a.Editions.SetEditionStatus(ctx, id, to, time.Time{})
}
