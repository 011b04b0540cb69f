package herald

import (
	"net/mail"
	"slices"
	"strings"
	"time"
)

// WeekDays are the cadence's day keys, in week order.
func WeekDays() []string {
	out := make([]string, len(dayNames))
	for i, d := range dayNames {
		out[i] = d.key
	}
	return out
}

// Validate checks a newsletter's settings and tidies them (spaces trimmed,
// day keys lower-cased and in week order), saying what is wrong in words
// an editor can act on.
func (n *Newsletter) Validate() error {
	n.Name, n.Slug = strings.TrimSpace(n.Name), strings.TrimSpace(n.Slug)
	n.Promise, n.SignupTitle = strings.TrimSpace(n.Promise), strings.TrimSpace(n.SignupTitle)
	n.FromName, n.FromEmail = strings.TrimSpace(n.FromName), strings.TrimSpace(n.FromEmail)
	switch {
	case n.Name == "" || len(n.Name) > 100:
		return Errorf(EINVALID, "A newsletter needs a name of at most 100 characters.")
	case !ValidSlug(n.Slug):
		return Errorf(EINVALID, "The slug %q may hold only lower-case letters, digits and hyphens.", n.Slug)
	case n.SendMode == "":
		n.SendMode = SendApprove
		return n.Validate()
	case n.SendMode != SendApprove && n.SendMode != SendAutomatic:
		return Errorf(EINVALID, "The send mode %q must be approve or automatic.", n.SendMode)
	case n.TimeZone == "":
		return Errorf(EINVALID, "Say which time zone %s goes out in.", n.Name)
	}
	if _, err := time.LoadLocation(n.TimeZone); err != nil {
		return Errorf(EINVALID, "Unknown time zone %q for %s.", n.TimeZone, n.Name)
	}
	if _, err := time.Parse("15:04", n.SendTime); err != nil {
		return Errorf(EINVALID, "Send time %q for %s must look like 06:00.", n.SendTime, n.Name)
	}
	days := map[string]bool{}
	for _, d := range n.Days {
		d = strings.ToLower(strings.TrimSpace(d))
		if !slices.Contains(WeekDays(), d) {
			return Errorf(EINVALID, "Unknown day %q: use mon, tue, wed, thu, fri, sat or sun.", d)
		}
		days[d] = true
	}
	n.Days = nil
	for _, d := range WeekDays() {
		if days[d] {
			n.Days = append(n.Days, d)
		}
	}
	if n.FromEmail != "" {
		if a, err := mail.ParseAddress(n.FromEmail); err != nil || a.Address != n.FromEmail {
			return Errorf(EINVALID, "The From address %q is not an email address.", n.FromEmail)
		}
	}
	if err := CheckLines("newsletter's name", n.Name, "From name", n.FromName,
		"promise", n.Promise, "signup title", n.SignupTitle); err != nil {
		return err
	}
	return CheckLimits(Limit{"promise", n.Promise, 300}, Limit{"signup title", n.SignupTitle, 200},
		Limit{"From name", n.FromName, 100}, Limit{"From address", n.FromEmail, 254})
}
