package admin_test

import (
	"context"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/charte/charte/internal/store"
	"github.com/charte/charte/internal/store/storetest"
	"github.com/charte/charte/internal/web"
)

// anyToken matches a masked CSRF token wherever a page carries one.
var anyToken = regexp.MustCompile(`[A-Za-z0-9]{64}`)

func TestLoginAnswersAlikeForUnknownUserAndWrongPassword(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, st store.Store) {
		e := newEnv(t, st)
		b := e.browser()
		unknown := b.login("nobody@example.org", "whatever password")
		wrong := b.login("owner@example.org", "whatever password")
		norm := func(r resp, email string) string {
			s := anyToken.ReplaceAllString(r.body, "TOKEN")
			return strings.ReplaceAll(s, email, "EMAIL")
		}
		if unknown.status != http.StatusOK || wrong.status != unknown.status || norm(unknown, "nobody@example.org") != norm(wrong, "owner@example.org") {
			t.Errorf("unknown user: %d, wrong password: %d; the pages differ or are not 200:\n%s\n---\n%s", unknown.status, wrong.status, unknown.body, wrong.body)
		}
		if !strings.Contains(wrong.body, "Adresse e-mail ou mot de passe incorrect.") {
			t.Errorf("the refusal does not say why (in French by default): %s", wrong.body)
		}
		if b.cookie("sessionid") != nil {
			t.Errorf("a failed login set a session cookie")
		}
	})
}

func TestSessionCookieLifecycle(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, st store.Store) {
		e := newEnv(t, st)
		b := e.browser()
		// An attacker plants a session id before the victim logs in.
		b.jar.SetCookies(e.base, []*http.Cookie{{Name: "sessionid", Value: "planted-by-attacker", Path: "/"}})
		r := b.login("owner@example.org", password)
		if r.status != http.StatusSeeOther || r.header.Get("Location") != "/admin/" {
			t.Fatalf("login: %d to %q", r.status, r.header.Get("Location"))
		}
		line := setCookieHeader(r, "sessionid")
		for _, attr := range []string{"Path=/", "Max-Age=1209600", "HttpOnly", "SameSite=Lax"} {
			if !strings.Contains(line, attr) {
				t.Errorf("sessionid cookie %q lacks %s", line, attr)
			}
		}
		if strings.Contains(line, "Secure") {
			t.Errorf("sessionid is Secure on an http base URL: %q", line)
		}
		first := b.cookie("sessionid").Value
		if first == "planted-by-attacker" {
			t.Fatalf("the planted session id was kept at login")
		}
		if r := b.get("/admin/"); r.status != http.StatusOK {
			t.Fatalf("dashboard after login: %d", r.status)
		}
		// Logging in again gives a new id and ends the old session.
		b.login("owner@example.org", password)
		second := b.cookie("sessionid").Value
		if second == first {
			t.Errorf("a second login kept the session id")
		}
		old := e.browser()
		old.jar.SetCookies(e.base, []*http.Cookie{{Name: "sessionid", Value: first, Path: "/"}})
		if r := old.get("/admin/"); r.status != http.StatusSeeOther {
			t.Errorf("the replaced session still works: %d", r.status)
		}
		// Logout deletes the session server-side: a copy of the cookie is
		// worthless afterwards.
		copyOf := e.browser()
		copyOf.jar.SetCookies(e.base, []*http.Cookie{{Name: "sessionid", Value: second, Path: "/"}})
		if r := copyOf.get("/admin/"); r.status != http.StatusOK {
			t.Fatalf("copied cookie before logout: %d", r.status)
		}
		if r := b.post("/admin/logout", nil); r.status != http.StatusSeeOther || !strings.Contains(setCookieHeader(r, "sessionid"), "Max-Age=0") {
			t.Errorf("logout: %d, Set-Cookie %q", r.status, setCookieHeader(r, "sessionid"))
		}
		if r := copyOf.get("/admin/"); r.status != http.StatusSeeOther || !strings.HasPrefix(r.header.Get("Location"), "/admin/login") {
			t.Errorf("the session survived logout: %d %s", r.status, r.header.Get("Location"))
		}
	})
}

