package admin

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"io"
	"math"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/internal/auth"
	"github.com/herald-news/herald/internal/sqldb"
	"github.com/herald-news/herald/internal/web"
)

// SessionCookie is the name of the admin's session cookie.
const SessionCookie = "herald_session"

// signInLimits: attempts per client address, and failures per address
// tried (whether or not it has an account) before each further try waits
// a doubling delay. Shared by every node through the database.
var signInLimits = sqldb.SignInLimits{
	PerAddress: 20, AddressWindow: 15 * time.Minute,
	FreeFailures: 5, AccountWindow: time.Hour, MaxDelay: 5 * time.Minute,
}

const touchEvery = 5 * time.Minute // how stale last_seen may get before a write refreshes it

type sessionKey struct{}

type sessionValue struct {
	sess   *herald.Session
	secret string
}

func withSession(ctx context.Context, sess *herald.Session, secret string) context.Context {
	return context.WithValue(ctx, sessionKey{}, sessionValue{sess, secret})
}

// currentUser is the signed-in user of a guarded request.
func currentUser(r *http.Request) *herald.User {
	v, _ := r.Context().Value(sessionKey{}).(sessionValue)
	if v.sess == nil {
		return nil
	}
	return v.sess.User
}

// csrfToken is the token the forms of a guarded request carry: an HMAC of
// a fixed purpose under the session's secret, so it needs no storage and
// dies with the session.
func csrfToken(r *http.Request) string {
	v, _ := r.Context().Value(sessionKey{}).(sessionValue)
	return csrfFor(v.secret)
}

func csrfFor(secret string) string {
	if secret == "" {
		return ""
	}
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte("herald admin csrf v1"))
	return base64.RawURLEncoding.EncodeToString(mac.Sum(nil))
}

// validCSRF checks the X-CSRF-Token header (scripts) or the form field
// "csrf" against the session's token, in constant time. A multipart form
// (an upload) is not parsed for it: the token must be its first field, as
// the admin's forms put it, and only that much of the body is read.
func (h *Handler) validCSRF(r *http.Request, secret string) bool {
	got := r.Header.Get("X-CSRF-Token")
	if got == "" {
		if ct, params, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err == nil && ct == "multipart/form-data" {
			got = firstFieldCSRF(r, params["boundary"])
		} else {
			got = r.PostFormValue("csrf") // parses an urlencoded body, at most net/http's 10 MB
		}
	}
	want := csrfFor(secret)
	return got != "" && hmac.Equal([]byte(got), []byte(want))
}

// csrfPeekBytes is as much of a multipart body as firstFieldCSRF reads.
const csrfPeekBytes = 8 << 10

// firstFieldCSRF returns the value of a multipart body's first part when
// that part is the "csrf" field, reading at most csrfPeekBytes of the
// body, and puts what it read back in front of the rest for the handler.
func firstFieldCSRF(r *http.Request, boundary string) string {
	if boundary == "" || r.Body == nil {
		return ""
	}
	var read bytes.Buffer
	parts := multipart.NewReader(io.TeeReader(io.LimitReader(r.Body, csrfPeekBytes), &read), boundary)
	token := ""
	if p, err := parts.NextPart(); err == nil && p.FormName() == "csrf" && p.FileName() == "" {
		b, _ := io.ReadAll(io.LimitReader(p, 256))
		token = string(b)
	}
	r.Body = replayedBody{io.MultiReader(&read, r.Body), r.Body}
	return token
}

// replayedBody is a request body with the bytes already read put back.
type replayedBody struct {
	io.Reader
	io.Closer
}

// session returns the request's live session and its cookie secret.
func (h *Handler) session(r *http.Request) (*herald.Session, string, error) {
	c, err := r.Cookie(SessionCookie)
	if err != nil || !strings.HasPrefix(c.Value, auth.SessionPrefix) || len(c.Value) > 100 {
		return nil, "", herald.Errorf(herald.EUNAUTHORIZED, "Please sign in.")
	}
	sess, err := h.Staff.FindSession(r.Context(), auth.HashSecret(c.Value), h.SessionIdle)
	if err != nil {
		return nil, "", err
	}
	if h.Clock.Now().Sub(sess.LastSeen) > touchEvery {
		if err := h.Staff.TouchSession(r.Context(), sess.ID); err != nil {
			h.Logger.Warn("admin: refresh session", "err", err)
		}
	}
	return sess, c.Value, nil
}

