package app

import (
	"context"
	"fmt"
	"net/url"
	"strings"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/internal/editions"
	"github.com/herald-news/herald/internal/mail"
)

// notifyEditors mails every editor and admin on staff about an edition
// the desk could not send or that waits for approval, through the same
// transport as confirmation mail. A blocked edition is counted in
// /metrics.
func (a *App) notifyEditors(ctx context.Context, n editions.Notice) {
	if n.Kind == editions.NoticeBlocked && a.blockedEditions != nil {
		a.blockedEditions.Inc()
	}
	users, err := a.Staff.Users(ctx)
	if err != nil {
		a.Logger.Error("notify editors", "edition", n.Edition.ID, "err", err)
		return
	}
	subject, text := noticeText(a.Config.BaseURL, n)
	for _, u := range users {
		if !u.DisabledAt.IsZero() || (u.Role != herald.RoleEditor && u.Role != herald.RoleAdmin) {
			continue
		}
		msg := &mail.Message{From: a.noticeFrom(n.Edition.Newsletter), To: mail.Address{Name: u.Name, Email: u.Email},
			Subject: subject, Date: a.Clock.Now(), Text: text,
			Headers: []mail.Header{{Key: "Auto-Submitted", Value: "auto-generated"}}}
		if err := a.Mail.Send(ctx, msg); err != nil {
			a.Logger.Error("notify editor", "edition", n.Edition.ID, "to", u.Email, "err", err)
		}
	}
}

// noticeText is the subject and body of an editor notice.
func noticeText(baseURL string, n editions.Notice) (subject, text string) {
	ed := n.Edition
	name, when := ed.Newsletter.Name, n.Slot.In(ed.Newsletter.Location()).Format("Mon Jan 2 15:04 MST")
	link := baseURL + fmt.Sprintf("/admin/editions/%d", ed.ID)
	switch n.Kind {
	case editions.NoticeBlocked:
		subject = fmt.Sprintf("Blocked: %s of %s did not go out", name, ed.DateString())
		text = fmt.Sprintf("The %s edition for %s could not go out at %s:\n\n  %s\n\n"+
			"Nothing was sent to readers, and nothing will go out by itself. Fix the problem, then schedule or send the edition:\n%s\n",
			name, ed.DateString(), when, n.Reason, link)
	default:
		subject = fmt.Sprintf("Waiting for approval: %s of %s", name, ed.DateString())
		text = fmt.Sprintf("The %s edition for %s was due at %s, but nobody approved it, so nothing was sent.\n\n"+
			"The draft %q is ready. It will not go out late on its own: review it, then schedule or send it:\n%s\n",
			name, ed.DateString(), when, ed.Subject, link)
	}
	return subject, text
}

// noticeFrom is the newsletter's From address, or Herald at the site's host.
func (a *App) noticeFrom(nl *herald.Newsletter) mail.Address {
	if nl != nil && nl.FromEmail != "" {
		return mail.Address{Name: "Herald", Email: nl.FromEmail}
	}
	host := "localhost.localdomain"
	if u, err := url.Parse(a.Config.BaseURL); err == nil && u.Hostname() != "" && strings.Contains(u.Hostname(), ".") {
		host = u.Hostname()
	}
	return mail.Address{Name: "Herald", Email: "herald@" + host}
}
