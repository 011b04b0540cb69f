package devinbox

import (
	"bytes"
	"embed"
	"encoding/json"
	"html/template"
	"net/http"
	"strconv"

	"github.com/herald-news/herald"
)

//go:embed templates
var files embed.FS

var pages = map[string]*template.Template{
	"list":    parsePage("list.html"),
	"message": parsePage("message.html"),
}

func parsePage(name string) *template.Template {
	return template.Must(template.ParseFS(files, "templates/layout.html", "templates/"+name))
}

// listLimit is how many messages the list page shows.
const listLimit = 200

// pagePolicy replaces the site's Content-Security-Policy on inbox pages:
// the srcdoc iframe inherits it, and email HTML needs inline styles and
// images from anywhere. No script runs, in the page or in the message.
const pagePolicy = "default-src 'self'; img-src * data:; style-src 'self' 'unsafe-inline'; " +
	"script-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"

// Handler serves the development inbox. Its paths are relative to the
// mount point, and its links are relative too; mount it under a prefix
// with the prefix stripped, trailing slash kept on the pattern:
//
//	mux.Handle("/dev/inbox/", http.StripPrefix("/dev/inbox", t.Handler(csrf)))
//
// It then answers GET /dev/inbox/ (the list, newest first),
// GET /dev/inbox/{id} (one message), GET /dev/inbox/{id}/raw (the .eml as
// text/plain), GET /dev/inbox/latest.json (the newest message with the
// links in its text) and POST /dev/inbox/clear (empties the inbox, then
// redirects to the list). The mail holds readers' confirmation and
// unsubscribe links, so the caller lets only staff through, and checks a
// CSRF token on the POST: csrf returns the request's token, which the
// clear form sends as the field "csrf" (nil: the form sends none).
func (t *Transport) Handler(csrf func(*http.Request) string) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		var token string
		if csrf != nil {
			token = csrf(r)
		}
		t.serveList(w, r, token)
	})
	mux.HandleFunc("GET /style.css", serveStyle)
	mux.HandleFunc("GET /latest.json", t.serveLatest)
	mux.HandleFunc("GET /{id}", t.serveMessage)
	mux.HandleFunc("GET /{id}/raw", t.serveRaw)
	mux.HandleFunc("POST /clear", t.serveClear)
	return mux
}

func (t *Transport) serveList(w http.ResponseWriter, r *http.Request, csrf string) {
	msgs, err := t.store.InboxMessages(r.Context(), listLimit)
	if err != nil {
		serveError(w, err)
		return
	}
	render(w, "list", struct {
		Messages []*StoredMessage
		CSRF     string
	}{msgs, csrf})
}

func (t *Transport) serveMessage(w http.ResponseWriter, r *http.Request) {
	m, ok := t.find(w, r)
	if !ok {
		return
	}
	render(w, "message", struct {
		*StoredMessage
		Headers []header
		Links   []string
	}{m, headers(m.Raw), links(m.Text)})
}

func (t *Transport) serveRaw(w http.ResponseWriter, r *http.Request) {
	m, ok := t.find(w, r)
	if !ok {
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Content-Disposition", `inline; filename="message-`+strconv.FormatInt(m.ID, 10)+`.eml"`)
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Write(m.Raw)
}

// latest is the JSON form of the newest message, for tests that follow a
// confirmation link.
type latest struct {
	ID      int64    `json:"id"`
	To      string   `json:"to"`
	Subject string   `json:"subject"`
	Text    string   `json:"text"`
	HTML    string   `json:"html"`
	Links   []string `json:"links"`
}

func (t *Transport) serveLatest(w http.ResponseWriter, r *http.Request) {
	msgs, err := t.store.InboxMessages(r.Context(), 1)
	if err != nil {
		serveError(w, err)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	if len(msgs) == 0 {
		w.WriteHeader(http.StatusNotFound)
		json.NewEncoder(w).Encode(map[string]string{"error": "The development inbox is empty."})
		return
	}
	m := msgs[0]
	json.NewEncoder(w).Encode(latest{m.ID, m.To, m.Subject, m.Text, m.HTML, links(m.Text)})
}

func (t *Transport) serveClear(w http.ResponseWriter, r *http.Request) {
	if err := t.store.ClearInbox(r.Context()); err != nil {
		serveError(w, err)
		return
	}
	// Relative to /dev/inbox/clear; http.Redirect would resolve it against
	// the stripped path and lose the prefix.
	w.Header().Set("Location", "./")
	w.WriteHeader(http.StatusSeeOther)
}

func serveStyle(w http.ResponseWriter, r *http.Request) {
	http.ServeFileFS(w, r, files, "templates/style.css")
}

// find loads the message named by the {id} path value, answering 404 for
// an unknown or malformed id.
func (t *Transport) find(w http.ResponseWriter, r *http.Request) (*StoredMessage, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		http.NotFound(w, r)
		return nil, false
	}
	m, err := t.store.InboxMessage(r.Context(), id)
	if err != nil {
		serveError(w, err)
		return nil, false
	}
	return m, true
}

func render(w http.ResponseWriter, page string, data any) {
	var b bytes.Buffer
	if err := pages[page].ExecuteTemplate(&b, "layout", data); err != nil {
		serveError(w, err)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Security-Policy", pagePolicy)
	w.Header().Set("Cache-Control", "no-store")
	w.Write(b.Bytes())
}

func serveError(w http.ResponseWriter, err error) {
	status := http.StatusInternalServerError
	if herald.ErrorCode(err) == herald.ENOTFOUND {
		status = http.StatusNotFound
	}
	http.Error(w, herald.ErrorMessage(err), status)
}
