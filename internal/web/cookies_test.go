package web_test

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/charte/charte/internal/auth"
	"github.com/charte/charte/internal/store"
	"github.com/charte/charte/internal/store/storetest"
	"github.com/charte/charte/internal/web"
)

// cookieRecorder is a client that keeps every Set-Cookie charte sends and
// sends cookies back by name alone. It is not net/http/cookiejar because
// the https variant of the test serves over plain http: a real jar would
// keep Secure cookies to itself, and this test is about what the server
// sets, not what a browser would return.
type cookieRecorder struct {
	t       *testing.T
	base    string // where the server really listens
	origin  string // the public origin (Config.BaseURL), sent as Origin
	jar     map[string]string
	lines   []string // every Set-Cookie line, with the request that got it
	from    []string
	csrfTok string
}

func (c *cookieRecorder) do(method, path string, form url.Values) (int, string) {
	c.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, _ := http.NewRequest(method, c.base+path, body)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Origin", c.origin)
		req.Header.Set("Referer", c.origin+"/admin/")
	}
	for k, v := range c.jar {
		req.AddCookie(&http.Cookie{Name: k, Value: v})
	}
	res, err := (&http.Transport{}).RoundTrip(req) // no redirects followed
	if err != nil {
		c.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	for _, line := range res.Header.Values("Set-Cookie") {
		c.lines, c.from = append(c.lines, line), append(c.from, method+" "+path)
		sc, err := http.ParseSetCookie(line)
		if err != nil {
			c.t.Fatalf("%s %s: unparsable Set-Cookie %q: %v", method, path, line, err)
		}
		if sc.MaxAge < 0 {
			delete(c.jar, sc.Name)
		} else {
			c.jar[sc.Name] = sc.Value
		}
	}
	if m := regexp.MustCompile(`name="csrfmiddlewaretoken" value="([A-Za-z0-9]+)"`).FindStringSubmatch(string(b)); m != nil {
		c.csrfTok = m[1]
	}
	return res.StatusCode, string(b)
}

func (c *cookieRecorder) post(path string, form url.Values) int {
	form.Set("csrfmiddlewaretoken", c.csrfTok)
	status, body := c.do("POST", path, form)
	if status >= 400 {
		c.t.Errorf("POST %s: %d %s", path, status, body)
	}
	return status
}