func TestPasswordChangeEndsOtherSessions(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, st store.Store) {
		e := newEnv(t, st)
		laptop, phone := e.signedIn("editor@example.org"), e.signedIn("editor@example.org")
		tests := []struct {
			name         string
			current, new string
			want         int
		}{
			{"wrong current password", "not it at all", "a brand new password", http.StatusUnprocessableEntity},
			{"too short", password, "short", http.StatusUnprocessableEntity},
			{"ok", password, "a brand new password", http.StatusSeeOther},
		}
		for _, tc := range tests {
			r := laptop.post("/admin/password", url.Values{"current": {tc.current}, "password": {tc.new}, "again": {tc.new}})
			if r.status != tc.want {
				t.Errorf("%s: %d, want %d", tc.name, r.status, tc.want)
			}
		}
		if r := phone.get("/admin/"); r.status != http.StatusSeeOther {
			t.Errorf("the other session survived the password change: %d", r.status)
		}
		if r := laptop.get("/admin/"); r.status != http.StatusOK {
			t.Errorf("the session that changed the password was not renewed: %d", r.status)
		}
		if r := e.browser().login("editor@example.org", "a brand new password"); r.status != http.StatusSeeOther {
			t.Errorf("the new password does not work: %d", r.status)
		}
	})
}

func TestLoginThrottling(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, st store.Store) {
		e := newEnv(t, st)
		b := e.browser()
		for i := range 5 {
			if r := b.login("viewer@example.org", "wrong password"); r.status != http.StatusOK {
				t.Fatalf("failure %d: %d", i+1, r.status)
			}
		}
		// Even the right password is refused now: guessing stops.
		r := b.login("viewer@example.org", password)
		if r.status != http.StatusTooManyRequests || r.header.Get("Retry-After") == "" {
			t.Fatalf("6th attempt: %d, Retry-After %q; want 429 with Retry-After", r.status, r.header.Get("Retry-After"))
		}
		if ok, _ := regexp.MatchString(`^[1-9][0-9]*$`, r.header.Get("Retry-After")); !ok {
			t.Errorf("Retry-After %q is not a number of seconds", r.header.Get("Retry-After"))
		}
		// Another account from another address is not affected.
		if r := e.browser().login("owner@example.org", password); r.status != http.StatusTooManyRequests && r.status != http.StatusSeeOther {
			t.Errorf("owner login: %d", r.status)
		}
	})
}

func TestCSRF(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, st store.Store) {
		e := newEnv(t, st)
		before := e.browser()
		oldToken := before.token() // a token from before login
		b := before
		b.login("owner@example.org", password)
		valid := b.token()
		other := b.token()
		if valid == other {
			t.Errorf("two responses carry the same masked token")
		}
		form := func(tok string) url.Values {
			v := url.Values{"name": {"Changed"}, "languages": {"fr", "en"}, "default_language": {"fr"}, "respect_gpc": {"1"}}
			if tok != "" {
				v.Set("csrfmiddlewaretoken", tok)
			}
			return v
		}
		tests := []struct {
			name   string
			form   url.Values
			header map[string]string
			want   int
			why    string
		}{
			{"no token", form(""), nil, 403, "Le jeton CSRF est absent"},
			{"wrong token", form(alterFirst(valid)), nil, 403, "Le jeton CSRF est incorrect"},
			{"token from before login", form(oldToken), nil, 403, "Le jeton CSRF est incorrect"},
			{"foreign origin", form(valid), map[string]string{"Origin": "http://evil.example"}, 403, "http://evil.example ne correspond à aucune origine de confiance"},
			{"header token", form(""), map[string]string{"X-CSRFToken": other}, 303, ""},
			{"masked token", form(valid), nil, 303, ""},
			{"an older masked token still valid", form(other), map[string]string{"Origin": ""}, 303, ""},
		}
		for _, tc := range tests {
			r := b.do("POST", "/admin/sites/demo/", tc.form, tc.header)
			if r.status != tc.want || !strings.Contains(r.body, tc.why) {
				t.Errorf("%s: %d, want %d saying %q: %s", tc.name, r.status, tc.want, tc.why, r.body)
			}
		}
		line := setCookieHeader(e.browser().get("/admin/login"), "csrftoken")
		for _, attr := range []string{"Path=/", "Max-Age=31449600", "SameSite=Lax"} {
			if !strings.Contains(line, attr) {
				t.Errorf("csrftoken cookie %q lacks %s", line, attr)
			}
		}
		if strings.Contains(line, "HttpOnly") {
			t.Errorf("csrftoken must be readable by scripts: %q", line)
		}
	})
}

