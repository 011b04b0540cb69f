package compose

import (
	"bytes"
	"io"
	"mime"
	"mime/multipart"
	"net/mail"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/herald-news/herald"
)

// parsed is a message as a mail client sees it.
type parsed struct {
	header     mail.Header
	text, html string
}

// mustParse parses raw with net/mail and decodes both parts.
func mustParse(t *testing.T, raw []byte) parsed {
	t.Helper()
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("ReadMessage: %v", err)
	}
	_, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if err != nil {
		t.Fatalf("Content-Type: %v", err)
	}
	p := parsed{header: msg.Header}
	mr := multipart.NewReader(msg.Body, params["boundary"])
	for {
		part, err := mr.NextPart() // decodes quoted-printable
		if err == io.EOF {
			break
		} else if err != nil {
			t.Fatalf("NextPart: %v", err)
		}
		b, _ := io.ReadAll(part)
		if strings.HasPrefix(part.Header.Get("Content-Type"), "text/html") {
			p.html = string(b)
		} else {
			p.text = strings.ReplaceAll(string(b), "\r\n", "\n")
		}
	}
	return p
}

// mustMessage personalises m for r and parses the bytes.
func mustMessage(t *testing.T, m *EditionMail, r Recipient, now time.Time) parsed {
	t.Helper()
	raw, err := m.Message(r, now).Bytes()
	if err != nil {
		t.Fatalf("Bytes: %v", err)
	}
	return mustParse(t, raw)
}

var now = time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)

// placeholder matches the stand-ins for personal links.
var placeholder = regexp.MustCompile(`x[a-z2-7]{26}(unsubscribe|preferences)`)

func TestMessageHeaders(t *testing.T) {
	m := MustRender(t, testEdition())
	r1, r2 := testRecipient(1), testRecipient(2)
	p1, p2 := mustMessage(t, m, r1, now), mustMessage(t, m, r1, now.Add(time.Hour))
	other := mustMessage(t, m, r2, now)

	from, err := mail.ParseAddress(p1.header.Get("From"))
	if err != nil || from.Name != "Herald Morning Brief" || from.Address != "morning@news.example.com" {
		t.Errorf("From = %+v (%v)", from, err)
	}
	if to, err := mail.ParseAddress(p1.header.Get("To")); err != nil || to.Address != r1.Email {
		t.Errorf("To = %+v (%v), want %s", to, err, r1.Email)
	}
	if got := p1.header.Get("Subject"); got != "The Fed's September signal" {
		t.Errorf("Subject = %q", got)
	}
	if got, err := p1.header.Date(); err != nil || !got.Equal(now) {
		t.Errorf("Date = %v (%v), want %v", got, err, now)
	}
	if id := p1.header.Get("Message-ID"); id != "<edition-42-1@news.example.com>" {
		t.Errorf("Message-ID = %q, want <edition-42-1@news.example.com>", id)
	}
	if p2.header.Get("Message-ID") != p1.header.Get("Message-ID") {
		t.Errorf("Message-ID changed between two messages to one reader: %q, %q", p1.header.Get("Message-ID"), p2.header.Get("Message-ID"))
	}
	if other.header.Get("Message-ID") == p1.header.Get("Message-ID") {
		t.Errorf("two readers share Message-ID %q", p1.header.Get("Message-ID"))
	}
	wantUnsub := "<" + r1.UnsubscribeURL + ">, <mailto:unsubscribe@news.example.com?subject=unsubscribe-BBBBBBBBBBBBBBBBBBBB.sigb>"
	if got := p1.header.Get("List-Unsubscribe"); got != wantUnsub {
		t.Errorf("List-Unsubscribe = %q, want %q", got, wantUnsub)
	}
	if got := p1.header.Get("List-Unsubscribe-Post"); got != "List-Unsubscribe=One-Click" {
		t.Errorf("List-Unsubscribe-Post = %q", got)
	}
	if got := p1.header.Get("List-Id"); got != "Morning Brief <morning-brief.news.example.com>" {
		t.Errorf("List-Id = %q", got)
	}
	if got := p1.header.Get("Feedback-ID"); got != "42:morning-brief:herald" {
		t.Errorf("Feedback-ID = %q", got)
	}
}

