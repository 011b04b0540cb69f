package smtpmail

import (
	"errors"
	"strconv"
	"strings"

	"github.com/herald-news/herald"
)

// Reply is the relay's final answer to an accepted message.
type Reply struct {
	Code         int    // 250
	EnhancedCode [3]int // such as {2, 0, 0}; zero when the relay gave none
	Message      string // the relay's text, often with its queue id
}

// parseReply splits the text of a reply with code into its RFC 3463
// status, when it starts with one of the code's class, and the rest.
func parseReply(code int, text string) Reply {
	r := Reply{Code: code, Message: text}
	head, rest, _ := strings.Cut(text, " ")
	parts := strings.Split(head, ".")
	if len(parts) != 3 {
		return r
	}
	var enhanced [3]int
	for i, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 || n > 999 || len(p) > 3 {
			return r
		}
		enhanced[i] = n
	}
	if enhanced[0] != code/100 {
		return r
	}
	r.EnhancedCode, r.Message = enhanced, rest
	return r
}

// Outcome is what a send's result means for the message (DESIGN.md
// invariant 2). The zero value is not an outcome.
type Outcome int

// The outcomes Classify returns.
const (
	OutcomeAccepted   Outcome = iota + 1 // the relay took the message
	OutcomeDeferred                      // try again later: a 4xx (throttling too), or nothing reached the relay
	OutcomeHardBounce                    // the reader's address doesn't exist: suppress it
	OutcomePolicy                        // our own sender, login or content was refused: alert, never suppress the reader
	OutcomeFailed                        // refused for good for another reason, or the relay can't take the address
	OutcomeUnknown                       // the connection broke after the message was handed over
)

var outcomeNames = [...]string{"", "accepted", "deferred", "hard bounce", "policy", "failed", "unknown"}

// String returns a lower-case name such as "hard bounce".
func (o Outcome) String() string {
	if o <= 0 || int(o) >= len(outcomeNames) {
		return "Outcome(" + strconv.Itoa(int(o)) + ")"
	}
	return outcomeNames[o]
}

// Classify says what err from Pool.Send (or Transport.Send) means:
//
//   - nil: accepted
//   - ErrOutcomeUnknown: unknown
//   - a *SendError: deferred for 4xx; for 5xx, policy for 5.7.x, the
//     530/534/535/538 login replies and any refusal of the session itself
//     (greeting, EHLO, STARTTLS, AUTH); hard bounce for 5.1.x or, without
//     an enhanced code, 550, 551 and 553 at RCPT TO or the end of the
//     data (the same refusals of MAIL FROM, and 5.1.7 and 5.1.8 anywhere,
//     are about our sender: policy); failed for the rest
//   - ErrNoSMTPUTF8 or an invalid envelope (herald EINVALID): failed
//   - ErrNotSent: deferred
//
// Any other error is unknown: it can't be said that nothing was sent.
func Classify(err error) Outcome {
	var se *SendError
	switch {
	case err == nil:
		return OutcomeAccepted
	case errors.Is(err, ErrOutcomeUnknown):
		return OutcomeUnknown
	case errors.Is(err, ErrNoSMTPUTF8):
		return OutcomeFailed
	case errors.As(err, &se):
		return se.outcome()
	case errors.Is(err, ErrNotSent):
		return OutcomeDeferred
	case herald.ErrorCode(err) == herald.EINVALID:
		return OutcomeFailed
	}
	return OutcomeUnknown
}

// outcome classifies a refusal; see Classify.
func (e *SendError) outcome() Outcome {
	class, subject := e.EnhancedCode[0], e.EnhancedCode[1]
	switch {
	case e.Code/100 == 4:
		return OutcomeDeferred
	case e.Code/100 != 5: // a reply go-smtp didn't expect at this step
		if e.Stage == "end of DATA" {
			return OutcomeUnknown
		}
		return OutcomeDeferred
	case class != 0 && subject == 7, e.Code == 530, e.Code == 534, e.Code == 535, e.Code == 538:
		return OutcomePolicy
	case e.Stage == "EHLO", e.Stage == "STARTTLS", e.Stage == "AUTH":
		return OutcomePolicy
	}
	bounce := class != 0 && subject == 1 ||
		class == 0 && (e.Code == 550 || e.Code == 551 || e.Code == 553)
	switch {
	case !bounce:
		return OutcomeFailed
	case e.Stage == "MAIL FROM", e.EnhancedCode == [3]int{5, 1, 7}, e.EnhancedCode == [3]int{5, 1, 8}:
		return OutcomePolicy
	}
	return OutcomeHardBounce
}

// IsThrottling reports whether err is the relay asking us to slow down: a
// 4xx reply with the enhanced status 4.7.28, or any 454. A Pool pauses
// all its sessions for ThrottlePause when it gets one.
func IsThrottling(err error) bool {
	var se *SendError
	return errors.As(err, &se) && se.throttling()
}

func (e *SendError) throttling() bool {
	return e.Code == 454 || e.Code/100 == 4 && e.EnhancedCode == [3]int{4, 7, 28}
}