// TestCharteSetsExactlyItsCharterCookies walks the front office and every
// back-office page and checks that charte sets exactly the cookies its own
// charter declares — sessionid, csrftoken, django_language — with the
// attributes of DESIGN.md's table. cookies_preferences is the fourth, but
// the banner script sets it in the browser, never the server.
//
// Secure: all three are Secure when the base URL is https — security
// defaults on, stricter than Django's defaults for csrftoken and
// django_language (CSRF_COOKIE_SECURE and LANGUAGE_COOKIE_SECURE are off
// there unless a deployment turns them on).
func TestCharteSetsExactlyItsCharterCookies(t *testing.T) {
	for _, scheme := range []string{"http", "https"} {
		t.Run(scheme, func(t *testing.T) {
			storetest.Engines(t, func(t *testing.T, st store.Store) {
				base, _ := url.Parse(scheme + "://charte.example")
				a := startAPIServer(t, st, web.Config{BaseURL: base})
				hash, err := auth.HashPassword(context.Background(), "a password long enough", auth.Params{Memory: 64, Time: 1, Threads: 1})
				if err != nil {
					t.Fatal(err)
				}
				if _, err := st.CreateUser(context.Background(), auth.User{Email: "owner@example.org", PasswordHash: hash, Role: auth.Owner}); err != nil {
					t.Fatal(err)
				}
				c := &cookieRecorder{t: t, base: a.URL, origin: base.Scheme + "://" + base.Host, jar: map[string]string{}}

				// Front office, as a visitor: home, charters, the demo page,
				// the banner, the registry, a consent (posted cross-origin by
				// the banner, no cookie involved) and the proof.
				for _, p := range []string{"/", "/sites/opendata-pau/charter", "/sites/demo/charter?lang=en", "/sites/demo/demo",
					"/sites/demo/banner.js", "/api/v1/sites/demo/cookies", "/api/v1/sites/demo/proof/head", "/healthz"} {
					if status, _ := c.do("GET", p, nil); status != 200 {
						t.Errorf("GET %s: %d", p, status)
					}
				}
				if status, _, _ := a.post(t, "demo", siteOrigin, "application/json", consentBody("AAAAAAAAAAAAAAAAAAAAAA", a.rev, "custom", true, false)); status != 201 {
					t.Errorf("consent: %d", status)
				}
				// The demo page's "video" is not charte's: it plays a third-party
				// host, loaded only after consent, setting the demo registry's
				// marketing cookies; it is left out here on purpose.

				// Back office: login, every page, the language, logout.
				c.do("GET", "/admin/login", nil)
				if status := c.post("/admin/login", url.Values{"email": {"owner@example.org"}, "password": {"a password long enough"}}); status != 303 {
					t.Fatalf("login: %d", status)
				}
				for _, p := range []string{"/admin/", "/admin/password", "/admin/audit", "/admin/users", "/admin/tokens",
					"/admin/sites/demo/", "/admin/sites/demo/registry", "/admin/sites/demo/categories/statistics", "/admin/sites/demo/cookies/0",
					"/admin/sites/demo/texts", "/admin/sites/demo/preview", "/admin/sites/demo/publish", "/admin/sites/demo/stats",
					"/admin/sites/demo/stats?days=90", "/admin/sites/demo/consents", "/admin/sites/demo/consents/1", "/admin/sites/demo/verify",
					"/admin/sites/demo/export.yaml", "/admin/sites/demo/consents.csv", "/admin/sites/demo/consents.json",
					"/api/v1/sites", "/api/v1/sites/demo/stats", "/api/v1/openapi.json"} {
					if status, body := c.do("GET", p, nil); status != 200 {
						t.Errorf("GET %s: %d %.200s", p, status, body)
					}
				}
				c.post("/i18n/setlang", url.Values{"language": {"en"}, "next": {"/admin/"}})
				if _, body := c.do("GET", "/admin/", nil); !strings.Contains(body, "Dashboard") {
					t.Errorf("the language choice did not take")
				}
				c.post("/admin/logout", url.Values{})

				// What was set, and how.
				secure := scheme == "https"
				want := map[string]struct {
					httpOnly, secure bool
					maxAge           int
				}{
					"sessionid":       {true, secure, 1209600},
					"csrftoken":       {false, secure, 31449600},
					"django_language": {false, secure, 31536000},
				}
				seen := map[string]bool{}
				for i, line := range c.lines {
					sc, _ := http.ParseSetCookie(line)
					w, ok := want[sc.Name]
					if !ok {
						t.Errorf("%s set %q, which is not a cookie of charte's charter: %s", c.from[i], sc.Name, line)
						continue
					}
					seen[sc.Name] = true
					deletion := sc.MaxAge < 0
					if sc.HttpOnly != w.httpOnly || sc.Secure != w.secure || sc.SameSite != http.SameSiteLaxMode || sc.Path != "/" ||
						(!deletion && sc.MaxAge != w.maxAge) || sc.Domain != "" {
						t.Errorf("%s: %s, want HttpOnly=%v Secure=%v SameSite=Lax Path=/ Max-Age=%d, host-only", c.from[i], line, w.httpOnly, w.secure, w.maxAge)
					}
					if deletion && (sc.Name != "sessionid" || c.from[i] != "POST /admin/logout") {
						t.Errorf("%s deletes %s", c.from[i], sc.Name)
					}
				}
				var names []string
				for n := range seen {
					names = append(names, n)
				}
				slices.Sort(names)
				if !slices.Equal(names, []string{"csrftoken", "django_language", "sessionid"}) {
					t.Errorf("charte set %v, want csrftoken, django_language and sessionid", names)
				}
				if _, ok := c.jar["sessionid"]; ok {
					t.Errorf("logout left the sessionid cookie in place")
				}
			})
		})
	}
}