func TestListIDIsStablePerNewsletter(t *testing.T) {
	listID := func(nl *herald.Newsletter) string {
		ed := testEdition()
		ed.Newsletter = nl
		return mustMessage(t, MustRender(t, ed), testRecipient(1), now).header.Get("List-Id")
	}
	evening := testNewsletter()
	evening.Slug, evening.Name = "evening-wrap", "Evening Wrap: Chicago"
	a, b, c := listID(testNewsletter()), listID(testNewsletter()), listID(evening)
	if a != b {
		t.Errorf("List-Id differs between two renders of one newsletter: %q, %q", a, b)
	}
	if want := `"Evening Wrap: Chicago" <evening-wrap.news.example.com>`; c != want {
		t.Errorf("List-Id = %q, want %q", c, want)
	}
}

func TestOptionalHeadersAreLeftOut(t *testing.T) {
	m, err := Render(testSite(), testEdition(), Options{BaseURL: "https://news.example.com"})
	if err != nil {
		t.Fatal(err)
	}
	p := mustMessage(t, m, testRecipient(1), now)
	if got, want := p.header.Get("List-Unsubscribe"), "<"+testRecipient(1).UnsubscribeURL+">"; got != want {
		t.Errorf("List-Unsubscribe = %q, want the https form only %q", got, want)
	}
	if _, ok := p.header["Feedback-Id"]; ok {
		t.Errorf("Feedback-ID is set without a prefix: %q", p.header.Get("Feedback-ID"))
	}
}

func TestBodiesCarryOnlyTheReadersLinks(t *testing.T) {
	m := MustRender(t, testEdition())
	r1, r2 := testRecipient(1), testRecipient(2)
	p := mustMessage(t, m, r1, now)
	for name, body := range map[string]string{"html": p.html, "text": p.text} {
		for _, u := range []string{r1.UnsubscribeURL, r1.PreferencesURL} {
			if !strings.Contains(body, u) {
				t.Errorf("%s part lacks the reader's link %s", name, u)
			}
		}
		for _, u := range []string{r2.UnsubscribeURL, r2.PreferencesURL} {
			if strings.Contains(body, u) {
				t.Errorf("%s part has another reader's link %s", name, u)
			}
		}
		if ph := placeholder.FindString(body); ph != "" {
			t.Errorf("%s part still has placeholder %q", name, ph)
		}
	}
}

func TestHTMLIsAnInlinedNewsletter(t *testing.T) {
	html := mustMessage(t, MustRender(t, testEdition()), testRecipient(1), now).html
	for _, want := range []string{
		`<table role="presentation" class="card" width="600" cellpadding="0" cellspacing="0" border="0" style="`,
		`<meta name="color-scheme" content="light dark"/>`,
		`@media (prefers-color-scheme: dark)`, `@media (max-width: 620px)`,
		`display:none;max-height:0;overflow:hidden;mso-hide:all`,
		`Plus: streetcars stay free, and a record harvest.`,
		`Friday, November 27, 2026`,
		`Smart Brevity count: ½ min, 125 words`,
		`1 big thing</p>`, `The Fed signals a September cut`,
		`<strong>Why it matters:</strong>`, `<li style="`,
		`href="https://news.example.com/2026/11/27/fed-september-cut"`,
		`2.</span> Streetcars stay free`, `5.</span> Weekend weather`,
		`href="https://news.example.com/2026/11/20/budget-hearing"`, // made absolute
		`>Unsubscribe</a>`, `>Preferences</a>`,
		`href="https://news.example.com/newsletters/morning-brief/2026-11-27"`,
		`Herald Media Inc.<br/>100 Main Street, Suite 4<br/>Springfield, IL 62701`,
	} {
		if !strings.Contains(html, want) {
			t.Errorf("HTML lacks %s", want)
		}
	}
}

