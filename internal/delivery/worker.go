package delivery

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/internal/mail/compose"
	"github.com/herald-news/herald/internal/mail/smtpmail"
)

// worker carries one message at a time over its connection. It checks and
// renders the next reader's copy while the current message is in flight,
// and records a message's outcome while the next message's envelope
// (MAIL FROM, RCPT TO, DATA) goes out; what it may not do ahead is send
// data: message k+1's data, and so its final dot, goes out only once the
// outcome of message k is committed (DESIGN.md invariant 1). So at any
// moment a worker has at most one message delivered or in flight whose
// outcome is not yet stored: a crash repeats at most one message per
// connection, and loses none (the rows stay leased and return to the
// queue when the lease expires). An envelope the relay has taken with no
// data after it delivers nothing. The eligibility check runs one message
// earlier than the send, a millisecond or so.
type worker struct {
	s      *Sender
	ed     *herald.Edition
	mailer *compose.EditionMail
	utf8   bool
	held   *heldSet
	rec    *recorder

	done      chan error // the recorder's answer for the outcome in flight
	recording int64      // that outcome's row; 0: none in flight
	recordErr error      // the first failure to record: the worker stops
}

// job is a claimed row checked and rendered: data to send, or, when it is
// not to be sent, its outcome.
type job struct {
	c       herald.SendClaim
	data    []byte
	buf     []byte // the buffer data was rendered into, to reuse
	outcome *herald.SendOutcome
}

func (w *worker) run(ctx context.Context, claims <-chan herald.SendClaim) error {
	pctx, cancel := context.WithCancel(ctx)
	ready := make(chan job)
	// Two buffers: one message in flight, the next being rendered.
	free := make(chan []byte, 2)
	for range 2 {
		free <- make([]byte, 0, w.mailer.SizeHint())
	}
	prepared := make(chan struct{})
	go func() {
		defer close(prepared)
		w.prepare(pctx, claims, free, ready)
	}()
	defer func() {
		cancel()
		<-prepared
	}()

	w.done = make(chan error, 1)
	for j := range ready {
		if ctx.Err() != nil {
			free <- j.buf
			continue // stopping: the row stays held and is released
		}
		o := j.outcome
		if o == nil {
			o = w.send(ctx, j)
		}
		free <- j.buf
		// Whether or not the send waited for it (a refused envelope
		// doesn't), the previous outcome is committed before this one
		// goes to the recorder: one in flight at a time.
		if err := w.recorded(); err != nil {
			return err // this message was not sent (see send): it is released
		}
		w.rec.submit(*o, w.done)
		w.recording = j.c.SendID
	}
	return w.recorded()
}

// recorded waits for the outcome in flight, if any, to be committed.
func (w *worker) recorded() error {
	if w.recording != 0 {
		w.rec.flush()
		if w.recordErr = <-w.done; w.recordErr == nil {
			w.held.done(w.recording)
		}
		w.recording = 0
	}
	return w.recordErr
}

// prepare checks and renders each claim, handing them to the sender one
// at a time, until claims is closed or ctx ends.
func (w *worker) prepare(ctx context.Context, claims <-chan herald.SendClaim, free chan []byte, ready chan<- job) {
	defer close(ready)
	for {
		var buf []byte
		select {
		case buf = <-free:
		case <-ctx.Done():
			return
		}
		var c herald.SendClaim
		var ok bool
		select {
		case c, ok = <-claims:
		case <-ctx.Done():
			return
		}
		if !ok {
			return
		}
		j := job{c: c, buf: buf}
		if ctx.Err() == nil {
			j = w.check(ctx, c, buf)
		}
		select {
		case ready <- j:
		case <-ctx.Done():
			return
		}
	}
}

// check decides whether c is to be sent and renders its copy if so.
func (w *worker) check(ctx context.Context, c herald.SendClaim, buf []byte) job {
	s := w.s
	j := job{c: c, buf: buf}
	ok, reason, err := s.Store.Eligible(ctx, c.SubscriberID, w.ed.NewsletterID, c.Email)
	switch {
	case err != nil:
		o := s.Policy.Outcome(c, smtpmail.Reply{}, smtpmail.ErrNotSent, w.ed.StartedAt, s.Clock.Now())
		j.outcome = &o
	case !ok:
		j.outcome = &herald.SendOutcome{SendID: c.SendID, Status: herald.SendSuppressed, Reply: "not sent: " + reason}
	case c.UTF8Local && !w.utf8:
		j.outcome = &herald.SendOutcome{SendID: c.SendID, Status: herald.SendFailed, Reply: "not sent: the relay cannot take a Unicode address (no SMTPUTF8)"}
	default:
		data, err := w.message(c, buf[:0])
		if err != nil {
			j.outcome = &herald.SendOutcome{SendID: c.SendID, Status: herald.SendFailed, Reply: "not sent: " + err.Error()}
		} else {
			j.data = data
			if cap(data) > cap(buf) { // grown: keep the larger buffer
				j.buf = data[:0]
			}
		}
	}
	return j
}

