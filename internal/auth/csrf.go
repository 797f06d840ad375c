package auth

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// CSRF protection follows Django's design, so a Django user finds what they
// expect: a secret in the csrftoken cookie, readable by JavaScript; a token
// masked afresh for each response (so a compression side channel such as
// BREACH cannot read it across responses), sent back in the form field
// csrfmiddlewaretoken or the X-CSRFToken header; and on top of that the
// Origin, or on HTTPS the Referer, of every unsafe request must be trusted.
const (
	CSRFCookie = "csrftoken"
	CSRFField  = "csrfmiddlewaretoken"
	CSRFHeader = "X-CSRFToken"
	// CSRFCookieAge is Django's 52 weeks.
	CSRFCookieAge = 52 * 7 * 24 * time.Hour
)

const (
	csrfChars     = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
	csrfSecretLen = 32
	csrfTokenLen  = 2 * csrfSecretLen
)

// CSRFError says why an unsafe request was refused. Key names the reason,
// which the back office words in the operator's language ("csrf." messages
// of internal/i18n/locales/admin); Arg is the origin or referer at fault,
// if any.
type CSRFError struct {
	Key string
	Arg string
}

// Error is the reason for logs: its key and the origin at fault.
func (e *CSRFError) Error() string {
	if e.Arg == "" {
		return "CSRF check failed: " + e.Key
	}
	return "CSRF check failed: " + e.Key + " " + e.Arg
}

// CSRF checks unsafe requests and hands out masked tokens.
type CSRF struct {
	trusted []string // "scheme://host[:port]", or "scheme://*.domain" for subdomains
	secure  bool
}

// NewCSRF trusts the origin of base and each trusted origin, written like
// Django's CSRF_TRUSTED_ORIGINS: "https://admin.example.org" or
// "https://*.example.org".
func NewCSRF(base *url.URL, trusted []string) (*CSRF, error) {
	c := &CSRF{secure: base != nil && base.Scheme == "https"}
	if base != nil {
		c.trusted = append(c.trusted, strings.ToLower(base.Scheme+"://"+base.Host))
	}
	for _, o := range trusted {
		u, err := url.Parse(o)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || (u.Path != "" && u.Path != "/") {
			return nil, fmt.Errorf("CSRF trusted origin %q: want scheme://host such as https://admin.example.org", o)
		}
		c.trusted = append(c.trusted, strings.ToLower(u.Scheme+"://"+u.Host))
	}
	return c, nil
}

func (c *CSRF) trustedOrigin(origin string) bool {
	origin = strings.ToLower(origin)
	for _, t := range c.trusted {
		if t == origin {
			return true
		}
		if scheme, dom, ok := strings.Cut(t, "://*."); ok {
			if rest, ok := strings.CutPrefix(origin, scheme+"://"); ok && strings.HasSuffix(rest, "."+dom) {
				return true
			}
		}
	}
	return false
}

// safeMethod: RFC 9110's safe methods change nothing and are not checked.
func safeMethod(m string) bool {
	return m == http.MethodGet || m == http.MethodHead || m == http.MethodOptions || m == http.MethodTrace
}

type csrfKey struct{}

// csrfState is the secret of one request, shared by every Token call so the
// cookie is set at most once per response.
type csrfState struct {
	secret string
	sent   bool
}

