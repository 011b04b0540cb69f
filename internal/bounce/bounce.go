// Package bounce learns which deliveries failed and which readers
// complained, and acts on it without ever blaming a reader for Herald's own
// mistakes: VERP return paths, RFC 3464 delivery status notifications, RFC
// 5965 abuse reports, the inbound SMTP receiver, provider webhook
// signatures, and the policy that turns each event into a suppression, a
// count, an operator alert or an unsubscribe.
package bounce

import (
	"context"
	"time"
)

// Kind is what an event means for the reader.
type Kind string

// Event kinds.
const (
	Hard      Kind = "hard"      // the address does not exist: suppress at once
	Soft      Kind = "soft"      // a temporary failure or a full mailbox: counted
	Policy    Kind = "policy"    // our own authentication or policy failure: alert, blame no reader
	Complaint Kind = "complaint" // the reader reported the mail as spam: unsubscribe from everything
	Unknown   Kind = "unknown"   // kept for the record; nothing happens
)

// Providers: where an event came from. Together with the provider's event
// id they make an event unique, so a replay is recorded once.
const (
	ProviderMail     = "mail" // a DSN or ARF report by SMTP or from a file
	ProviderSES      = "ses"
	ProviderPostmark = "postmark"
	ProviderMailgun  = "mailgun"
	ProviderSMTP     = "smtp" // the relay refused the reader for good during the send
)

// Event is one bounce or complaint about one recipient. The storage
// resolves it to a ledger row by SendID, else by EditionID and
// SubscriberID (our Message-ID), else by Email.
type Event struct {
	Provider     string
	ID           string // unique per provider
	Kind         Kind
	Status       string // RFC 3463 code such as "5.1.1", when known
	Diagnostic   string // the remote server's words
	SendID       int64  // from a verified VERP address
	LinkKey      string // from the same address: the send's reader must still hold it
	EditionID    int64  // from our Message-ID
	SubscriberID int64  // from our Message-ID
	Email        string // the recipient as the report names it
	At           time.Time
}

// Action is what Herald did about an event.
type Action string

// Actions.
const (
	Suppressed   Action = "suppressed"   // the address is on the suppression list
	Counted      Action = "counted"      // a soft bounce below the limit
	Unsubscribed Action = "unsubscribed" // a complaint: every subscription off, and suppressed
	Alerted      Action = "alerted"      // an operator alert was raised
	NoAction     Action = "none"
)

// Result is what became of a recorded event.
type Result struct {
	EventID      int64
	Duplicate    bool // the provider's event was recorded before; nothing changed
	Kind         Kind
	Action       Action
	SendID       int64
	EditionID    int64
	SubscriberID int64
	Newsletter   string // the newsletter's slug, when the send is known
	SoftEditions int    // for soft bounces: editions with a soft bounce within the window
	Ignored      string // why a report was not recorded (a delay warning, a delivery report)
}

// SoftRule is when soft bounces suppress: on Limit different editions
// within Window.
type SoftRule struct {
	Limit  int
	Window time.Duration
}

// Store records events and acts on them in one transaction (implemented
// by sqldb).
type Store interface {
	// RecordBounce stores ev once per provider event id and applies its
	// kind: hard suppresses, soft counts (and suppresses at the rule's
	// limit), policy raises an alert, complaint unsubscribes from every
	// newsletter and suppresses. A replay returns Duplicate.
	RecordBounce(ctx context.Context, ev Event, soft SoftRule) (Result, error)
}
