package smtpmail

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/emersion/go-smtp"

	"github.com/herald-news/herald"
)

func refusal(stage string, code int, enhanced ...int) error {
	se := &SendError{Stage: stage, Code: code}
	copy(se.EnhancedCode[:], enhanced)
	return fmt.Errorf("wrapped: %w", se)
}

func TestClassify(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want Outcome
	}{
		{"accepted", nil, OutcomeAccepted},
		{"greylisted", refusal("RCPT TO", 451, 4, 7, 1), OutcomeDeferred},
		{"throttled", refusal("end of DATA", 421, 4, 7, 28), OutcomeDeferred},
		{"mailbox busy", refusal("RCPT TO", 450), OutcomeDeferred},
		{"nothing sent", fmt.Errorf("%w: dial tcp: connection refused", ErrNotSent), OutcomeDeferred},
		{"login refused while connecting", fmt.Errorf("%w: %w", ErrNotSent, &SendError{Stage: "AUTH", Code: 535, EnhancedCode: [3]int{5, 7, 8}}), OutcomePolicy},
		{"unknown user", refusal("RCPT TO", 550, 5, 1, 1), OutcomeHardBounce},
		{"bad domain", refusal("RCPT TO", 550, 5, 1, 2), OutcomeHardBounce},
		{"unknown user after the data", refusal("end of DATA", 550, 5, 1, 1), OutcomeHardBounce},
		{"550 without enhanced code", refusal("RCPT TO", 550), OutcomeHardBounce},
		{"551 without enhanced code", refusal("RCPT TO", 551), OutcomeHardBounce},
		{"553 without enhanced code", refusal("RCPT TO", 553), OutcomeHardBounce},
		{"relay denied", refusal("RCPT TO", 554, 5, 7, 1), OutcomePolicy},
		{"spam", refusal("end of DATA", 550, 5, 7, 1), OutcomePolicy},
		{"DMARC", refusal("end of DATA", 550, 5, 7, 26), OutcomePolicy},
		{"wrong password", refusal("AUTH", 535, 5, 7, 8), OutcomePolicy},
		{"auth required, no enhanced code", refusal("MAIL FROM", 530), OutcomePolicy},
		{"greeting refused", refusal("EHLO", 554), OutcomePolicy},
		{"sender refused", refusal("MAIL FROM", 550, 5, 1, 0), OutcomePolicy},
		{"sender refused, no enhanced code", refusal("MAIL FROM", 553), OutcomePolicy},
		{"bad sender address", refusal("RCPT TO", 553, 5, 1, 7), OutcomePolicy},
		{"bad sender system", refusal("end of DATA", 550, 5, 1, 8), OutcomePolicy},
		{"mailbox full", refusal("RCPT TO", 552, 5, 2, 2), OutcomeFailed},
		{"too big", refusal("MAIL FROM", 552, 5, 3, 4), OutcomeFailed},
		{"554 without enhanced code", refusal("end of DATA", 554), OutcomeFailed},
		{"transaction failed", refusal("end of DATA", 554, 5, 6, 0), OutcomeFailed},
		{"no SMTPUTF8", fmt.Errorf("%w: %w", ErrNoSMTPUTF8, herald.Errorf(herald.EINVALID, "no")), OutcomeFailed},
		{"bad envelope", herald.Errorf(herald.EINVALID, "bad address"), OutcomeFailed},
		{"lost after the data", fmt.Errorf("%w: EOF", ErrOutcomeUnknown), OutcomeUnknown},
		{"odd reply after the data", refusal("end of DATA", 251), OutcomeUnknown},
		{"anything else", errors.New("what happened?"), OutcomeUnknown},
		{"context ended, nothing said", context.Canceled, OutcomeUnknown},
	}
	for _, tt := range tests {
		if got := Classify(tt.err); got != tt.want {
			t.Errorf("%s: Classify(%v) = %v, want %v", tt.name, tt.err, got, tt.want)
		}
	}
}

func TestIsThrottling(t *testing.T) {
	tests := []struct {
		err  error
		want bool
	}{
		{refusal("end of DATA", 421, 4, 7, 28), true},
		{refusal("RCPT TO", 451, 4, 7, 28), true},
		{refusal("MAIL FROM", 454, 4, 7, 0), true},
		{refusal("AUTH", 454), true},
		{refusal("MAIL FROM", 421, 4, 4, 2), false}, // idle timeout
		{refusal("RCPT TO", 451, 4, 7, 1), false},   // greylisting
		{refusal("RCPT TO", 550, 5, 7, 28), false},  // "too much mail": a permanent refusal
		{fmt.Errorf("%w: %w", ErrNotSent, &smtp.SMTPError{Code: 454}), false},
		{nil, false},
	}
	for _, tt := range tests {
		if got := IsThrottling(tt.err); got != tt.want {
			t.Errorf("IsThrottling(%v) = %v, want %v", tt.err, got, tt.want)
		}
	}
}

func TestParseReply(t *testing.T) {
	tests := []struct {
		text string
		want Reply
	}{
		{"2.0.0 OK: queued as 4ABC", Reply{250, [3]int{2, 0, 0}, "OK: queued as 4ABC"}},
		{"Ok: queued as 4ABC", Reply{250, [3]int{}, "Ok: queued as 4ABC"}},
		{"2.6.0 <id@x> Queued mail for delivery", Reply{250, [3]int{2, 6, 0}, "<id@x> Queued mail for delivery"}},
		{"5.0.0 wrong class", Reply{250, [3]int{}, "5.0.0 wrong class"}},
		{"2.0 short", Reply{250, [3]int{}, "2.0 short"}},
		{"2.0.x odd", Reply{250, [3]int{}, "2.0.x odd"}},
		{"", Reply{250, [3]int{}, ""}},
	}
	for _, tt := range tests {
		if got := parseReply(250, tt.text); got != tt.want {
			t.Errorf("parseReply(%q) = %+v, want %+v", tt.text, got, tt.want)
		}
	}
}

func TestOutcomeString(t *testing.T) {
	if got := OutcomeHardBounce.String(); got != "hard bounce" {
		t.Errorf("OutcomeHardBounce = %q", got)
	}
	if got := Outcome(0).String(); got != "Outcome(0)" {
		t.Errorf("Outcome(0) = %q", got)
	}
}
