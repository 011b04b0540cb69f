// Package compose turns an edition into newsletter email: it renders the
// HTML and text once per edition, then personalises a message per reader by
// pasting in that reader's unsubscribe and preferences links.
package compose

import (
	"fmt"
	"html"
	htmltemplate "html/template"
	"mime"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/internal/mail"
)

// Options are the sender-wide settings of newsletter email.
type Options struct {
	BaseURL           string // absolute site URL, no trailing slash: links to the archive and the site
	ListIDDomain      string // domain of List-Id, e.g. "news.example.com"; default: BaseURL's host
	UnsubscribeMailto string // address of the mailto: List-Unsubscribe; empty: the https form only
	FeedbackIDPrefix  string // sender id ending Feedback-ID "<edition>:<newsletter>:<prefix>"; empty: no header
	MessageIDDomain   string // right side of Message-IDs; default: ListIDDomain
}

// Recipient is one reader's personal parts of a message.
type Recipient struct {
	SubscriberID   int64
	Email          string
	UnsubscribeURL string // one-click (RFC 8058) URL
	PreferencesURL string
}

// EditionMail is an edition rendered once; Message personalises it cheaply per reader. It is immutable and safe for concurrent use.
type EditionMail struct {
	editionID   int64
	from        mail.Address
	subject     string
	idDomain    string
	mailto      string
	listID      string
	feedbackID  string
	html, text  splitBody
	archiveHTML htmltemplate.HTML
	// prepared is the message every reader shares, encoded once, with
	// holes where html and text have slots.
	prepared *mail.Prepared
}

// Render renders ed (with ed.Newsletter set) for site. It returns EINVALID
// when the site has no postal address, the newsletter no From address or
// the edition no subject: email that can't lawfully or sensibly go out.
func Render(site *herald.Site, ed *herald.Edition, opts Options) (*EditionMail, error) {
	if site == nil || ed == nil || ed.Newsletter == nil {
		return nil, fmt.Errorf("compose: render: site, edition and its newsletter are required")
	}
	nl := ed.Newsletter
	if strings.TrimSpace(site.PostalAddress) == "" {
		return nil, herald.Errorf(herald.EINVALID, "Add the newsroom's postal address in the site settings: every newsletter email must show it.")
	}
	if strings.TrimSpace(nl.FromEmail) == "" {
		return nil, herald.Errorf(herald.EINVALID, "The newsletter %q has no From address. Add one in the newsletter's settings.", nl.Name)
	}
	if strings.TrimSpace(ed.Subject) == "" {
		return nil, herald.Errorf(herald.EINVALID, "Please write a subject line for this edition.")
	}
	base, err := url.Parse(opts.BaseURL)
	if err != nil || !base.IsAbs() || base.Hostname() == "" {
		return nil, fmt.Errorf("compose: render: base URL %q is not an absolute URL", opts.BaseURL)
	}
	baseURL := strings.TrimRight(opts.BaseURL, "/")
	if opts.ListIDDomain == "" {
		opts.ListIDDomain = base.Hostname()
	}
	if opts.MessageIDDomain == "" {
		opts.MessageIDDomain = opts.ListIDDomain
	}

	m := &EditionMail{
		editionID: ed.ID,
		from:      mail.Address{Name: nl.FromName, Email: nl.FromEmail},
		subject:   ed.Subject,
		idDomain:  opts.MessageIDDomain,
		listID:    listID(nl.Name, nl.Slug+"."+opts.ListIDDomain),
	}
	if opts.UnsubscribeMailto != "" {
		m.mailto = "mailto:" + opts.UnsubscribeMailto + "?subject=unsubscribe"
	}
	if opts.FeedbackIDPrefix != "" {
		m.feedbackID = strconv.FormatInt(ed.ID, 10) + ":" + nl.Slug + ":" + opts.FeedbackIDPrefix
	}

	ph := newPlaceholders()
	v := newView(site, ed, baseURL)
	v.UnsubscribeURL, v.PreferencesURL = ph[slotUnsubscribe], ph[slotPreferences]
	if err := m.render(v, base, ph); err != nil {
		return nil, err
	}
	// Validate once what every message shares (From, Subject, header
	// values), so an editor hears of a bad address now, not a million times.
	probe := m.Message(Recipient{SubscriberID: 1, Email: "reader@example.com",
		UnsubscribeURL: baseURL + "/unsubscribe/t", PreferencesURL: baseURL + "/preferences/t"}, time.Time{})
	if err := probe.Validate(); err != nil {
		return nil, err
	}
	shared := *probe
	shared.Headers = probe.Headers[1:] // all but List-Unsubscribe, which carries the reader's token
	if m.prepared, err = mail.Prepare(&shared, m.text.parts, m.html.parts); err != nil {
		return nil, err
	}
	return m, nil
}