func TestTextReadsAsPlainText(t *testing.T) {
	r := testRecipient(1)
	text := mustMessage(t, MustRender(t, testEdition()), r, now).text
	for _, want := range []string{
		"Smart Brevity count: ½ min, 125 words\n",
		"\n1 big thing: The Fed signals a September cut\n",
		"\nWhy it matters: Lower rates would ease borrowing costs for millions of\nU.S. households.\n",
		"\n- By the numbers: 1,012 economists were surveyed.\n- Yes, but:",
		"\nGo deeper:\nhttps://news.example.com/2026/11/27/fed-september-cut\n",
		"\n2. Streetcars stay free\n", "\n5. Weekend weather\n",
		"\n1. Ten start Monday.\n2. The rest in January.\n",
		"\n" + r.UnsubscribeURL + "\n", "\n" + r.PreferencesURL + "\n",
		"\nHerald Media Inc.\n100 Main Street, Suite 4\nSpringfield, IL 62701\n",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("text lacks %q", want)
		}
	}
	for _, line := range strings.Split(text, "\n") {
		if len([]rune(line)) > 78 && !strings.HasPrefix(line, "https://") {
			t.Errorf("line longer than 78: %q", line)
		}
	}
}

func TestRenderRefusesIncompleteEditions(t *testing.T) {
	for name, breakIt := range map[string]func(*herald.Site, *herald.Edition){
		"no postal address": func(s *herald.Site, _ *herald.Edition) { s.PostalAddress = " " },
		"no From address":   func(_ *herald.Site, e *herald.Edition) { e.Newsletter.FromEmail = "" },
		"bad From address":  func(_ *herald.Site, e *herald.Edition) { e.Newsletter.FromEmail = "morning at example" },
		"empty subject":     func(_ *herald.Site, e *herald.Edition) { e.Subject = "  " },
	} {
		site, ed := testSite(), testEdition()
		breakIt(site, ed)
		_, err := Render(site, ed, testOptions)
		if herald.ErrorCode(err) != herald.EINVALID || herald.ErrorMessage(err) == "" {
			t.Errorf("%s: Render = %v, want EINVALID with a message", name, err)
		}
	}
}

func TestArchiveHTMLHasNoPersonalLinks(t *testing.T) {
	archive := string(MustRender(t, testEdition()).ArchiveHTML())
	for _, want := range []string{"The Fed signals a September cut", "<strong>Why it matters:</strong>",
		`href="https://news.example.com/newsletters/morning-brief"`, ">Subscribe to Morning Brief</a>", "Herald Media Inc."} {
		if !strings.Contains(archive, want) {
			t.Errorf("archive lacks %s", want)
		}
	}
	for _, bad := range []string{"/unsubscribe", "/preferences", "Unsubscribe", "<body", "<html", "<style", "preheader"} {
		if strings.Contains(archive, bad) {
			t.Errorf("archive has %s", bad)
		}
	}
	if ph := placeholder.FindString(archive); ph != "" {
		t.Errorf("archive has placeholder %q", ph)
	}
}

func TestHTMLEscapesPersonalLinks(t *testing.T) {
	r := testRecipient(1)
	r.PreferencesURL = "https://news.example.com/preferences?id=1&t=x"
	msg := MustRender(t, testEdition()).Message(r, now)
	if !strings.Contains(msg.HTML, `href="https://news.example.com/preferences?id=1&amp;t=x"`) {
		t.Error("HTML does not escape & in the preferences link")
	}
	if !strings.Contains(msg.Text, "\n"+r.PreferencesURL+"\n") {
		t.Error("text does not spell out the preferences link as is")
	}
}

func TestItemsNumberFromOneWithoutOpening(t *testing.T) {
	ed := testEdition()
	ed.Opening = herald.EditionItem{}
	msg := MustRender(t, ed).Message(testRecipient(1), now)
	if strings.Contains(msg.HTML, "1 big thing") || !strings.Contains(msg.HTML, "1.</span> Streetcars stay free") {
		t.Error("without an opening, the first item should be numbered 1 and no \"1 big thing\" shown")
	}
}

func TestRenderNoticesALostUnsubscribeLink(t *testing.T) {
	ph := newPlaceholders()
	v := newView(testSite(), testEdition(), testOptions.BaseURL)
	// As if a template edit dropped the link: the placeholder never shows.
	v.UnsubscribeURL, v.PreferencesURL = "https://news.example.com/", ph[slotPreferences]
	base, _ := url.Parse(testOptions.BaseURL)
	if err := new(EditionMail).render(v, base, ph); err == nil {
		t.Error("render accepted templates without the unsubscribe link")
	}
}
