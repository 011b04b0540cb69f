package herald

import (
	"strings"
	"testing"
)

func TestNamesAndSubjectsAreOneLine(t *testing.T) {
	n := Newsletter{Name: "AM\r\nBcc: everyone@example.com", Slug: "am", TimeZone: "UTC", SendTime: "06:00"}
	if err := n.Validate(); err == nil || !strings.Contains(ErrorMessage(err), "newsletter's name must be one line") {
		t.Errorf("a name with CR/LF: %v", err)
	}
	s := Site{Name: "Herald\nX-Injected: 1", PostalAddress: "1 Main St\r\nSpringfield"}
	if err := s.Validate(); err == nil || !strings.Contains(ErrorMessage(err), "site name must be one line") {
		t.Errorf("a site name with LF: %v", err)
	}
	s = Site{Name: "Herald", PostalAddress: "1 Main St\r\nSpringfield"}
	if err := s.Validate(); err != nil || s.PostalAddress != "1 Main St\nSpringfield" {
		t.Errorf("a two-line postal address: %v %q", err, s.PostalAddress)
	}
	e := Edition{Subject: "Today\r\nBcc: x@example.com"}
	if err := e.CheckLines(); err == nil || !strings.Contains(ErrorMessage(err), "subject line must be one line") {
		t.Errorf("a subject with CR/LF: %v", err)
	}
	if err := CheckOneLine("name", "tab\there"); err == nil {
		t.Error("a tab was taken")
	}
}

func TestEditionItemLinksAreWebAddresses(t *testing.T) {
	for _, bad := range []string{"javascript:alert(1)", "JavaScript:alert(1)", "data:text/html,<b>x</b>", "//evil.example/x",
		"/relative", "https://", "https://a.example/x y", "vbscript:x", "file:///etc/passwd"} {
		e := Edition{Subject: "S", Items: []EditionItem{{Headline: "H", URL: bad}}}
		if err := e.CheckLines(); err == nil || !strings.Contains(ErrorMessage(err), "link of the item 1") {
			t.Errorf("item URL %q: %v", bad, err)
		}
	}
	for _, good := range []string{"", "https://news.example/story/1", "http://news.example/a?b=c#d"} {
		e := Edition{Subject: "S", Items: []EditionItem{{Headline: "H", URL: good}}}
		if err := e.CheckLines(); err != nil {
			t.Errorf("item URL %q refused: %v", good, err)
		}
	}
}

func TestLongSettingsAreRefusedNotCut(t *testing.T) {
	s := Site{Name: "Herald", Tagline: strings.Repeat("long ", 61)}
	if err := s.Validate(); err == nil || !strings.Contains(ErrorMessage(err), "tagline under 300 characters (it has 304)") {
		t.Errorf("a 304-character tagline: %v", err)
	}
	n := Newsletter{Name: "AM", Slug: "am", TimeZone: "UTC", SendTime: "06:00", Promise: strings.Repeat("x", 301)}
	if err := n.Validate(); err == nil || !strings.Contains(ErrorMessage(err), "promise under 300 characters") {
		t.Errorf("a 301-character promise: %v", err)
	}
}
