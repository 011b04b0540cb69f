package delivery

import (
	"context"
	"errors"
	"time"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/internal/mail/compose"
	"github.com/herald-news/herald/internal/mail/smtpmail"
)

// worker carries one message at a time: check, render, send, record, and
// only then the next.
type worker struct {
	s      *Sender
	ed     *herald.Edition
	mailer *compose.EditionMail
	utf8   bool
	held   *heldSet
}

func (w *worker) run(ctx context.Context, claims <-chan herald.SendClaim) error {
	for c := range claims {
		if ctx.Err() != nil {
			continue // stopping: the row stays held and is released
		}
		o := w.deliver(ctx, c)
		if err := w.s.record(o); err != nil {
			return err
		}
		w.held.done(c.SendID)
	}
	return nil
}

// deliver sends one claimed row and says what became of it. A message
// already on its way is finished even while shutting down, within Drain.
func (w *worker) deliver(ctx context.Context, c herald.SendClaim) herald.SendOutcome {
	s := w.s
	ok, reason, err := s.Store.Eligible(ctx, c.SubscriberID, w.ed.NewsletterID, c.Email)
	switch {
	case err != nil:
		return s.Policy.Outcome(c, smtpmail.Reply{}, smtpmail.ErrNotSent, w.ed.StartedAt, s.Clock.Now())
	case !ok:
		return herald.SendOutcome{SendID: c.SendID, Status: herald.SendSuppressed, Reply: "not sent: " + reason}
	case c.UTF8Local && !w.utf8:
		return herald.SendOutcome{SendID: c.SendID, Status: herald.SendFailed, Reply: "not sent: the relay cannot take a Unicode address (no SMTPUTF8)"}
	}
	data, err := w.message(c)
	if err != nil {
		return herald.SendOutcome{SendID: c.SendID, Status: herald.SendFailed, Reply: "not sent: " + err.Error()}
	}
	sendCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), s.Drain)
	defer cancel()
	from := w.ed.Newsletter.FromEmail
	if s.ReturnPath != nil {
		from = s.ReturnPath(c.SendID)
	}
	reply, err := s.Relay.Send(sendCtx, smtpmail.Envelope{From: from, To: c.Email, UTF8: c.UTF8Local}, data)
	return s.Policy.Outcome(c, reply, err, w.ed.StartedAt, s.Clock.Now())
}

// message renders and signs one reader's copy.
func (w *worker) message(c herald.SendClaim) ([]byte, error) {
	s := w.s
	m := w.mailer.Message(compose.Recipient{SubscriberID: c.SubscriberID, Email: c.Email,
		UnsubscribeURL: s.Links.UnsubscribeURL(c.SubscriberID, w.ed.NewsletterID),
		PreferencesURL: s.Links.PreferencesURL(c.SubscriberID, w.ed.NewsletterID)}, s.Clock.Now())
	data, err := m.Bytes()
	if err != nil || s.DKIM == nil {
		return data, err
	}
	return s.DKIM.Sign(data)
}

// record stores one outcome before its connection carries another
// message, retrying briefly: a sender that cannot record must stop rather
// than send more. Concurrent commits share the database's own group
// commit (PostgreSQL's WAL flush; one writer at a time on SQLite).
func (s *Sender) record(o herald.SendOutcome) error {
	var err error
	for attempt := range 5 {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		err = s.Store.Record(ctx, s.Node, []herald.SendOutcome{o})
		cancel()
		if err == nil {
			return nil
		}
		s.Logger.Error("record send outcome", "send", o.SendID, "attempt", attempt+1, "err", err)
		time.Sleep(time.Duration(100<<attempt) * time.Millisecond)
	}
	return errors.Join(errors.New("delivery: could not record an outcome"), err)
}