// Protect refuses unsafe requests that fail the checks, handing the
// *CSRFError to fail; requests that pass go to next with their secret ready
// for Token.
func (c *CSRF) Protect(next http.Handler, fail func(http.ResponseWriter, *http.Request, error)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		st := &csrfState{secret: cookieSecret(r)}
		r = r.WithContext(context.WithValue(r.Context(), csrfKey{}, st))
		// A request authenticated by an API token (Bearer, which runs
		// before) is exempt. CSRF abuses credentials a browser attaches by
		// itself, cookies; a bearer token is never attached by a browser,
		// and another origin cannot add an Authorization header to a
		// cross-site request without a CORS preflight, which charte never
		// grants. Bearer also ignores any session cookie sent alongside, so
		// the exemption cannot lend a cookie's authority to a forged request.
		if id, ok := FromContext(r.Context()); ok && id.Token != nil {
			next.ServeHTTP(w, r)
			return
		}
		if !safeMethod(r.Method) {
			if err := c.check(r, st.secret); err != nil {
				fail(w, r, err)
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

// ErrBadForm is returned for a body that does not parse as the form its
// Content-Type announces; the caller answers 400.
var ErrBadForm = errors.New("malformed form body")

// maxMemory is what a multipart form may hold in memory before its files
// spill to disk; the body limit caps the total anyway.
const maxMemory = 32 << 20

func parseForm(r *http.Request) error {
	var err error
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt == "multipart/form-data" {
		err = r.ParseMultipartForm(maxMemory)
	} else {
		err = r.ParseForm()
	}
	var tooLarge *http.MaxBytesError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &tooLarge):
		return tooLarge
	default:
		return fmt.Errorf("%w: %v", ErrBadForm, err)
	}
}

// check is Django's CsrfViewMiddleware.process_view, in the same order.
func (c *CSRF) check(r *http.Request, secret string) error {
	if origin := r.Header.Get("Origin"); origin != "" {
		if !c.trustedOrigin(origin) {
			return &CSRFError{Key: "origin", Arg: origin}
		}
	} else if c.secure {
		ref := r.Header.Get("Referer")
		if ref == "" {
			return &CSRFError{Key: "referer.missing"}
		}
		u, err := url.Parse(ref)
		switch {
		case err != nil || u.Host == "":
			return &CSRFError{Key: "referer.mismatch", Arg: ref}
		case u.Scheme != "https":
			return &CSRFError{Key: "referer.insecure", Arg: ref}
		case !c.trustedOrigin(u.Scheme + "://" + u.Host):
			return &CSRFError{Key: "referer.mismatch", Arg: u.Scheme + "://" + u.Host}
		}
	}
	if secret == "" {
		return &CSRFError{Key: "cookie"}
	}
	token := r.Header.Get(CSRFHeader)
	if token == "" {
		// Parsed here, with its error kept, rather than by PostFormValue,
		// which drops it: a body over the size limit is then told as such
		// (a *http.MaxBytesError, 413), not as a missing token.
		if err := parseForm(r); err != nil {
			return err
		}
		token = r.PostFormValue(CSRFField)
	}
	if token == "" {
		return &CSRFError{Key: "missing"}
	}
	got, ok := unmask(token)
	if !ok || subtle.ConstantTimeCompare([]byte(got), []byte(secret)) != 1 {
		return &CSRFError{Key: "incorrect"}
	}
	return nil
}

// Token returns a freshly masked token for a form or a page's meta tag,
// setting the csrftoken cookie when the browser has none yet. It also works
// outside Protect (the public charter page's language form).
func (c *CSRF) Token(w http.ResponseWriter, r *http.Request) string {
	st, ok := r.Context().Value(csrfKey{}).(*csrfState)
	if !ok {
		st = &csrfState{secret: cookieSecret(r)}
	}
	if st.secret == "" {
		st.secret = newSecret()
		st.sent = false
	}
	if !st.sent {
		c.setCookie(w, st.secret)
		st.sent = true
	}
	return mask(st.secret)
}

// Rotate gives the browser a new secret, at login: a token an attacker
// planted or read before then is worth nothing after.
func (c *CSRF) Rotate(w http.ResponseWriter, r *http.Request) {
	secret := newSecret()
	if st, ok := r.Context().Value(csrfKey{}).(*csrfState); ok {
		st.secret, st.sent = secret, true
	}
	c.setCookie(w, secret)
}

func (c *CSRF) setCookie(w http.ResponseWriter, secret string) {
	// Not HttpOnly: the back office's script reads it for X-CSRFToken.
	// Secure on HTTPS, like every cookie charte sets (Django leaves
	// CSRF_COOKIE_SECURE off by default and recommends it on in production):
	// a secret sent over plain HTTP could be read on the way.
	http.SetCookie(w, &http.Cookie{
		Name: CSRFCookie, Value: secret, Path: "/", Secure: c.secure,
		MaxAge: int(CSRFCookieAge / time.Second), SameSite: http.SameSiteLaxMode,
	})
}

// cookieSecret returns the secret of the request's cookie, or "" when it
// is absent or malformed (then a new one is issued).
func cookieSecret(r *http.Request) string {
	c, err := r.Cookie(CSRFCookie)
	if err != nil || len(c.Value) != csrfSecretLen || !csrfAlphabet(c.Value) {
		return ""
	}
	return c.Value
}

func csrfAlphabet(s string) bool {
	for i := 0; i < len(s); i++ {
		if strings.IndexByte(csrfChars, s[i]) < 0 {
			return false
		}
	}
	return true
}

func randomChars(n int) string {
	b := make([]byte, n)
	// rand.Text would do for the secret, but masks need this alphabet too;
	// 62 does not divide 256, so rejection keeps every character equally likely.
	out := make([]byte, 0, n)
	for len(out) < n {
		rand.Read(b)
		for _, x := range b {
			if x < 248 && len(out) < n {
				out = append(out, csrfChars[int(x)%len(csrfChars)])
			}
		}
	}
	return string(out)
}

func newSecret() string { return randomChars(csrfSecretLen) }

// mask returns mask+cipher where cipher[i] = secret[i] + mask[i] in the
// alphabet: Django's _mask_cipher_secret.
func mask(secret string) string {
	m := randomChars(csrfSecretLen)
	out := make([]byte, csrfTokenLen)
	copy(out, m)
	for i := range csrfSecretLen {
		x := strings.IndexByte(csrfChars, secret[i]) + strings.IndexByte(csrfChars, m[i])
		out[csrfSecretLen+i] = csrfChars[x%len(csrfChars)]
	}
	return string(out)
}

// unmask accepts a masked token or, as Django does, the bare secret (a
// script may copy the cookie into the header).
func unmask(token string) (string, bool) {
	if !csrfAlphabet(token) {
		return "", false
	}
	switch len(token) {
	case csrfSecretLen:
		return token, true
	case csrfTokenLen:
	default:
		return "", false
	}
	out := make([]byte, csrfSecretLen)
	n := len(csrfChars)
	for i := range csrfSecretLen {
		x := strings.IndexByte(csrfChars, token[csrfSecretLen+i]) - strings.IndexByte(csrfChars, token[i])
		out[i] = csrfChars[(x%n+n)%n]
	}
	return string(out), true
}
