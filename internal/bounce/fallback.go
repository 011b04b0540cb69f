package bounce

import (
	"net/textproto"
	"regexp"
	"strings"
)

// fieldsStart finds DSN fields written into a text part, as some servers
// do instead of a message/delivery-status part.
var fieldsStart = regexp.MustCompile(`(?im)^(reporting-mta|final-recipient|original-recipient):`)

// guessRecipients reads what a bounce without a delivery-status part
// says: DSN fields in its text if any, else the first "550 5.1.1"-style
// reply in its text, for the recipient in X-Failed-Recipients. It always
// returns one recipient at least; with no status found its Code is zero
// and the bounce counts for nothing.
func guessRecipients(top textproto.MIMEHeader, text string) []Recipient {
	if loc := fieldsStart.FindStringIndex(text); loc != nil {
		var found []Recipient
		for _, rc := range parseStatusFields(strings.NewReader(text[loc[0]:])) {
			if rc.Code.Class != 0 {
				found = append(found, rc)
			}
		}
		if len(found) > 0 {
			return found
		}
	}
	rc := Recipient{Action: "failed"}
	if strings.Contains(strings.ToLower(top.Get("Subject")), "delay") {
		rc.Action = "delayed"
	}
	if failed := addressesIn(top.Get("X-Failed-Recipients")); len(failed) > 0 {
		rc.Final = failed[0]
	}
	if c, ok := CodeInText(text); ok {
		rc.Code, rc.Status = c, c.String()
		rc.Diagnostic = lineAround(text, c.String())
	}
	return []Recipient{rc}
}

// lineAround returns the line of text holding needle, trimmed and cut
// to a sane length.
func lineAround(text, needle string) string {
	i := strings.Index(text, needle)
	if i < 0 {
		return ""
	}
	start := strings.LastIndexByte(text[:i], '\n') + 1
	end := strings.IndexByte(text[i:], '\n')
	if end < 0 {
		end = len(text) - i
	}
	line := strings.TrimSpace(text[start : i+end])
	if len(line) > 300 {
		line = strings.ToValidUTF8(line[:300], "")
	}
	return line
}

var (
	quotedMessageID  = regexp.MustCompile(`(?im)^message-id:[ \t]*<([^>\s]+)>`)
	quotedReturnPath = regexp.MustCompile(`(?im)^return-path:[ \t]*<([^>\s]+)>`)
)

// quotedOriginal finds the headers of the original message when a bounce
// quotes them as plain text.
func quotedOriginal(text string) Original {
	var o Original
	if m := quotedMessageID.FindStringSubmatch(text); m != nil {
		o.MessageID = m[1]
	}
	if m := quotedReturnPath.FindStringSubmatch(text); m != nil {
		o.ReturnPath = m[1]
	}
	return o
}