// send transmits a rendered copy and says what became of it: its envelope
// while the previous message's outcome is being recorded, its data only
// once that is committed. A message already on its way is finished even
// while shutting down, within Drain.
func (w *worker) send(ctx context.Context, j job) *herald.SendOutcome {
	s := w.s
	sendCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), s.Drain)
	defer cancel()
	from := w.ed.Newsletter.FromEmail
	if s.ReturnPath != nil {
		from = s.ReturnPath(j.c.SendID, j.c.LinkKey)
	}
	reply, err := s.Relay.SendAfter(sendCtx, smtpmail.Envelope{From: from, To: j.c.Email, UTF8: j.c.UTF8Local}, j.data, w.recorded)
	o := s.Policy.Outcome(j.c, reply, err, w.ed.StartedAt, s.Clock.Now())
	return &o
}

// message renders and signs one reader's copy, into buf when it fits.
func (w *worker) message(c herald.SendClaim, buf []byte) ([]byte, error) {
	s := w.s
	data, err := w.mailer.AppendMessage(buf, compose.Recipient{SubscriberID: c.SubscriberID, Email: c.Email,
		UnsubscribeURL: s.Links.UnsubscribeURL(c.SubscriberID, c.LinkKey, w.ed.NewsletterID),
		PreferencesURL: s.Links.PreferencesURL(c.SubscriberID, c.LinkKey, w.ed.NewsletterID)}, s.Clock.Now())
	if err != nil || s.DKIM == nil {
		return data, err
	}
	return s.DKIM.Sign(data)
}

// recorder stores the outcomes of all of a send's workers, as many as
// are waiting in one transaction. It commits when a worker needs its
// outcome stored, that is just before the worker's connection carries the
// next message's data, and takes with it every outcome handed over by
// then. Each worker still waits for its own outcome's commit before
// sending more data, so sharing a commit changes nothing a crash could
// lose; it only shares the commit's cost (on SQLite, the pages it writes)
// among the messages that finished meanwhile.
type recorder struct {
	s    *Sender
	kick chan struct{} // a worker waits for a commit; closed when the send ends

	mu       sync.Mutex
	outcomes []herald.SendOutcome
	waiting  []chan<- error
}

func newRecorder(s *Sender) *recorder {
	return &recorder{s: s, kick: make(chan struct{}, 1)}
}

// run records until kick is closed.
func (r *recorder) run() {
	var batch []herald.SendOutcome
	var waiting []chan<- error
	for range r.kick {
		r.mu.Lock()
		batch, r.outcomes = r.outcomes, batch[:0]
		waiting, r.waiting = r.waiting, waiting[:0]
		r.mu.Unlock()
		if len(batch) == 0 {
			continue
		}
		err := r.s.record(batch)
		for _, d := range waiting {
			d <- err
		}
	}
}

// submit hands o to the recorder, which sends the result of committing it
// on done, the caller's own channel with room for one error. The commit
// may wait for a call to flush.
func (r *recorder) submit(o herald.SendOutcome, done chan<- error) {
	r.mu.Lock()
	r.outcomes = append(r.outcomes, o)
	r.waiting = append(r.waiting, done)
	r.mu.Unlock()
}

// flush asks for what has been submitted to be committed now.
func (r *recorder) flush() {
	select {
	case r.kick <- struct{}{}:
	default: // a commit is asked for already, and will take everything
	}
}

// close ends run once the last commit asked for is done.
func (r *recorder) close() { close(r.kick) }

// record stores outcomes before their connections carry other messages,
// retrying briefly: a sender that cannot record must stop rather than
// send more.
func (s *Sender) record(outcomes []herald.SendOutcome) error {
	var err error
	for attempt := range 5 {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		err = s.Store.Record(ctx, s.Node, outcomes)
		cancel()
		if err == nil {
			return nil
		}
		s.Logger.Error("record send outcomes", "sends", len(outcomes), "first", outcomes[0].SendID, "attempt", attempt+1, "err", err)
		time.Sleep(time.Duration(100<<attempt) * time.Millisecond)
	}
	return errors.Join(errors.New("delivery: could not record an outcome"), err)
}
