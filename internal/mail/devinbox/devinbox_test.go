package devinbox

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/internal/mail"
)

func confirmation() *mail.Message {
	return &mail.Message{
		From:    mail.Address{Name: "Herald", Email: "news@herald.example"},
		To:      mail.Address{Name: "Ann Lee", Email: "ann@example.com"},
		Subject: "Confirm your subscription",
		Text:    "Please confirm (https://herald.example/confirm?t=abc&n=1).\nOr ignore this email.",
	}
}

func newsletter() *mail.Message {
	return &mail.Message{
		From:    mail.Address{Name: "Herald Morning Brief", Email: "news@herald.example"},
		To:      mail.Address{Name: "Zoë Müller", Email: "zoe@bücher.example"},
		Subject: "Ça va? The streetcar stays free",
		Headers: []mail.Header{{Key: "List-Unsubscribe", Value: "<https://herald.example/u?t=xyz>"}},
		Text:    "The streetcar stays free.\nRead: https://herald.example/2026/03/04/streetcar\nUnsubscribe: https://herald.example/u?t=xyz",
		HTML:    `<p>The streetcar stays <b>free</b>.</p><script>alert("owned")</script><p>"quoted" & done</p>`,
	}
}

// MustInbox returns a Transport on a MemStore that has been sent the
// confirmation and then the newsletter, and a server with its Handler
// mounted as the web layer mounts it (without the staff check around it),
// its clear form carrying the token "test-csrf".
func MustInbox(tb testing.TB) (*Transport, *httptest.Server) {
	tb.Helper()
	tr := New(NewMemStore())
	for _, m := range []*mail.Message{confirmation(), newsletter()} {
		if err := tr.Send(context.Background(), m); err != nil {
			tb.Fatal(err)
		}
	}
	mux := http.NewServeMux()
	mux.Handle("/dev/inbox/", http.StripPrefix("/dev/inbox", tr.Handler(func(*http.Request) string { return "test-csrf" })))
	srv := httptest.NewServer(mux)
	tb.Cleanup(srv.Close)
	return tr, srv
}

func mustGet(tb testing.TB, srv *httptest.Server, path string, wantStatus int) (string, http.Header) {
	tb.Helper()
	res, err := srv.Client().Get(srv.URL + path)
	if err != nil {
		tb.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	if res.StatusCode != wantStatus {
		tb.Fatalf("GET %s = %d, want %d\n%s", path, res.StatusCode, wantStatus, body)
	}
	return string(body), res.Header
}

func TestSendStoresRawAndDecodedParts(t *testing.T) {
	store := NewMemStore()
	tr := New(store)
	if tr.Name() != "devinbox" {
		t.Errorf("Name = %q", tr.Name())
	}
	if err := tr.Send(context.Background(), newsletter()); err != nil {
		t.Fatal(err)
	}
	m, err := store.InboxMessage(context.Background(), 1)
	if err != nil {
		t.Fatal(err)
	}
	want := newsletter()
	if m.Subject != want.Subject || m.Text != want.Text || m.HTML != want.HTML {
		t.Errorf("stored subject %q, text %q, html %q", m.Subject, m.Text, m.HTML)
	}
	if m.To != "Zoë Müller <zoe@xn--bcher-kva.example>" || m.From != "Herald Morning Brief <news@herald.example>" {
		t.Errorf("stored from %q, to %q", m.From, m.To)
	}
	if m.MessageID == "" || m.Date.IsZero() || m.CreatedAt.IsZero() || !strings.HasPrefix(string(m.Raw), "Date: ") {
		t.Errorf("stored message-id %q, date %v, created %v, raw %.20q", m.MessageID, m.Date, m.CreatedAt, m.Raw)
	}
}

func TestSendRefusesInvalidMessage(t *testing.T) {
	store := NewMemStore()
	m := confirmation()
	m.Subject = "Hi\r\nBcc: evil@x.example"
	if err := New(store).Send(context.Background(), m); herald.ErrorCode(err) != herald.EINVALID {
		t.Errorf("Send = %v, want EINVALID", err)
	}
	if msgs, _ := store.InboxMessages(context.Background(), 0); len(msgs) != 0 {
		t.Errorf("stored %d messages", len(msgs))
	}
}

func TestListShowsMessagesNewestFirst(t *testing.T) {
	_, srv := MustInbox(t)
	body, h := mustGet(t, srv, "/dev/inbox/", http.StatusOK)
	for _, want := range []string{"Development inbox", "Nothing here was really sent. Configure HERALD_SMTP_URL to deliver mail.", `href="/"`,
		`<input type="hidden" name="csrf" value="test-csrf">`} {
		if !strings.Contains(body, want) {
			t.Errorf("list page lacks %q", want)
		}
	}
	news, confirm := strings.Index(body, "Ça va? The streetcar stays free"), strings.Index(body, "Confirm your subscription")
	if news < 0 || confirm < 0 || news > confirm {
		t.Errorf("want the newsletter (at %d) before the confirmation (at %d)\n%s", news, confirm, body)
	}
	if !strings.Contains(body, "Zoë Müller &lt;zoe@xn--bcher-kva.example&gt;") || !strings.Contains(body, `href="2"`) {
		t.Errorf("list lacks the recipient or the link to message 2\n%s", body)
	}
	if csp := h.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'none'") {
		t.Errorf("Content-Security-Policy = %q", csp)
	}
}

