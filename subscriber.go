package herald

import (
	"context"
	"time"
)

// SubscriptionStatus is where a reader stands with one newsletter.
type SubscriptionStatus string

// Subscription statuses.
const (
	SubPending      SubscriptionStatus = "pending" // signed up, not yet confirmed
	SubActive       SubscriptionStatus = "active"
	SubUnsubscribed SubscriptionStatus = "unsubscribed"
)

// Subscriber is a reader's address. Personal data lives here and in
// consents, so erasing a reader erases these rows.
type Subscriber struct {
	ID        int64
	Email     string // local part as given, domain lower-case (IDNs as Unicode)
	Name      string
	UTF8Local bool // the local part is not ASCII: only an SMTPUTF8 relay can take it
	CreatedAt time.Time
	// LinkKey is random per subscriber and carried by every link and
	// return path mailed to them; erasure destroys it, so an old link
	// names no one. Empty for readers from before link keys.
	LinkKey string
	// Subscriptions, when loaded, are the subscriber's newsletters.
	Subscriptions []*Subscription
}

// Subscription ties a subscriber to a newsletter.
type Subscription struct {
	SubscriberID   int64
	NewsletterID   int64
	NewsletterSlug string
	Status         SubscriptionStatus
	CreatedAt      time.Time
	ConfirmedAt    time.Time
	UnsubscribedAt time.Time
}

// Consent is the record of a reader's (or an importer's) say-so: who agreed
// to what, when, from where, on which form and wording.
type Consent struct {
	ID             int64
	SubscriberID   int64
	NewsletterID   int64
	Action         string // signup, confirm, import, unsubscribe, preferences
	At             time.Time
	IP             string
	UserAgent      string
	Form           string // the page and form it came from: "/local/denver#signup"
	WordingVersion string // which signup wording the reader saw
}

// ConsentWordingVersion names the wording of the signup box; change it when
// the promise a reader agrees to changes.
const ConsentWordingVersion = "signup-2026-11"

// Signup is one signup form submission, already validated.
type Signup struct {
	Email        string
	UTF8Local    bool
	NewsletterID int64
	IP           string
	UserAgent    string
	Form         string
}

// SignupOutcome says what a signup led to. The reader never learns it
// (no enumeration); it decides whether a confirmation email goes out.
type SignupOutcome struct {
	Subscriber  *Subscriber
	SendConfirm bool // a new or still-pending subscription, and no confirmation sent in the last day
}

// SubscriberService stores subscribers, their subscriptions and consent.
type SubscriberService interface {
	// Signup records a signup: a pending subscription and its consent.
	// Active subscriptions stay active; suppressed addresses are recorded
	// nowhere. It reports whether a confirmation email should go out and,
	// if so, has already counted it against the one-per-day limit.
	Signup(ctx context.Context, s Signup) (SignupOutcome, error)
	// Confirm activates a pending subscription. Returns ENOTFOUND when the
	// subscriber or subscription no longer exists.
	Confirm(ctx context.Context, subscriberID, newsletterID int64, c Consent) error
	// FindSubscriber returns a subscriber with their subscriptions.
	// Returns ENOTFOUND.
	FindSubscriber(ctx context.Context, id int64) (*Subscriber, error)
	// FindSubscriberByEmail finds by address, case-insensitively.
	// Returns ENOTFOUND.
	FindSubscriberByEmail(ctx context.Context, email string) (*Subscriber, error)
	// SetSubscriptions switches newsletters on or off for a subscriber, as
	// the preferences page does; switching on needs no new confirmation
	// once the reader has confirmed any newsletter.
	SetSubscriptions(ctx context.Context, subscriberID int64, on map[int64]bool, c Consent) error
	// Unsubscribe turns one subscription off, as one-click unsubscribe does.
	// Idempotent; returns ENOTFOUND when the subscriber is gone.
	Unsubscribe(ctx context.Context, subscriberID, newsletterID int64, c Consent) error
	// UnsubscribeAll turns every subscription off. Idempotent.
	UnsubscribeAll(ctx context.Context, subscriberID int64, c Consent) error
	// Delete erases a subscriber's personal data and keeps only a hashed
	// suppression entry. Returns ENOTFOUND.
	Delete(ctx context.Context, email string) error
	// IsSuppressed reports whether an address may never be mailed.
	IsSuppressed(ctx context.Context, email string) (bool, error)
}
