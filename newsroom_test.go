package herald_test

import (
	"strings"
	"testing"

	"github.com/herald-news/herald"
)

func TestPhotoCreditLine(t *testing.T) {
	tests := map[string]string{
		"Jo Lee/The Herald Daily":               "Photo: Jo Lee/The Herald Daily",
		"Illustration: Sofia Lin/Herald":        "Illustration: Sofia Lin/Herald",
		"Chart: Herald research":                "Chart: Herald research",
		"Photo illustration: Ria Moss/Herald":   "Photo illustration: Ria Moss/Herald",
		"Mikhail Petrov/TASS via Getty: Images": "Photo: Mikhail Petrov/TASS via Getty: Images",
		"":                                      "",
	}
	for credit, want := range tests {
		if got := (&herald.Photo{Credit: credit}).CreditLine(); got != want {
			t.Errorf("CreditLine(%q) = %q, want %q", credit, got, want)
		}
	}
}

func TestNewsletterSchedule(t *testing.T) {
	tests := []struct {
		days []string
		at   string
		tz   string
		want string
	}{
		{[]string{"mon", "tue", "wed", "thu", "fri"}, "06:00", "America/New_York", "Weekdays at 6:00 AM ET"},
		{[]string{"mon", "tue", "wed", "thu", "fri", "sat", "sun"}, "16:00", "America/Chicago", "Every day at 4:00 PM CT"},
		{[]string{"sun", "wed"}, "07:30", "Europe/Paris", "Wednesdays, Sundays at 7:30 AM (Europe/Paris)"},
		{[]string{"sat", "sun"}, "09:00", "America/Denver", "Weekends at 9:00 AM MT"},
		{nil, "06:00", "UTC", ""},
	}
	for _, tt := range tests {
		n := &herald.Newsletter{Days: tt.days, SendTime: tt.at, TimeZone: tt.tz}
		if got := n.Schedule(); got != tt.want {
			t.Errorf("Schedule(%v %s %s) = %q, want %q", tt.days, tt.at, tt.tz, got, tt.want)
		}
	}
}

func TestSiteValidate(t *testing.T) {
	ok := herald.Site{Name: "  The Herald ", TwitterHandle: " heraldnews "}
	if err := ok.Validate(); err != nil || ok.Name != "The Herald" || ok.TwitterHandle != "@heraldnews" {
		t.Errorf("Validate tidied to %+v, %v", ok, err)
	}
	for _, bad := range []herald.Site{{Name: " "}, {Name: "H", TwitterHandle: "@has space"}, {Name: "H", TwitterHandle: "@a_very_long_handle_indeed"},
		{Name: "H", TwitterHandle: "<script>"}} {
		if err := bad.Validate(); herald.ErrorCode(err) != herald.EINVALID {
			t.Errorf("Validate(%+v) = %v, want EINVALID", bad, err)
		}
	}
}

func TestNewsletterValidate(t *testing.T) {
	ok := herald.Newsletter{Name: " Herald AM ", Slug: "am", Days: []string{"FRI", "mon"}, SendTime: "06:00", TimeZone: "America/New_York",
		FromEmail: "am@herald.example"}
	if err := ok.Validate(); err != nil || ok.Name != "Herald AM" || strings.Join(ok.Days, ",") != "mon,fri" {
		t.Errorf("Validate tidied to %+v, %v", ok, err)
	}
	for _, edit := range []func(*herald.Newsletter){
		func(n *herald.Newsletter) { n.Name = "" },
		func(n *herald.Newsletter) { n.Slug = "Not A Slug" },
		func(n *herald.Newsletter) { n.TimeZone = "Mars/Olympus" },
		func(n *herald.Newsletter) { n.SendTime = "6am" },
		func(n *herald.Newsletter) { n.Days = []string{"someday"} },
		func(n *herald.Newsletter) { n.FromEmail = "am at herald" },
		func(n *herald.Newsletter) { n.FromName = "Herald\r\nBcc: x@y.z" },
	} {
		n := ok
		edit(&n)
		if err := n.Validate(); herald.ErrorCode(err) != herald.EINVALID {
			t.Errorf("Validate(%+v) = %v, want EINVALID", n, err)
		}
	}
}
