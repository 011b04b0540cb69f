// Package subscribe is how readers join and leave newsletters: the signup
// box, double opt-in, the confirmation email, preferences and one-click
// unsubscribe. It enforces the consent, no-enumeration and anti-bombing
// rules of DESIGN.md whatever surface calls it.
package subscribe

import (
	"context"
	"crypto/subtle"
	"errors"
	"log/slog"
	"strconv"
	"time"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/internal/address"
	"github.com/herald-news/herald/internal/mail"
	"github.com/herald-news/herald/internal/token"
)

// The signup box's answers, word for word.
const (
	MsgInvalid = "Please enter a valid email."
	MsgFailed  = "Subscription failed"
	MsgThanks  = "Thank you for subscribing!"
	MsgConfirm = "Check your inbox and click the link in our email to confirm."
)

// How long links in emails work.
const (
	ConfirmFor     = 7 * 24 * time.Hour
	UnsubscribeFor = 5 * 365 * 24 * time.Hour // old newsletters must still let readers out
	PreferencesFor = 365 * 24 * time.Hour
)

// ErrFailed is every signup failure that is not the reader's typo; the
// reader sees only "Subscription failed".
var ErrFailed = &herald.Error{Code: herald.EINTERNAL, Message: MsgFailed}

// ErrNoNewsletter is a signup for a newsletter that does not exist (a
// stale form, a typed URL): the reader's mistake, not ours.
var ErrNoNewsletter = &herald.Error{Code: herald.EINVALID, Message: "That newsletter does not exist. Pick one on the newsletters page."}

// errLimited is a signup over the per-address rate.
var errLimited = &herald.Error{Code: "rate_limited", Message: MsgFailed}

// Service carries out signups and the links in emails.
type Service struct {
	Subscribers herald.SubscriberService
	Newsroom    herald.NewsroomService
	Site        herald.SiteService
	Tokens      *token.Signer
	Addresses   *address.Validator
	Mail        mail.Transport
	Clock       herald.Clock
	BaseURL     string // absolute, no trailing slash
	Logger      *slog.Logger
	Limiter     Limiter // signups per client address; nil: none

	newsletters newsletterCache
}

// Form is one submission of a signup box.
type Form struct {
	Email      string
	Newsletter string // slug
	Honeypot   string // a field people never see; bots fill it
	IP         string
	UserAgent  string
	Page       string // where the form was
}

// Signup handles a signup box submission. It returns nil for every accepted
// submission, whatever the state of the address, so the reader's answer
// never reveals who subscribes; an error's safe message is one of the two
// failure messages.
func (s *Service) Signup(ctx context.Context, f Form) error {
	if f.Honeypot != "" {
		s.Logger.Info("signup honeypot filled; ignored", "ip", f.IP)
		return nil
	}
	if s.Limiter != nil {
		allowed, err := s.Limiter.Allow(ctx, f.IP, s.Clock.Now())
		if err != nil {
			s.Logger.Error("signup: rate limit", "err", err)
			return ErrFailed
		}
		if !allowed {
			s.Logger.Warn("signup rate limit", "ip", f.IP)
			return errLimited
		}
	}
	addr, err := s.Addresses.Validate(ctx, f.Email)
	if err != nil {
		return &herald.Error{Code: herald.EINVALID, Message: MsgInvalid}
	}
	nl, err := s.findNewsletter(ctx, f.Newsletter)
	if herald.ErrorCode(err) == herald.ENOTFOUND {
		return ErrNoNewsletter
	} else if err != nil {
		s.Logger.Error("signup: find newsletter", "err", err)
		return ErrFailed
	}
	_, err = s.Subscribers.Signup(ctx, herald.Signup{Email: addr.Email, UTF8Local: addr.UTF8Local,
		NewsletterID: nl.ID, IP: f.IP, UserAgent: f.UserAgent, Form: f.Page})
	if err != nil {
		s.Logger.Error("signup: store", "err", err)
		return ErrFailed
	}
	return nil
}

// IsRateLimited reports whether err is a signup refused for its rate.
func IsRateLimited(err error) bool { return errors.Is(err, errLimited) }

// link signs a token for purpose and returns its absolute URL.
func (s *Service) link(purpose token.Purpose, path string, subscriberID int64, linkKey string, newsletterID int64, ttl time.Duration) string {
	tok := s.Tokens.Sign(token.Claims{Purpose: purpose, SubscriberID: subscriberID, NewsletterID: newsletterID,
		Expires: s.Clock.Now().Add(ttl), LinkKey: linkKey})
	return s.BaseURL + path + tok
}

