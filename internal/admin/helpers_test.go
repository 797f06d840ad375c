package admin_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/charte/charte/internal/auth"
	"github.com/charte/charte/internal/proof"
	"github.com/charte/charte/internal/store"
	"github.com/charte/charte/internal/store/storetest"
	"github.com/charte/charte/internal/web"
)

// cheap argon2id costs keep the tests fast; the code path is the real one.
var cheap = auth.Params{Memory: 64, Time: 1, Threads: 1}

const password = "a password long enough"

// env is a real back office on a real store, served over HTTP.
type env struct {
	t    *testing.T
	st   store.Store
	srv  *httptest.Server
	base *url.URL
}

// seedWithRecords publishes the demo sites and gives each one consent
// record, an hour old, so every page has something of its own to show.
func seedWithRecords(t testing.TB, st store.Store) {
	t.Helper()
	for _, s := range storetest.Seed(t, st) {
		rev, err := st.Published(context.Background(), s.ID)
		if err != nil {
			t.Fatal(err)
		}
		rec := proof.Record{ID: "rec-" + s.ID, SiteID: s.ID, ConsentID: "visitor-of-" + s.ID, Time: time.Now().Add(-time.Hour),
			Action: proof.AcceptAll, Decisions: map[string]bool{"statistics": true}, Revision: rev.ID, Language: "fr", Page: "/", IP: "192.0.2.0"}
		if _, err := st.AppendConsents(context.Background(), []proof.Record{rec}); err != nil {
			t.Fatal(err)
		}
	}
}

// newEnv seeds the demo sites (published, with consent records on both)
// and one account per role; editor and viewer work on "demo" only.
func newEnv(t *testing.T, st store.Store) *env {
	t.Helper()
	return newEnvConfig(t, st, web.Config{})
}

// newEnvConfig is newEnv with cfg's fields besides BaseURL and
// PasswordParams.
func newEnvConfig(t *testing.T, st store.Store, cfg web.Config) *env {
	t.Helper()
	ctx := context.Background()
	seedWithRecords(t, st)
	var err error
	for _, u := range []auth.User{
		{Email: "owner@example.org", Role: auth.Owner},
		{Email: "admin@example.org", Role: auth.Admin},
		{Email: "editor@example.org", Role: auth.Editor, Sites: []string{"demo"}},
		{Email: "viewer@example.org", Role: auth.Viewer, Sites: []string{"demo"}},
	} {
		if u.PasswordHash, err = auth.HashPassword(context.Background(), password, cheap); err != nil {
			t.Fatal(err)
		}
		if _, err := st.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
	}
	e := &env{t: t, st: st, srv: httptest.NewUnstartedServer(nil)}
	e.srv.Start()
	t.Cleanup(e.srv.Close)
	e.base, _ = url.Parse(e.srv.URL)
	cfg.BaseURL, cfg.PasswordParams = e.base, cheap
	e.serve(cfg)
	return e
}

// browser is a client with its own cookie jar that does not follow
// redirects, so each answer can be checked.
type browser struct {
	e    *env
	c    *http.Client
	jar  *cookiejar.Jar
	lang string
	auth string // an API token sent as "Authorization: Bearer"
}

func (e *env) browser() *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{e: e, jar: jar, c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}}
}

type resp struct {
	status int
	header http.Header
	body   string
}

func (b *browser) do(method, path string, form url.Values, header map[string]string) resp {
	b.e.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	return b.send(method, path, body, form != nil, header)
}

// doBody sends a raw body, such as JSON; header sets its Content-Type.
func (b *browser) doBody(method, path, body string, header map[string]string) resp {
	return b.send(method, path, strings.NewReader(body), false, header)
}

func (b *browser) send(method, path string, body io.Reader, isForm bool, header map[string]string) resp {
	b.e.t.Helper()
	req, err := http.NewRequest(method, b.e.srv.URL+path, body)
	if err != nil {
		b.e.t.Fatal(err)
	}
	if isForm {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if b.auth != "" {
		req.Header.Set("Authorization", "Bearer "+b.auth)
	} else {
		req.Header.Set("Origin", b.e.srv.URL) // what a browser sends with a form post
	}
	if b.lang != "" {
		req.Header.Set("Accept-Language", b.lang)
	}
	for k, v := range header {
		if v == "" {
			req.Header.Del(k)
		} else {
			req.Header.Set(k, v)
		}
	}
	res, err := b.c.Do(req)
	if err != nil {
		b.e.t.Fatal(err)
	}
	defer res.Body.Close()
	data, _ := io.ReadAll(res.Body)
	return resp{res.StatusCode, res.Header, string(data)}
}

func (b *browser) get(path string) resp { return b.do("GET", path, nil, nil) }

var tokenRE = regexp.MustCompile(`name="csrfmiddlewaretoken" value="([A-Za-z0-9]+)"`)

// token fetches a page and returns the masked CSRF token of its forms.
func (b *browser) token() string {
	b.e.t.Helper()
	r := b.get("/admin/login")
	m := tokenRE.FindStringSubmatch(r.body)
	if m == nil {
		b.e.t.Fatalf("no CSRF token in the login page: %d %s", r.status, r.body)
	}
	return m[1]
}

// post sends a form with a fresh valid token.
func (b *browser) post(path string, form url.Values) resp {
	if form == nil {
		form = url.Values{}
	}
	form.Set("csrfmiddlewaretoken", b.token())
	return b.do("POST", path, form, nil)
}

func (b *browser) login(email, pw string) resp {
	return b.post("/admin/login", url.Values{"email": {email}, "password": {pw}})
}

// signedIn returns a browser signed in as email.
func (e *env) signedIn(email string) *browser {
	e.t.Helper()
	b := e.browser()
	if r := b.login(email, password); r.status != http.StatusSeeOther {
		e.t.Fatalf("login as %s: %d %s", email, r.status, r.body)
	}
	return b
}

func (b *browser) cookie(name string) *http.Cookie {
	for _, c := range b.jar.Cookies(b.e.base) {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// setCookieHeader returns the raw Set-Cookie line for name in r.
func setCookieHeader(r resp, name string) string {
	for _, l := range r.header.Values("Set-Cookie") {
		if strings.HasPrefix(l, name+"=") {
			return l
		}
	}
	return ""
}

// serve answers e's requests with a whole charte server built with cfg: the
// back office is reached through the server's one route table, as in
// production.
func (e *env) serve(cfg web.Config) {
	e.t.Helper()
	srv, err := web.New(cfg, e.st, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		e.t.Fatal(err)
	}
	e.t.Cleanup(func() { srv.Close() })
	e.srv.Config.Handler = srv.Handler()
}