func TestSetLanguage(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, st store.Store) {
		e := newEnv(t, st)
		tests := []struct {
			lang, next, location string
			cookie               bool
		}{
			{"en", "/admin/login", "/admin/login", true},
			{"fr", "/sites/demo/charter?x=1", "/sites/demo/charter?x=1", true},
			{"en", "//evil.example/", "/", true},
			{"en", "https://evil.example/", "/", true},
			{"en", "/\\evil.example", "/", true},
			{"de", "/sites/demo/charter", "/sites/demo/charter", true}, // a charter language
			{"tlh", "/admin/login", "/admin/login", false},
		}
		for _, tc := range tests {
			b := e.browser()
			r := b.post("/i18n/setlang", url.Values{"language": {tc.lang}, "next": {tc.next}})
			if r.status != http.StatusSeeOther || r.header.Get("Location") != tc.location {
				t.Errorf("setlang %s next %q: %d to %q, want 303 to %q", tc.lang, tc.next, r.status, r.header.Get("Location"), tc.location)
			}
			line := setCookieHeader(r, "django_language")
			if got := line != ""; got != tc.cookie {
				t.Errorf("setlang %s: cookie %q, want set: %v", tc.lang, line, tc.cookie)
			}
			if tc.cookie && (!strings.Contains(line, "Max-Age=31536000") || !strings.Contains(line, "SameSite=Lax")) {
				t.Errorf("django_language cookie %q: want a year and SameSite=Lax", line)
			}
		}
		// Without a token, the language is not changed.
		if r := e.browser().do("POST", "/i18n/setlang", url.Values{"language": {"en"}, "next": {"/"}}, nil); r.status != http.StatusForbidden {
			t.Errorf("setlang without CSRF token: %d, want 403", r.status)
		}
		// The choice changes the interface.
		b := e.browser()
		b.post("/i18n/setlang", url.Values{"language": {"en"}, "next": {"/admin/login"}})
		if r := b.get("/admin/login"); !strings.Contains(r.body, "Sign in") || !strings.Contains(r.body, `lang="en"`) {
			t.Errorf("after choosing English the login page is not in English")
		}
	})
}

// alterFirst changes a token's first character, whatever it is, so the
// result is always a different token of the same length and alphabet.
func alterFirst(tok string) string {
	if tok[0] == 'x' {
		return "y" + tok[1:]
	}
	return "x" + tok[1:]
}

// from sends a login as a client behind the reverse proxy, which appended
// addr to whatever X-Forwarded-For the client sent.
func (b *browser) loginFrom(email, pw, xff string) resp {
	b.e.t.Helper()
	form := url.Values{"email": {email}, "password": {pw}, "csrfmiddlewaretoken": {b.token()}}
	return b.do("POST", "/admin/login", form, map[string]string{"X-Forwarded-For": xff})
}

