package site

import (
	"net/http"
	"strings"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/internal/subscribe"
	"github.com/herald-news/herald/internal/token"
	"github.com/herald-news/herald/internal/web"
)

// maxLinkBody caps POSTs to the email-link pages.
const maxLinkBody = 16 << 10

// linkPage is what the confirm, unsubscribe and preferences pages show.
type linkPage struct {
	Token       string
	Action      string // the form's target
	Done        bool   // the POST went through
	Newsletter  *herald.Newsletter
	Prefs       *subscribe.Preferences
	Preferences string // a preferences link, after unsubscribing
	Saved       bool
}

// privateHeaders keep tokens out of caches and Referer headers.
func privateHeaders(w http.ResponseWriter) {
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Referrer-Policy", "no-referrer")
}

func request(r *http.Request) subscribe.Request {
	return subscribe.Request{IP: web.ClientIP(r), UserAgent: r.UserAgent(), Page: strings.SplitN(r.URL.Path, "/", 3)[1]}
}

// confirmPage shows a Confirm button and changes nothing: link scanners
// that fetch every URL in an email must not confirm anyone.
func (h *Handler) confirmPage(w http.ResponseWriter, r *http.Request) {
	privateHeaders(w)
	tok := r.PathValue("token")
	if _, err := h.Subscribe.Verify(r.Context(), tok, token.Confirm); err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, "confirm", page{Title: "Confirm your subscription", NoSignup: true, NoIndex: true,
		Data: linkPage{Token: tok, Action: "/confirm/" + tok}})
}

func (h *Handler) confirm(w http.ResponseWriter, r *http.Request) {
	privateHeaders(w)
	tok := r.PathValue("token")
	n, err := h.Subscribe.Confirm(r.Context(), tok, request(r))
	if herald.ErrorCode(err) == herald.ENOTFOUND {
		err = token.ErrInvalid
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, "confirm", page{Title: "You're subscribed", NoSignup: true, NoIndex: true,
		Data: linkPage{Done: true, Newsletter: n}})
}

// unsubscribePage asks before unsubscribing; a GET changes nothing.
func (h *Handler) unsubscribePage(w http.ResponseWriter, r *http.Request) {
	privateHeaders(w)
	tok := r.PathValue("token")
	if _, err := h.Subscribe.Verify(r.Context(), tok, token.Unsubscribe); err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, "unsubscribe", page{Title: "Unsubscribe", NoSignup: true, NoIndex: true,
		Data: linkPage{Token: tok, Action: "/unsubscribe/" + tok}})
}

// unsubscribe is both the button on the unsubscribe page and RFC 8058
// one-click unsubscribe: a POST with List-Unsubscribe=One-Click from a
// mail provider, with no cookie, no login and no confirmation step. It
// answers 200 with no redirect, and is idempotent.
func (h *Handler) unsubscribe(w http.ResponseWriter, r *http.Request) {
	privateHeaders(w)
	r.Body = http.MaxBytesReader(w, r.Body, maxLinkBody)
	oneClick := isOneClick(r)
	tok := r.PathValue("token")
	n, err := h.Subscribe.Unsubscribe(r.Context(), tok, request(r))
	if herald.ErrorCode(err) == herald.ENOTFOUND {
		err = token.ErrInvalid
	}
	if oneClick {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		if err != nil {
			http.Error(w, herald.ErrorMessage(err), http.StatusBadRequest)
			return
		}
		w.Write([]byte("You have been unsubscribed.\n"))
		return
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	prefs, _ := h.Subscribe.PreferencesURLFor(r.Context(), tok)
	h.render(w, r, http.StatusOK, "unsubscribe", page{Title: "You're unsubscribed", NoSignup: true, NoIndex: true,
		Data: linkPage{Done: true, Newsletter: n, Preferences: prefs}})
}

// isOneClick reports whether the POST body is RFC 8058's
// List-Unsubscribe=One-Click, urlencoded or multipart.
func isOneClick(r *http.Request) bool {
	if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
		if err := r.ParseMultipartForm(maxLinkBody); err != nil {
			return false
		}
	} else if err := r.ParseForm(); err != nil {
		return false
	}
	return r.PostForm.Get("List-Unsubscribe") == "One-Click"
}

func (h *Handler) preferencesPage(w http.ResponseWriter, r *http.Request) {
	privateHeaders(w)
	tok := r.PathValue("token")
	prefs, err := h.Subscribe.Preferences(r.Context(), tok)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, "preferences", page{Title: "Your newsletters", NoSignup: true, NoIndex: true,
		Data: linkPage{Token: tok, Action: "/preferences/" + tok, Prefs: prefs, Saved: r.URL.Query().Get("saved") == "1"}})
}

// savePreferences applies the ticked boxes, or unsubscribes from
// everything when that button was pressed, then shows the page again.
func (h *Handler) savePreferences(w http.ResponseWriter, r *http.Request) {
	privateHeaders(w)
	r.Body = http.MaxBytesReader(w, r.Body, maxLinkBody)
	tok := r.PathValue("token")
	if err := r.ParseForm(); err != nil {
		h.fail(w, r, herald.Errorf(herald.EINVALID, "We could not read that form. Please try again."))
		return
	}
	var err error
	if r.PostForm.Get("unsubscribe_all") != "" {
		err = h.Subscribe.UnsubscribeAll(r.Context(), tok, request(r))
	} else {
		ticked := map[string]bool{}
		for _, slug := range r.PostForm["newsletter"] {
			ticked[slug] = true
		}
		err = h.Subscribe.SavePreferences(r.Context(), tok, ticked, request(r))
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/preferences/"+tok+"?saved=1", http.StatusSeeOther)
}