// render executes the templates and inlines the CSS for readers and for the
// archive, and checks that both personal links survived in the reader's
// version.
func (m *EditionMail) render(v *view, base *url.URL, ph placeholders) error {
	page, err := executeHTML(v)
	if err == nil {
		page, err = inline(page, base, ph)
	}
	if err != nil {
		return fmt.Errorf("compose: render html: %w", err)
	}
	text, err := executeText(v)
	if err != nil {
		return fmt.Errorf("compose: render text: %w", err)
	}
	m.html, m.text = split(page, ph), split(text, ph)
	for _, b := range []*splitBody{&m.html, &m.text} {
		if b.count(slotUnsubscribe) == 0 || b.count(slotPreferences) == 0 {
			return fmt.Errorf("compose: render: the email templates lost the unsubscribe or preferences link")
		}
	}

	v.Archive, v.UnsubscribeURL, v.PreferencesURL = true, "", ""
	archive, err := executeHTML(v)
	if err == nil {
		archive, err = inline(archive, base, ph)
	}
	if err != nil {
		return fmt.Errorf("compose: render archive: %w", err)
	}
	// The page went through html/template and the sanitiser.
	m.archiveHTML = htmltemplate.HTML(bodyContent(archive))
	return nil
}

// Message returns the personalised message for r, dated now. Its
// Message-ID, "edition-<edition>-<subscriber>@<domain>", is the same on
// every retry. The mailto: List-Unsubscribe carries the last path segment
// of r.UnsubscribeURL (its signed token) in the subject, so the mailbox
// that receives it can act on the token alone.
func (m *EditionMail) Message(r Recipient, now time.Time) *mail.Message {
	headers := make([]mail.Header, 3, 4)
	headers[0] = mail.Header{Key: "List-Unsubscribe", Value: m.listUnsubscribe(r.UnsubscribeURL)}
	headers[1] = mail.Header{Key: "List-Unsubscribe-Post", Value: "List-Unsubscribe=One-Click"}
	headers[2] = mail.Header{Key: "List-Id", Value: m.listID}
	if m.feedbackID != "" {
		headers = append(headers, mail.Header{Key: "Feedback-ID", Value: m.feedbackID})
	}
	urls := [numSlots]string{slotUnsubscribe: r.UnsubscribeURL, slotPreferences: r.PreferencesURL}
	text := m.text.join(&urls)
	urls[slotUnsubscribe], urls[slotPreferences] = html.EscapeString(r.UnsubscribeURL), html.EscapeString(r.PreferencesURL)
	return &mail.Message{
		From:      m.from,
		To:        mail.Address{Email: r.Email},
		Subject:   m.subject,
		Date:      now,
		MessageID: m.messageID(r.SubscriberID),
		Headers:   headers,
		Text:      text,
		HTML:      m.html.join(&urls),
	}
}

