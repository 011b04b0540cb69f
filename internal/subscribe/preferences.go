package subscribe

import (
	"context"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/internal/token"
)

// Preferences is what the preferences page shows a reader.
type Preferences struct {
	Subscriber *herald.Subscriber
	Items      []PreferenceItem
}

// PreferenceItem is one newsletter with the reader's state.
type PreferenceItem struct {
	Newsletter *herald.Newsletter
	Status     herald.SubscriptionStatus // "" when never subscribed
}

// On reports whether the newsletter's box is ticked.
func (i PreferenceItem) On() bool {
	return i.Status == herald.SubActive || i.Status == herald.SubPending
}

// subscriberFor verifies a preferences token and loads its subscriber.
func (s *Service) subscriberFor(ctx context.Context, tok string) (*herald.Subscriber, error) {
	_, sub, err := s.verifyReader(ctx, tok, token.Preferences)
	return sub, err
}

// Preferences loads the preferences page of the reader a token names.
func (s *Service) Preferences(ctx context.Context, tok string) (*Preferences, error) {
	sub, err := s.subscriberFor(ctx, tok)
	if err != nil {
		return nil, err
	}
	all, err := s.Newsroom.Newsletters(ctx)
	if err != nil {
		return nil, err
	}
	status := map[int64]herald.SubscriptionStatus{}
	for _, sn := range sub.Subscriptions {
		status[sn.NewsletterID] = sn.Status
	}
	p := &Preferences{Subscriber: sub}
	for _, n := range all {
		p.Items = append(p.Items, PreferenceItem{Newsletter: n, Status: status[n.ID]})
	}
	return p, nil
}

// SavePreferences switches newsletters to match the ticked slugs.
func (s *Service) SavePreferences(ctx context.Context, tok string, ticked map[string]bool, r Request) error {
	p, err := s.Preferences(ctx, tok)
	if err != nil {
		return err
	}
	on := map[int64]bool{}
	for _, item := range p.Items {
		want := ticked[item.Newsletter.Slug]
		if want != item.On() {
			on[item.Newsletter.ID] = want
		}
	}
	return s.Subscribers.SetSubscriptions(ctx, p.Subscriber.ID, on, r.consent())
}

// UnsubscribeAll turns off every newsletter of the reader a preferences
// token names.
func (s *Service) UnsubscribeAll(ctx context.Context, tok string, r Request) error {
	sub, err := s.subscriberFor(ctx, tok)
	if err != nil {
		return err
	}
	return s.Subscribers.UnsubscribeAll(ctx, sub.ID, r.consent())
}

// PreferencesURLFor mints a preferences link for the reader an
// unsubscribe token names, for the page after a one-click unsubscribe.
func (s *Service) PreferencesURLFor(ctx context.Context, tok string) (string, error) {
	c, err := s.Verify(ctx, tok, token.Unsubscribe)
	if err != nil {
		return "", err
	}
	return s.PreferencesURL(c.SubscriberID, c.LinkKey, c.NewsletterID), nil
}
