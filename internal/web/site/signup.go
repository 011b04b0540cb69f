package site

import (
	"encoding/json"
	"net/http"
	"strings"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/internal/subscribe"
	"github.com/herald-news/herald/internal/web"
)

// maxSignupBody caps a signup POST; a real one is a few hundred bytes.
const maxSignupBody = 16 << 10

// signupAnswer is what the signup box says back.
type signupAnswer struct {
	OK      bool   `json:"ok"`
	Message string `json:"message"`
	Detail  string `json:"detail,omitempty"`
}

// signupResult is the page a signup without JavaScript answers with.
type signupResult struct {
	signupAnswer
	Box  *signupBox
	Back string
}

// subscribe handles the signup box. The answer is the same, byte for byte,
// whatever the address's state; with Accept: application/json it is JSON
// for the inline form, otherwise a page.
func (h *Handler) subscribe(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxSignupBody)
	form := subscribe.Form{IP: web.ClientIP(r), UserAgent: r.UserAgent()}
	var err error
	if perr := r.ParseForm(); perr != nil {
		// An oversized or garbled body is treated as a bad address: there
		// is no address in it we could accept.
		err = &herald.Error{Code: herald.EINVALID, Message: subscribe.MsgInvalid}
	} else {
		form.Email, form.Newsletter = r.PostForm.Get("email"), r.PostForm.Get("newsletter")
		form.Honeypot, form.Page = r.PostForm.Get("website"), localPath(r.PostForm.Get("page"))
		err = h.Subscribe.Signup(r.Context(), form)
	}
	answer, status := signupAnswer{OK: true, Message: subscribe.MsgThanks, Detail: subscribe.MsgConfirm}, http.StatusOK
	if err != nil {
		answer = signupAnswer{Message: herald.ErrorMessage(err)}
		status = web.ErrorStatus(err)
		if subscribe.IsRateLimited(err) {
			status = http.StatusTooManyRequests
		}
	}
	w.Header().Set("Cache-Control", "no-store")
	if strings.Contains(r.Header.Get("Accept"), "application/json") {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		json.NewEncoder(w).Encode(answer)
		return
	}
	result := signupResult{signupAnswer: answer, Back: form.Page}
	if n, ferr := h.Newsroom.FindNewsletter(r.Context(), form.Newsletter); ferr == nil {
		result.Box = boxFor(n, form.Page)
	}
	h.render(w, r, status, "signup", page{Title: answer.Message, Data: result, NoSignup: true, NoIndex: true})
}

// localPath keeps a same-site path and drops anything else, so the "back"
// link can never point off the site.
func localPath(p string) string {
	if !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") || strings.ContainsAny(p, "\\\r\n") || len(p) > 512 {
		return "/"
	}
	return p
}