func TestMessagePageShowsTextAndSandboxedHTML(t *testing.T) {
	_, srv := MustInbox(t)
	body, _ := mustGet(t, srv, "/dev/inbox/2", http.StatusOK)
	for _, want := range []string{
		"<h1>Ça va? The streetcar stays free</h1>",
		"<pre>The streetcar stays free.\nRead: https://herald.example/2026/03/04/streetcar",
		"List-Unsubscribe", "&lt;https://herald.example/u?t=xyz&gt;",
		`href="2/raw"`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("message page lacks %q\n%s", want, body)
		}
	}
	if strings.Contains(body, "<script") || strings.Contains(body, "<b>free</b>") {
		t.Errorf("HTML part appears unescaped outside the iframe\n%s", body)
	}
	start := strings.Index(body, "<iframe sandbox srcdoc=\"")
	if start < 0 {
		t.Fatalf("no sandboxed iframe\n%s", body)
	}
	srcdoc := body[start+len("<iframe sandbox srcdoc=\""):]
	srcdoc = srcdoc[:strings.IndexByte(srcdoc, '"')]
	if !strings.Contains(srcdoc, "&lt;script&gt;alert(&#34;owned&#34;)&lt;/script&gt;") {
		t.Errorf("srcdoc = %q, want the HTML part escaped", srcdoc)
	}
	if strings.Contains(body, "allow-scripts") {
		t.Error("the iframe allows scripts")
	}
}

func TestRawServesEMLAsPlainText(t *testing.T) {
	_, srv := MustInbox(t)
	body, h := mustGet(t, srv, "/dev/inbox/1/raw", http.StatusOK)
	if ct := h.Get("Content-Type"); ct != "text/plain; charset=utf-8" || h.Get("X-Content-Type-Options") != "nosniff" {
		t.Errorf("Content-Type = %q, nosniff = %q", ct, h.Get("X-Content-Type-Options"))
	}
	if !strings.Contains(body, "\r\nSubject: Confirm your subscription\r\n") {
		t.Errorf("raw = %q", body)
	}
}

func TestLatestJSONHasNewestMessageAndTextLinks(t *testing.T) {
	tr, srv := MustInbox(t)
	body, _ := mustGet(t, srv, "/dev/inbox/latest.json", http.StatusOK)
	var got latest
	if err := json.Unmarshal([]byte(body), &got); err != nil {
		t.Fatal(err)
	}
	want := newsletter()
	if got.ID != 2 || got.Subject != want.Subject || got.Text != want.Text || got.HTML != want.HTML {
		t.Errorf("latest = %+v", got)
	}
	if len(got.Links) != 2 || got.Links[0] != "https://herald.example/2026/03/04/streetcar" || got.Links[1] != "https://herald.example/u?t=xyz" {
		t.Errorf("links = %q", got.Links)
	}

	// A link in parentheses at the end of a sentence loses the punctuation.
	if err := tr.Send(context.Background(), confirmation()); err != nil {
		t.Fatal(err)
	}
	body, _ = mustGet(t, srv, "/dev/inbox/latest.json", http.StatusOK)
	if err := json.Unmarshal([]byte(body), &got); err != nil {
		t.Fatal(err)
	}
	if len(got.Links) != 1 || got.Links[0] != "https://herald.example/confirm?t=abc&n=1" {
		t.Errorf("links = %q", got.Links)
	}
}

func TestUnknownMessageIsNotFound(t *testing.T) {
	_, srv := MustInbox(t)
	for _, path := range []string{"/dev/inbox/99", "/dev/inbox/99/raw", "/dev/inbox/abc", "/dev/inbox/0", "/dev/inbox/-1"} {
		mustGet(t, srv, path, http.StatusNotFound)
	}
}

func TestClearEmptiesInboxAndReturnsToList(t *testing.T) {
	_, srv := MustInbox(t)
	client := srv.Client()
	client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	res, err := client.Post(srv.URL+"/dev/inbox/clear", "application/x-www-form-urlencoded", nil)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	loc, err := res.Location()
	if res.StatusCode != http.StatusSeeOther || err != nil || loc.Path != "/dev/inbox/" {
		t.Errorf("POST clear = %d, Location %v (%v); want 303 to /dev/inbox/", res.StatusCode, loc, err)
	}
	body, _ := mustGet(t, srv, "/dev/inbox/", http.StatusOK)
	if !strings.Contains(body, "No messages yet") {
		t.Errorf("list after clear:\n%s", body)
	}
	mustGet(t, srv, "/dev/inbox/latest.json", http.StatusNotFound)
}

func TestMemStoreLimitAndCopies(t *testing.T) {
	ctx := context.Background()
	s := NewMemStore()
	for i := range 3 {
		m := &StoredMessage{Subject: string(rune('a' + i)), Raw: []byte("x"), CreatedAt: time.Now()}
		if err := s.SaveInboxMessage(ctx, m); err != nil || m.ID != int64(i+1) {
			t.Fatalf("Save: id %d, %v", m.ID, err)
		}
	}
	got, _ := s.InboxMessages(ctx, 2)
	if len(got) != 2 || got[0].Subject != "c" || got[1].Subject != "b" {
		t.Errorf("InboxMessages(2) = %v", got)
	}
	got[0].Raw[0] = 'y'
	if again, _ := s.InboxMessage(ctx, 3); string(again.Raw) != "x" {
		t.Error("a returned message shares memory with the store")
	}
	if _, err := s.InboxMessage(ctx, 42); herald.ErrorCode(err) != herald.ENOTFOUND {
		t.Errorf("InboxMessage(42) = %v, want ENOTFOUND", err)
	}
}