// AppendMessage appends r's copy dated now, the message Message(r,
// now).Bytes() would make, to dst: the same headers and, decoded, the
// same bodies, but from parts encoded once per edition, so a copy costs
// little more than copying its bytes. It returns EINVALID for an address
// that can't be written.
func (m *EditionMail) AppendMessage(dst []byte, r Recipient, now time.Time) ([]byte, error) {
	urls := [numSlots]string{slotUnsubscribe: r.UnsubscribeURL, slotPreferences: r.PreferencesURL}
	escaped := [numSlots]string{slotUnsubscribe: html.EscapeString(r.UnsubscribeURL), slotPreferences: html.EscapeString(r.PreferencesURL)}
	fill := make([]string, len(m.text.slots)+len(m.html.slots))
	text, htm := fill[:len(m.text.slots)], fill[len(m.text.slots):]
	for i, s := range m.text.slots {
		text[i] = urls[s]
	}
	for i, s := range m.html.slots {
		htm[i] = escaped[s]
	}
	return m.prepared.Append(dst, &mail.Personal{
		To:        mail.Address{Email: r.Email},
		Date:      now,
		MessageID: m.messageID(r.SubscriberID),
		Headers:   []mail.Header{{Key: "List-Unsubscribe", Value: m.listUnsubscribe(r.UnsubscribeURL)}},
		Text:      text,
		HTML:      htm,
	})
}

// SizeHint is about the length of one reader's copy, for sizing buffers.
func (m *EditionMail) SizeHint() int { return m.prepared.Size() }

// listUnsubscribe is the List-Unsubscribe value: the one-click URL, then
// the mailto: form with the URL's token in the subject. Built in one
// allocation, as Message runs once per reader.
func (m *EditionMail) listUnsubscribe(oneClick string) string {
	var b strings.Builder
	tok := lastSegment(oneClick)
	b.Grow(len(oneClick) + len(m.mailto) + len(tok) + 8)
	b.WriteByte('<')
	b.WriteString(oneClick)
	b.WriteByte('>')
	if m.mailto != "" {
		b.WriteString(", <")
		b.WriteString(m.mailto)
		if tok != "" {
			b.WriteByte('-')
			b.WriteString(tok)
		}
		b.WriteByte('>')
	}
	return b.String()
}

// messageID is "edition-<edition>-<subscriber>@<domain>", in one allocation.
func (m *EditionMail) messageID(subscriberID int64) string {
	var b strings.Builder
	var num [20]byte
	b.Grow(len("edition--@") + 40 + len(m.idDomain))
	b.WriteString("edition-")
	b.Write(strconv.AppendInt(num[:0], m.editionID, 10))
	b.WriteByte('-')
	b.Write(strconv.AppendInt(num[:0], subscriberID, 10))
	b.WriteByte('@')
	b.WriteString(m.idDomain)
	return b.String()
}

// ArchiveHTML is the edition for the public web archive: the <body> content
// of the email, with a Subscribe link instead of the personal links.
func (m *EditionMail) ArchiveHTML() htmltemplate.HTML { return m.archiveHTML }

// listID formats a List-Id (RFC 2919): the newsletter's name as a phrase,
// quoted or encoded when it must be, then <id>. The mail package encodes
// non-ASCII header values as a whole, which would swallow the <id>, so the
// name is encoded here and the value stays ASCII.
func listID(name, id string) string {
	switch {
	case name == "":
		return "<" + id + ">"
	case !isASCII(name):
		name = mime.BEncoding.Encode("utf-8", name)
	case strings.ContainsAny(name, "()<>[]:;@\\,.\""):
		name = `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(name) + `"`
	}
	return name + " <" + id + ">"
}

// lastSegment returns the last path segment of u, our signed token, when u
// has no query and the segment only URL-safe characters; "" otherwise.
func lastSegment(u string) string {
	if strings.ContainsAny(u, "?#") {
		return ""
	}
	seg := u[strings.LastIndexByte(u, '/')+1:]
	for i := 0; i < len(seg); i++ {
		c := seg[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_' || c == '.' || c == '~') {
			return ""
		}
	}
	return seg
}

// isASCII reports whether s is plain ASCII.
func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}
