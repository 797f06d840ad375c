package admin

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/charte/charte/internal/auth"
	"github.com/charte/charte/registry"
)

// maxEmail is the longest address RFC 5321 lets through (254 bytes).
const maxEmail = 254

type loginData struct {
	Email, Next string
}

func (a *Admin) LoginForm(w http.ResponseWriter, r *http.Request) error {
	p := a.newPage(w, r, "login.title")
	p.Data = loginData{Next: safeNext(r.URL.Query().Get("next"))}
	return a.render(w, "login", p)
}

// safeNext keeps a post-login redirect inside the back office.
func safeNext(next string) string {
	if auth.LocalPath(next) && strings.HasPrefix(next, "/admin/") {
		return next
	}
	return "/admin/"
}

// login answers an unknown email and a wrong password with the same page,
// status and (through auth.VerifyPassword's dummy hash) the same time, so
// the form does not reveal who has an account.
func (a *Admin) Login(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	email, pw := strings.TrimSpace(r.PostFormValue("email")), r.PostFormValue("password")
	next := safeNext(r.PostFormValue("next"))
	// The email reaches the database in the throttle and the account
	// lookup, and PostgreSQL refuses a NUL byte or invalid UTF-8 with an
	// error that was a 500. No account has such an address: refuse it
	// first, naming the field, and count nothing.
	if registry.CheckText(email, false) != nil || len(email) > maxEmail {
		p := a.newPage(w, r, "login.title")
		p.Message = msg(p.Lang, "login.bademail")
		p.Data = loginData{Next: next}
		return a.renderStatus(w, "login", http.StatusUnprocessableEntity, p)
	}
	ip := a.cfg.ClientAddr.From(r)
	// Reserved before the password is hashed: a throttled attempt costs no
	// hash, and concurrent attempts cannot all pass the check at once.
	attempt, err := a.reserve(ctx, email, ip)
	if err != nil {
		return err
	}
	u, err := a.st.UserByEmail(ctx, email)
	if err != nil && !errorsIsNotFound(err) {
		return err
	}
	ok, err := auth.VerifyPassword(ctx, u.PasswordHash, pw)
	if err != nil {
		// Not evaluated (no hashing slot): the reservation is given back.
		return errors.Join(err, attempt.Forget(ctx))
	}
	if !ok {
		a.log.Warn("login failed", "email", email, "ip", ip)
		p := a.newPage(w, r, "login.title")
		p.Message = msg(p.Lang, "login.wrong")
		p.Data = loginData{Email: email, Next: next}
		return a.renderStatus(w, "login", http.StatusOK, p)
	}
	if err := attempt.Succeeded(ctx); err != nil {
		return err
	}
	if _, err := a.sessions.Login(w, r, u); err != nil {
		return err
	}
	a.csrf.Rotate(w, r)
	a.auditAs(r, u.Email, "", "login", nil)
	http.Redirect(w, r, next, http.StatusSeeOther)
	return nil
}

// reserve counts a password check against the throttle, or answers 429
// with Retry-After when a limit is reached.
func (a *Admin) reserve(ctx context.Context, email, ip string) (*auth.Attempt, error) {
	attempt, wait, err := a.throttle.Reserve(ctx, email, ip)
	if err != nil {
		return nil, err
	}
	if wait > 0 {
		a.log.Warn("login throttled", "email", email, "ip", ip, "retry_after", wait)
		e := errorf(http.StatusTooManyRequests, "login.throttled", "Count", int(wait.Minutes())+1)
		e.header = http.Header{"Retry-After": {fmt.Sprint(int(wait.Seconds()))}}
		return nil, e
	}
	return attempt, nil
}

func (a *Admin) Logout(w http.ResponseWriter, r *http.Request) error {
	id, _ := auth.FromContext(r.Context())
	if err := a.sessions.Logout(w, r); err != nil {
		return err
	}
	a.auditAs(r, id.User.Email, "", "logout", nil)
	http.Redirect(w, r, "/admin/login", http.StatusSeeOther)
	return nil
}

func (a *Admin) PasswordForm(w http.ResponseWriter, r *http.Request) error {
	return a.render(w, "password", a.newPage(w, r, "password.title"))
}

// changePassword ends every session of the account, this one included,
// then signs this browser in again under a new session id: whoever else
// held a session, or the old password, is out.
func (a *Admin) ChangePassword(w http.ResponseWriter, r *http.Request) error {
	id, _ := auth.FromContext(r.Context())
	p := a.newPage(w, r, "password.title")
	current, pw, again := r.PostFormValue("current"), r.PostFormValue("password"), r.PostFormValue("again")
	// The current password is throttled like a login: a stolen session
	// must not become a way to guess it.
	attempt, err := a.reserve(r.Context(), id.User.Email, a.cfg.ClientAddr.From(r))
	if err != nil {
		return err
	}
	ok, err := auth.VerifyPassword(r.Context(), id.User.PasswordHash, current)
	if err != nil {
		return errors.Join(err, attempt.Forget(r.Context()))
	}
	if ok {
		if err := attempt.Succeeded(r.Context()); err != nil {
			return err
		}
	}
	switch {
	case !ok:
		p.Message = msg(p.Lang, "password.wrong")
	case passwordProblem(pw) != "":
		p.Message = msg(p.Lang, passwordProblem(pw))
	case pw != again:
		p.Message = msg(p.Lang, "password.differ")
	}
	if p.Message != "" {
		return a.renderStatus(w, "password", http.StatusUnprocessableEntity, p)
	}
	hash, err := auth.HashPassword(r.Context(), pw, a.cfg.Params)
	if err != nil {
		return err
	}
	if err := a.st.SetPassword(r.Context(), id.User.ID, hash); err != nil {
		return err
	}
	id.User.PasswordHash = hash
	if _, err := a.sessions.Login(w, r, id.User); err != nil {
		return err
	}
	a.csrf.Rotate(w, r)
	a.audit(r, "", "password.change", nil)
	http.Redirect(w, r, "/admin/?done=flash.password", http.StatusSeeOther)
	return nil
}

// audit records an action of the signed-in user. A failure to write the
// audit log is logged, not shown: the action itself already happened.
func (a *Admin) audit(r *http.Request, site, action string, detail map[string]any) {
	id, _ := auth.FromContext(r.Context())
	a.auditAs(r, id.User.Email, site, action, detail)
}

func (a *Admin) auditAs(r *http.Request, email, site, action string, detail map[string]any) {
	e := auth.AuditEntry{Email: email, SiteID: site, Action: action, Detail: detail, IP: a.cfg.ClientAddr.From(r)}
	if err := a.st.AppendAudit(r.Context(), e); err != nil {
		a.log.Error("audit log", "action", action, "err", err)
	}
}