// ConfirmURL is the link in a confirmation email.
func (s *Service) ConfirmURL(sub *herald.Subscriber, newsletterID int64) string {
	return s.link(token.Confirm, "/confirm/", sub.ID, sub.LinkKey, newsletterID, ConfirmFor)
}

// UnsubscribeURL is the one-click unsubscribe link of a newsletter email
// (List-Unsubscribe, RFC 8058) for the subscriber with this link key.
func (s *Service) UnsubscribeURL(subscriberID int64, linkKey string, newsletterID int64) string {
	return s.link(token.Unsubscribe, "/unsubscribe/", subscriberID, linkKey, newsletterID, UnsubscribeFor)
}

// PreferencesURL is the link to a reader's preferences page.
func (s *Service) PreferencesURL(subscriberID int64, linkKey string, newsletterID int64) string {
	return s.link(token.Preferences, "/preferences/", subscriberID, linkKey, newsletterID, PreferencesFor)
}

// Verify checks a link's token for purpose and that it still names the
// reader it was mailed to: an erased reader's link, or one whose id now
// belongs to someone else, gives token.ErrGone.
func (s *Service) Verify(ctx context.Context, tok string, purpose token.Purpose) (token.Claims, error) {
	c, _, err := s.verifyReader(ctx, tok, purpose)
	return c, err
}

func (s *Service) verifyReader(ctx context.Context, tok string, purpose token.Purpose) (token.Claims, *herald.Subscriber, error) {
	c, err := s.Tokens.Verify(tok, purpose, s.Clock.Now())
	if err != nil {
		return c, nil, err
	}
	sub, err := s.Subscribers.FindSubscriber(ctx, c.SubscriberID)
	if herald.ErrorCode(err) == herald.ENOTFOUND {
		return c, nil, token.ErrGone
	} else if err != nil {
		return c, nil, err
	}
	if subtle.ConstantTimeCompare([]byte(sub.LinkKey), []byte(c.LinkKey)) != 1 {
		return c, nil, token.ErrGone
	}
	return c, sub, nil
}

// Request describes the reader's request behind a confirmation or
// unsubscription, for the consent record.
type Request struct {
	IP, UserAgent, Page string
}

func (r Request) consent() herald.Consent {
	return herald.Consent{IP: r.IP, UserAgent: r.UserAgent, Form: r.Page, WordingVersion: herald.ConsentWordingVersion}
}

// Confirm confirms the signup a confirmation token stands for.
func (s *Service) Confirm(ctx context.Context, tok string, r Request) (*herald.Newsletter, error) {
	c, err := s.Verify(ctx, tok, token.Confirm)
	if err != nil {
		return nil, err
	}
	if err := s.Subscribers.Confirm(ctx, c.SubscriberID, c.NewsletterID, r.consent()); herald.ErrorCode(err) == herald.ENOTFOUND {
		return nil, token.ErrGone
	} else if err != nil {
		return nil, err
	}
	return s.newsletterByID(ctx, c.NewsletterID)
}

// Unsubscribe turns off the newsletter an unsubscribe token names.
func (s *Service) Unsubscribe(ctx context.Context, tok string, r Request) (*herald.Newsletter, error) {
	c, err := s.Verify(ctx, tok, token.Unsubscribe)
	if err != nil {
		return nil, err
	}
	if err := s.Subscribers.Unsubscribe(ctx, c.SubscriberID, c.NewsletterID, r.consent()); herald.ErrorCode(err) == herald.ENOTFOUND {
		return nil, token.ErrGone
	} else if err != nil {
		return nil, err
	}
	return s.newsletterByID(ctx, c.NewsletterID)
}

// newsletterByID finds a newsletter among all of them; there are few.
func (s *Service) newsletterByID(ctx context.Context, id int64) (*herald.Newsletter, error) {
	all, err := s.Newsroom.Newsletters(ctx)
	if err != nil {
		return nil, err
	}
	for _, n := range all {
		if n.ID == id {
			return n, nil
		}
	}
	return nil, herald.Errorf(herald.ENOTFOUND, "Newsletter %s not found.", strconv.FormatInt(id, 10))
}