// TestLoginThrottlingBehindProxy: with --trust-proxy, throttles and the
// audit log see each client's address, not the proxy's: an attacker locks
// out only themselves and unknown networks, never the owner on the network
// the owner signs in from, and a forged X-Forwarded-For prefix changes
// nothing. Without --trust-proxy the header is ignored.
func TestLoginThrottlingBehindProxy(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, st store.Store) {
		e := newEnvConfig(t, st, web.Config{TrustProxy: true, TrustProxyHops: 1})
		b := e.browser()
		const owner = "owner@example.org"
		steps := []struct {
			name     string
			pw, xff  string
			repeat   int
			want     int
			auditsIP string // the login's audit entry records this address
		}{
			{"the owner signs in at the office", password, "192.0.2.10", 1, http.StatusSeeOther, "192.0.2.10"},
			{"an attacker guesses 5 times", "wrong password", "198.51.100.7", 5, http.StatusOK, ""},
			{"the attacker is throttled", "wrong password", "198.51.100.7", 1, http.StatusTooManyRequests, ""},
			{"from a neighbour on the attacker's /24 too", "wrong password", "198.51.100.8", 1, http.StatusTooManyRequests, ""},
			{"a forged office address changes nothing", password, "192.0.2.10, 198.51.100.7", 1, http.StatusTooManyRequests, ""},
			{"the owner still signs in at the office", password, "192.0.2.11", 1, http.StatusSeeOther, "192.0.2.11"},
			{"the attacker moves: 5 more guesses", "wrong password", "203.0.113.5", 5, http.StatusOK, ""},
			{"10 failures lock the account from unknown networks", password, "233.252.0.1", 1, http.StatusTooManyRequests, ""},
			{"but not at the office, where the owner signed in", password, "1.2.3.4, 192.0.2.12", 1, http.StatusSeeOther, "192.0.2.12"},
			{"IPv6 clients are told apart too", password, "2001:db8::1", 1, http.StatusTooManyRequests, ""},
		}
		for _, s := range steps {
			for i := range s.repeat {
				r := b.loginFrom(owner, s.pw, s.xff)
				if r.status != s.want {
					t.Fatalf("%s (#%d): %d, want %d", s.name, i+1, r.status, s.want)
				}
			}
			if s.auditsIP != "" {
				entries, err := st.Audit(context.Background(), store.AuditQuery{Limit: 1})
				if err != nil {
					t.Fatal(err)
				}
				if len(entries) != 1 || entries[0].Action != "login" || entries[0].IP != s.auditsIP {
					t.Errorf("%s: audit %+v, want a login from %s", s.name, entries, s.auditsIP)
				}
			}
		}
	})
	storetest.Engines(t, func(t *testing.T, st store.Store) {
		e := newEnv(t, st)
		b := e.browser()
		for i := range 5 {
			if r := b.loginFrom("viewer@example.org", "wrong password", fmt.Sprintf("198.51.%d.1", i)); r.status != http.StatusOK {
				t.Fatalf("failure %d: %d", i+1, r.status)
			}
		}
		if r := b.loginFrom("viewer@example.org", password, "192.0.2.99"); r.status != http.StatusTooManyRequests {
			t.Errorf("without --trust-proxy, a new X-Forwarded-For escaped the throttle: %d", r.status)
		}
	})
}

// TestLoginThrottlingConcurrent: 100 wrong passwords at once for one
// account get at most 5 evaluated (200 "wrong password"); the others are
// refused without hashing (429, or 503 when no hashing slot freed up).
func TestLoginThrottlingConcurrent(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, st store.Store) {
		e := newEnv(t, st)
		b := e.browser()
		tok := b.token()
		statuses := make(chan int, 100)
		var wg sync.WaitGroup
		for range 100 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				form := url.Values{"email": {"viewer@example.org"}, "password": {"wrong password"}, "csrfmiddlewaretoken": {tok}}
				statuses <- b.do("POST", "/admin/login", form, nil).status
			}()
		}
		wg.Wait()
		close(statuses)
		count := map[int]int{}
		for s := range statuses {
			count[s]++
		}
		if count[http.StatusOK] < 1 || count[http.StatusOK] > 5 || count[http.StatusOK]+count[http.StatusTooManyRequests]+count[http.StatusServiceUnavailable] != 100 {
			t.Errorf("answers %v; want at most 5 evaluated (200), the rest 429 or 503", count)
		}
	})
}

// TestPasswordChangeThrottled: the current password of /admin/password is
// a guess like a login's, and counted with them.
func TestPasswordChangeThrottled(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, st store.Store) {
		e := newEnv(t, st)
		b := e.signedIn("editor@example.org")
		change := func(current string) int {
			return b.post("/admin/password", url.Values{"current": {current}, "password": {"a brand new password"}, "again": {"a brand new password"}}).status
		}
		for i := range 5 {
			if s := change("not it at all"); s != http.StatusUnprocessableEntity {
				t.Fatalf("wrong current password %d: %d", i+1, s)
			}
		}
		if s := change(password); s != http.StatusTooManyRequests {
			t.Errorf("6th current password check: %d, want 429", s)
		}
		if r := e.browser().login("editor@example.org", password); r.status != http.StatusTooManyRequests {
			t.Errorf("login after 5 wrong current passwords: %d, want 429", r.status)
		}
	})
}