// signInFirst sends a reader without a session to the sign-in page, or
// answers 401 to anything but a page load.
func (h *Handler) signInFirst(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet {
		h.fail(w, r, herald.Errorf(herald.EUNAUTHORIZED, "Your session has ended. Sign in again, then retry."))
		return
	}
	http.Redirect(w, r, "/admin/sign-in?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
}

// nextPath keeps a post-sign-in redirect inside the admin and the pages
// it guards (the development inbox).
func nextPath(s string) string {
	if (!strings.HasPrefix(s, "/admin/") && !strings.HasPrefix(s, "/dev/inbox/")) || strings.HasPrefix(s, "//") || strings.ContainsAny(s, "\\\r\n") {
		return "/admin/"
	}
	return s
}

type signInData struct {
	Email, Next, Error string
	NoStaff            bool // no accounts yet: say how to make the first
}

func (h *Handler) signInPage(w http.ResponseWriter, r *http.Request) {
	if _, _, err := h.session(r); err == nil {
		http.Redirect(w, r, nextPath(r.URL.Query().Get("next")), http.StatusSeeOther)
		return
	}
	users, err := h.Staff.Users(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, "signin", "Sign in", signInData{Next: nextPath(r.URL.Query().Get("next")), NoStaff: len(users) == 0})
}

// signIn checks an address and password. Every failure gets the same
// answer, and a wrong address costs as much time as a wrong password, so
// the form tells no one which addresses have accounts.
func (h *Handler) signIn(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	email := strings.ToLower(strings.TrimSpace(r.PostFormValue("email")))
	password := r.PostFormValue("password")
	data := signInData{Email: email, Next: nextPath(r.PostFormValue("next"))}
	ipKey, accountKey := "ip:"+web.ClientIP(r), "account:"+auth.HashSecret(email)
	attempt, err := h.Staff.ReserveSignIn(ctx, ipKey, accountKey, signInLimits)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if attempt.Wait > 0 {
		h.refuseSignIn(w, r, data, attempt.Wait, "Too many failed sign-ins. Wait "+waitWords(attempt.Wait)+
			" and try again, or ask an admin to reset your password.")
		return
	}
	user, err := h.Staff.FindUserByEmail(ctx, email)
	ok := false
	if err == nil && user.Active() {
		ok, err = auth.VerifyPassword(ctx, user.PasswordHash, password)
	} else {
		err = auth.VerifyNobody(ctx, password)
	}
	if errors.Is(err, auth.ErrBusy) {
		// Nothing was checked: the reservation stays, as a try would.
		h.refuseSignIn(w, r, data, auth.BusyRetryAfter, herald.ErrorMessage(err))
		return
	}
	if !ok {
		h.Logger.Warn("admin: failed sign-in", "ip", web.ClientIP(r))
		data.Error = "That address and password don't match an active account."
		h.render(w, r, http.StatusUnauthorized, "signin", "Sign in", data)
		return
	}
	if err := h.startSession(w, r, user); err != nil {
		h.fail(w, r, err)
		return
	}
	if err := h.Staff.SignedIn(ctx, attempt, accountKey); err != nil {
		h.Logger.Error("admin: forget sign-in failures", "err", err)
	}
	h.Logger.Info("admin: signed in", "user", user.Email, "ip", web.ClientIP(r))
	http.Redirect(w, r, data.Next, http.StatusSeeOther)
}

// refuseSignIn answers 429 with Retry-After; no password was checked.
func (h *Handler) refuseSignIn(w http.ResponseWriter, r *http.Request, data signInData, wait time.Duration, msg string) {
	w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(wait.Seconds()))))
	data.Error = msg
	h.render(w, r, http.StatusTooManyRequests, "signin", "Sign in", data)
}

// waitWords says a wait for a person: "3 seconds", "2 minutes".
func waitWords(d time.Duration) string {
	if d <= time.Minute {
		n := int(math.Ceil(d.Seconds()))
		if n == 1 {
			return "1 second"
		}
		return strconv.Itoa(n) + " seconds"
	}
	n := int(math.Ceil(d.Minutes()))
	return strconv.Itoa(n) + " minutes"
}

func (h *Handler) startSession(w http.ResponseWriter, r *http.Request, user *herald.User) error {
	secret, err := auth.NewSecret(auth.SessionPrefix)
	if err != nil {
		return err
	}
	sess := &herald.Session{UserID: user.ID, ExpiresAt: h.Clock.Now().Add(h.SessionTTL), IP: web.ClientIP(r), UserAgent: r.UserAgent()}
	if err := h.Staff.CreateSession(r.Context(), sess, auth.HashSecret(secret)); err != nil {
		return err
	}
	// Sessions past their expiry are cleared as new ones start.
	if _, err := h.Staff.DeleteExpiredSessions(r.Context()); err != nil {
		h.Logger.Warn("admin: clear expired sessions", "err", err)
	}
	h.setCookie(w, secret, sess.ExpiresAt)
	return nil
}

// sessionPaths are where the session cookie is sent: the admin, and the
// pages outside it that take a staff session (Guard, Can). The public
// site never sees it.
var sessionPaths = []string{"/admin", "/dev/inbox", "/metrics"}

// setCookie sets (or, with an empty value, clears) the session cookie on
// every one of sessionPaths.
func (h *Handler) setCookie(w http.ResponseWriter, value string, expires time.Time) {
	for _, path := range sessionPaths {
		c := &http.Cookie{Name: SessionCookie, Value: value, Path: path, HttpOnly: true, SameSite: http.SameSiteLaxMode,
			Secure: strings.HasPrefix(h.BaseURL, "https://")}
		if value == "" {
			c.MaxAge = -1
		} else {
			c.Expires = expires
		}
		http.SetCookie(w, c)
	}
}

func (h *Handler) shellRoutes() []route {
	return []route{
		{"POST /admin/sign-out", "", h.signOut},
		{"POST /admin/sign-out-everywhere", "", h.signOutEverywhere},
	}
}

func (h *Handler) signOut(w http.ResponseWriter, r *http.Request) {
	v, _ := r.Context().Value(sessionKey{}).(sessionValue)
	if err := h.Staff.DeleteSession(r.Context(), auth.HashSecret(v.secret)); err != nil {
		h.fail(w, r, err)
		return
	}
	h.setCookie(w, "", time.Time{})
	http.Redirect(w, r, "/admin/sign-in", http.StatusSeeOther)
}

func (h *Handler) signOutEverywhere(w http.ResponseWriter, r *http.Request) {
	if err := h.Staff.DeleteUserSessions(r.Context(), currentUser(r).ID); err != nil {
		h.fail(w, r, err)
		return
	}
	h.setCookie(w, "", time.Time{})
	http.Redirect(w, r, "/admin/sign-in", http.StatusSeeOther)
}
