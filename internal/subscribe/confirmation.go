package subscribe

import (
	"bytes"
	"context"
	_ "embed"
	"fmt"
	htmltemplate "html/template"
	"net/url"
	texttemplate "text/template"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/internal/mail"
)

//go:embed confirm_email.txt
var confirmText string

//go:embed confirm_email.html
var confirmHTML string

var (
	confirmTextTmpl = texttemplate.Must(texttemplate.New("text").Parse(confirmText))
	confirmHTMLTmpl = htmltemplate.Must(htmltemplate.New("html").Parse(confirmHTML))
)

// confirmation is what the confirmation email says.
type confirmation struct {
	Site       *herald.Site
	Newsletter *herald.Newsletter
	ConfirmURL string
}

// SendConfirmation sends the one email an unconfirmed address ever gets.
// It sends nothing when the subscription was confirmed, left or erased in
// the meantime.
func (s *Service) SendConfirmation(ctx context.Context, subscriberID, newsletterID int64) error {
	sub, err := s.Subscribers.FindSubscriber(ctx, subscriberID)
	if herald.ErrorCode(err) == herald.ENOTFOUND {
		return nil
	} else if err != nil {
		return err
	}
	pending := false
	for _, sn := range sub.Subscriptions {
		pending = pending || (sn.NewsletterID == newsletterID && sn.Status == herald.SubPending)
	}
	if !pending {
		return nil
	}
	nl, err := s.newsletterByID(ctx, newsletterID)
	if err != nil {
		return err
	}
	site, err := s.Site.Site(ctx)
	if err != nil {
		return err
	}
	msg, err := s.confirmationMessage(site, nl, sub)
	if err != nil {
		return err
	}
	if err := s.Mail.Send(ctx, msg); err != nil {
		return fmt.Errorf("subscribe: send confirmation: %w", err)
	}
	return nil
}

func (s *Service) confirmationMessage(site *herald.Site, nl *herald.Newsletter, sub *herald.Subscriber) (*mail.Message, error) {
	data := confirmation{Site: site, Newsletter: nl, ConfirmURL: s.ConfirmURL(sub, nl.ID)}
	var text, html bytes.Buffer
	if err := confirmTextTmpl.Execute(&text, data); err != nil {
		return nil, fmt.Errorf("subscribe: confirmation text: %w", err)
	}
	if err := confirmHTMLTmpl.Execute(&html, data); err != nil {
		return nil, fmt.Errorf("subscribe: confirmation html: %w", err)
	}
	return &mail.Message{
		From:    s.sender(site, nl),
		To:      mail.Address{Email: sub.Email},
		Subject: "Confirm your subscription to " + nl.Name,
		Date:    s.Clock.Now(),
		Text:    text.String(),
		HTML:    html.String(),
		Headers: []mail.Header{{Key: "Auto-Submitted", Value: "auto-generated"}},
	}, nil
}

// sender is the newsletter's From identity, or the site's name at its
// host when the newsletter has none.
func (s *Service) sender(site *herald.Site, nl *herald.Newsletter) mail.Address {
	if nl.FromEmail != "" {
		name := nl.FromName
		if name == "" {
			name = nl.Name
		}
		return mail.Address{Name: name, Email: nl.FromEmail}
	}
	host := "localhost.localdomain"
	if u, err := url.Parse(s.BaseURL); err == nil && u.Hostname() != "" {
		host = u.Hostname()
	}
	return mail.Address{Name: site.Name, Email: "no-reply@" + host}
}