// TestAccountChecks: the back office refuses bad emails and weak
// passwords when creating a user or changing a password, saying why in the
// user's language.
func TestAccountChecks(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, st store.Store) {
		e := newEnv(t, st)
		owner := e.signedIn("owner@example.org")
		tests := []struct {
			name, email, pw string
			want            int
			says            string
		}{
			{"not an email", "not an email", "a password long enough", http.StatusUnprocessableEntity, "Saisissez une adresse e-mail seule"},
			{"a display name", "New <new@example.org>", "a password long enough", http.StatusUnprocessableEntity, "Saisissez une adresse e-mail seule"},
			{"no domain", "new@", "a password long enough", http.StatusUnprocessableEntity, "Saisissez une adresse e-mail seule"},
			{"12 spaces", "new@example.org", "            ", http.StatusUnprocessableEntity, "que d&#39;espaces"},
			{"short", "new@example.org", "short", http.StatusUnprocessableEntity, "au moins 12"},
			{"common", "new@example.org", "iloveyou2024", http.StatusUnprocessableEntity, "plus courants"},
			{"good", "new@example.org", "a password long enough", http.StatusSeeOther, ""},
		}
		for _, tc := range tests {
			r := owner.post("/admin/users", url.Values{"email": {tc.email}, "password": {tc.pw}, "role": {"owner"}})
			if r.status != tc.want || !strings.Contains(r.body, tc.says) {
				t.Errorf("create %s: %d, want %d saying %q", tc.name, r.status, tc.want, tc.says)
			}
		}
		owner.lang = "en"
		for _, tc := range []struct{ pw, says string }{
			{"            ", "cannot be only spaces"},
			{"qwertyqwerty", "among the most common"},
		} {
			r := owner.post("/admin/password", url.Values{"current": {password}, "password": {tc.pw}, "again": {tc.pw}})
			if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, tc.says) {
				t.Errorf("change to %q: %d, want 422 saying %q", tc.pw, r.status, tc.says)
			}
		}
	})
}

// TestOversizedBodies: a body over the limit is refused as too large (413),
// a malformed one as malformed (400), before any CSRF verdict: never
// "CSRF token missing" for what was a size or syntax problem.
func TestOversizedBodies(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, st store.Store) {
		e := newEnv(t, st)
		b := e.signedIn("owner@example.org")
		tok := b.token()
		multipartBody := func(size int) (string, string) {
			var buf strings.Builder
			w := multipart.NewWriter(&buf)
			w.WriteField("csrfmiddlewaretoken", tok)
			f, _ := w.CreateFormFile("file", "registry.yaml")
			f.Write([]byte("# " + strings.Repeat("x", size) + "\n"))
			w.Close()
			return buf.String(), w.FormDataContentType()
		}
		big, bigType := multipartBody(5 << 20)
		small, smallType := multipartBody(10)
		tests := []struct {
			name, path, body, contentType string
			want                          int
			says                          string
		}{
			{"upload over 4 MiB", "/admin/sites/demo/import", big, bigType, 413, "trop volumineuse"},
			{"form over 4 MiB", "/admin/sites/demo/", "csrfmiddlewaretoken=" + tok + "&name=" + strings.Repeat("x", 5<<20), "application/x-www-form-urlencoded", 413, "trop volumineuse"},
			{"login form over 64 KiB", "/admin/login", "csrfmiddlewaretoken=" + tok + "&email=a%40b.c&password=" + strings.Repeat("x", 70<<10), "application/x-www-form-urlencoded", 413, "trop volumineuse"},
			{"multipart without boundary", "/admin/sites/demo/import", small, "multipart/form-data", 400, "mal formé"},
			{"bad percent-encoding", "/admin/sites/demo/", "csrfmiddlewaretoken=" + tok + "&name=%zz", "application/x-www-form-urlencoded", 400, "mal formé"},
			{"login form under 64 KiB is read", "/admin/login", "csrfmiddlewaretoken=" + tok + "&email=a%40b.c&password=" + strings.Repeat("x", 60<<10), "application/x-www-form-urlencoded", 200, "incorrect"},
			{"small upload reaches the handler", "/admin/sites/demo/import", small, smallType, 422, ""},
		}
		for _, tc := range tests {
			r := b.doBody("POST", tc.path, tc.body, map[string]string{"Content-Type": tc.contentType})
			if r.status != tc.want || !strings.Contains(r.body, tc.says) || strings.Contains(r.body, "CSRF") {
				t.Errorf("%s: %d, want %d saying %q: %.300s", tc.name, r.status, tc.want, tc.says, r.body)
			}
		}
	})
}
