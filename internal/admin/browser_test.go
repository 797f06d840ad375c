package admin_test

import (
	"context"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/charte/charte/registry"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// Issue 4's browser tests: headless Chromium against the whole charte
// server, signed in through the login form, clicking what an operator
// clicks and reading what the operator reads.

const (
	oldPurposeFR = "Reconnaître un visiteur qui revient pour compter les visites uniques."
	newPurposeFR = "Compter les visiteurs uniques, sans publicité ni revente à des tiers."
	// bannerAsks holds while the banner's first layer is on screen.
	bannerAsks = `!!document.querySelector('.charte-banner:not([hidden])')`
)

// TestBrowserEditPublishAsksAgain: the owner signs in, rewords the French
// purpose of Matomo's _pk_id* cookie on the categories-and-cookies page,
// sees the difference and publishes it; the charter shows the new wording
// and a visitor who had chosen before is asked again, for the new revision.
func TestBrowserEditPublishAsksAgain(t *testing.T) {
	browser := boChromium(t)
	s := newBoServer(t)
	ctx := context.Background()
	live := s.published(t, "demo")

	// A visitor chooses before the change.
	visitor := boTab(t, browser, "fr")
	boOpen(t, visitor, s.URL+"/sites/demo/demo?lang=fr")
	boWait(t, visitor, `!!window.charte && `+bannerAsks)
	boClick(t, visitor, `.charte-banner [data-charte-action=accept_all]`)
	boWait(t, visitor, `!document.querySelector('.charte-banner') && window.demoStatsRuns === 1`)
	before := boChoice(t, visitor, s)
	if before.Revision != live {
		t.Fatalf("the visitor chose for revision %s, the live one is %s", before.Revision, live)
	}

	// The owner signs in and opens the registry from the dashboard.
	op := boTab(t, browser, "fr")
	boLogin(t, op, s, "owner@example.org")
	boFollow(t, op, `main a[href="/admin/sites/demo/"]`)
	boFollow(t, op, `nav.site a[href="/admin/sites/demo/registry"]`)
	if h1 := boEval[string](t, op, `document.querySelector('h1').textContent`); h1 != "Catégories et cookies" {
		t.Fatalf("registry page titled %q", h1)
	}
	row := `Array.from(document.querySelectorAll('tbody tr')).find(r => r.querySelector('th code') && r.querySelector('th code').textContent === '_pk_id*')`
	if got := boEval[string](t, op, row+`.cells[3].textContent`); got != oldPurposeFR {
		t.Fatalf("_pk_id* purpose shown %q, want %q", got, oldPurposeFR)
	}
	edit := boEval[string](t, op, row+`.querySelector('a').getAttribute('href')`)
	boFollow(t, op, `a[href="`+edit+`"]`)
	if got := boEval[string](t, op, `document.querySelector('textarea[name="purpose.fr"]').value`); got != oldPurposeFR {
		t.Fatalf("the form holds purpose %q, want %q", got, oldPurposeFR)
	}
	boType(t, op, `textarea[name="purpose.fr"]`, newPurposeFR)
	boFollow(t, op, `main form button`)
	if path, flash := boEval[string](t, op, `location.pathname`), boEval[string](t, op, `(document.querySelector('.flash') || {}).textContent || ''`); path != "/admin/sites/demo/registry" || flash != "Enregistré dans le brouillon." {
		t.Fatalf("after saving: %s, flash %q\n%s", path, flash, boText(t, op))
	}
	if got := boEval[string](t, op, row+`.cells[3].textContent`); got != newPurposeFR {
		t.Errorf("the registry shows purpose %q after saving, want %q", got, newPurposeFR)
	}
	if got := s.published(t, "demo"); got != live {
		t.Fatalf("saving a draft changed what visitors see: %s", got)
	}

	// The publish page shows the difference, then the new revision.
	boFollow(t, op, `nav.site a[href="/admin/sites/demo/publish"]`)
	revs := boEval[[]string](t, op, `Array.from(document.querySelectorAll('main dd code'), c => c.textContent)`)
	if len(revs) != 2 || revs[0] != live || revs[1] == live {
		t.Fatalf("publish page revisions %q, want live %s then a new draft revision", revs, live)
	}
	draft := revs[1]
	if changes := boEval[[]string](t, op, `Array.from(document.querySelectorAll('ul.changes li'), li => li.textContent)`); len(changes) != 1 || changes[0] != "cookie _pk_id* : modifié" {
		t.Errorf("differences shown %q, want the one changed cookie", changes)
	}
	boFollow(t, op, `main form[action="/admin/sites/demo/publish"] button`)
	if flashes := boEval[[]string](t, op, `Array.from(document.querySelectorAll('.flash'), f => f.textContent)`); strings.Join(flashes, "|") != "Publié.|Nouvelle révision publiée : "+draft {
		t.Errorf("after publishing: %q, want the new revision %s", flashes, draft)
	}
	if got := s.published(t, "demo"); got != draft {
		t.Fatalf("visitors see revision %s, want %s", got, draft)
	}
	if text := boText(t, op); !strings.Contains(text, "Le brouillon est identique à ce que voient les visiteurs.") {
		t.Errorf("the publish page after publishing:\n%s", text)
	}

	// The charter says the new purpose, at once.
	boOpen(t, op, s.URL+"/sites/demo/charter?lang=fr")
	if text := boText(t, op); !strings.Contains(text, newPurposeFR) || strings.Contains(text, oldPurposeFR) {
		t.Errorf("the charter does not show the new purpose:\n%s", text)
	}
	if page := boEval[string](t, op, `document.documentElement.innerHTML`); !strings.Contains(page, draft) {
		t.Errorf("the charter does not name revision %s", draft)
	}

	// The visitor comes back (once the cached banner.js, max-age=300, has
	// expired) and is asked again; nothing that needs consent runs meanwhile.
	boNoCache(t, visitor)
	boOpen(t, visitor, s.URL+"/sites/demo/demo?lang=fr")
	boWait(t, visitor, `!!window.charte`)
	if !boEval[bool](t, visitor, bannerAsks) {
		t.Fatal("the banner does not ask again after the publication")
	}
	if boEval[bool](t, visitor, `'demoStatsRuns' in window`) {
		t.Error("the statistics script ran on a choice made for the previous revision")
	}
	boClick(t, visitor, `.charte-banner [data-charte-action=reject_all]`)
	boWait(t, visitor, `!document.querySelector('.charte-banner')`)
	after := boChoice(t, visitor, s)
	if after.Revision != draft || after.ConsentID != before.ConsentID || after.Allowed("statistics") {
		t.Errorf("new choice %+v, want revision %s, consent id %s, statistics refused", after, draft, before.ConsentID)
	}
	deadline := time.Now().Add(boWaitFor)
	for {
		recs, err := s.st.ConsentHistory(ctx, "demo", before.ConsentID)
		if err != nil {
			t.Fatal(err)
		}
		if len(recs) == 2 {
			if recs[0].Revision != live || recs[1].Revision != draft {
				t.Errorf("records for revisions %s then %s, want %s then %s", recs[0].Revision, recs[1].Revision, live, draft)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d records stored for the visitor, want 2", len(recs))
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestBrowserLanguageSelector: the selector on back-office pages posts to
// /i18n/setlang, sets django_language for a year, returns to the same page
// and the interface speaks the chosen language from then on, whatever the
// browser's Accept-Language says.
func TestBrowserLanguageSelector(t *testing.T) {
	browser := boChromium(t)
	s := newBoServer(t)
	tests := []struct {
		name           string
		signIn         bool
		path           string
		accept, choose string
		before, after  string // the page's h1 in each language
		next           string // a later page and its h1 in the chosen language
		nextH1         string
	}{
		{"dashboard fr to en", true, "/admin/", "fr", "en", "Tableau de bord", "Dashboard", "/admin/sites/demo/registry", "Categories and cookies"},
		{"registry en to fr", true, "/admin/sites/demo/registry", "en", "fr", "Categories and cookies", "Catégories et cookies", "/admin/sites/demo/publish", "Brouillon et publication"},
		{"login form fr to en", false, "/admin/login", "fr", "en", "Connexion", "Sign in", "/admin/login", "Sign in"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tab := boTab(t, browser, tt.accept)
			if tt.signIn {
				boLogin(t, tab, s, "owner@example.org")
			}
			boOpen(t, tab, s.URL+tt.path)
			if lang, h1 := boEval[string](t, tab, `document.documentElement.lang`), boEval[string](t, tab, `document.querySelector('h1').textContent`); lang != tt.accept || h1 != tt.before {
				t.Fatalf("before: lang %q, h1 %q; want %q, %q", lang, h1, tt.accept, tt.before)
			}
			if c := boCookies(t, tab, s)["django_language"]; c != nil {
				t.Fatalf("django_language set before any choice: %q", c.Value)
			}

			boEval[bool](t, tab, `(document.querySelector('form.lang select').value = `+boJS(tt.choose)+`, true)`)
			boFollow(t, tab, `form.lang button`)

			c := boCookies(t, tab, s)["django_language"]
			if c == nil {
				t.Fatal("no django_language cookie after choosing")
			}
			expires := time.Unix(int64(c.Expires), 0)
			if c.Value != tt.choose || c.Path != "/" || c.HTTPOnly || c.SameSite != network.CookieSameSiteLax ||
				expires.Before(time.Now().Add(364*24*time.Hour)) || expires.After(time.Now().Add(366*24*time.Hour)) {
				t.Errorf("django_language = %q path %s httpOnly %v sameSite %s expires %s; want %q, /, false, Lax, in a year",
					c.Value, c.Path, c.HTTPOnly, c.SameSite, expires, tt.choose)
			}
			if path := boEval[string](t, tab, `location.pathname`); path != tt.path {
				t.Errorf("the selector returned to %s, want %s", path, tt.path)
			}
			lang, h1 := boEval[string](t, tab, `document.documentElement.lang`), boEval[string](t, tab, `document.querySelector('h1').textContent`)
			if lang != tt.choose || h1 != tt.after {
				t.Errorf("after: lang %q, h1 %q; want %q, %q", lang, h1, tt.choose, tt.after)
			}
			if sel := boEval[string](t, tab, `document.querySelector('form.lang select').value`); sel != tt.choose {
				t.Errorf("the selector shows %q, want %q", sel, tt.choose)
			}
			boOpen(t, tab, s.URL+tt.next)
			if h1 := boEval[string](t, tab, `document.querySelector('h1').textContent`); h1 != tt.nextH1 {
				t.Errorf("%s after the choice: h1 %q, want %q", tt.next, h1, tt.nextH1)
			}
		})
	}
}

// TestBrowserCrossSiteForm: a page on another loopback origin submits a
// form to the back office on load, as a forged-request attack does. Both
// origins are 127.0.0.1, on two ports: the same site, so the browser sends
// the SameSite=Lax sessionid with the post, and only the CSRF check stands
// in the way. It answers 403 saying why, and nothing changes.
func TestBrowserCrossSiteForm(t *testing.T) {
	browser := boChromium(t)
	s := newBoServer(t)
	ctx := context.Background()

	// A draft that differs from what visitors see, so a publish would show.
	site, err := s.st.Site(ctx, "demo")
	if err != nil {
		t.Fatal(err)
	}
	for i := range site.Cookies {
		if site.Cookies[i].Name == "_pk_id*" {
			site.Cookies[i].Purpose["fr"] = newPurposeFR
		}
	}
	if err := s.st.SaveSite(ctx, registry.MustCheck(site)); err != nil {
		t.Fatal(err)
	}
	live := s.published(t, "demo")

	// The other origin: its page holds the form, and a script file it
	// serves submits it (the back office's CSP does not reach this page).
	evil := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/forge":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprintf(w, `<!doctype html><title>Win a prize</title>
<form id="f" method="post" action="%s"><input type="hidden" name="csrfmiddlewaretoken" value="%s"><input type="hidden" name="next" value="/admin/"></form>
<script src="/submit.js"></script>`, html.EscapeString(s.URL+r.URL.Query().Get("to")), strings.Repeat("a", 64))
		case "/submit.js":
			w.Header().Set("Content-Type", "text/javascript")
			io.WriteString(w, `document.getElementById('f').submit();`)
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(evil.Close)

	tests := []struct{ name, to string }{
		{"publish", "/admin/sites/demo/publish"},
		{"logout", "/admin/logout"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tab := boTab(t, browser, "fr")
			boLogin(t, tab, s, "owner@example.org")
			session := boCookies(t, tab, s)["sessionid"]
			if session == nil {
				t.Fatal("no sessionid after signing in")
			}

			boOpen(t, tab, evil.URL+"/forge?to="+url.QueryEscape(tt.to))
			boWait(t, tab, `location.href === `+boJS(s.URL+tt.to)+` && document.readyState === 'complete'`)
			if status := boStatus(t, tab); status != http.StatusForbidden {
				t.Errorf("the forged post answered %d, want 403", status)
			}
			text := boText(t, tab)
			for _, want := range []string{
				"Requête refusée par la protection CSRF.",
				"Vérification de l'origine échouée : " + evil.URL + " ne correspond à aucune origine de confiance.",
				"owner@example.org", // the session came along: the refusal is the CSRF check's
			} {
				if !strings.Contains(text, want) {
					t.Errorf("the 403 page does not say %q:\n%s", want, text)
				}
			}

			// Nothing changed: the same revision live, the draft unpublished,
			// the session alive in the store and in the browser.
			if got := s.published(t, "demo"); got != live {
				t.Errorf("the forged post published revision %s", got)
			}
			if !s.sessionAlive(t, session.Value) {
				t.Error("the forged post ended the session in the store")
			}
			if c := boCookies(t, tab, s)["sessionid"]; c == nil || c.Value != session.Value {
				t.Errorf("the browser's sessionid changed: %+v", c)
			}
			boOpen(t, tab, s.URL+"/admin/sites/demo/publish")
			if status, h1 := boStatus(t, tab), boEval[string](t, tab, `document.querySelector('h1').textContent`); status != 200 || h1 != "Brouillon et publication" {
				t.Errorf("the owner's publish page after the attack: %d %q", status, h1)
			}
			if changes := boEval[int](t, tab, `document.querySelectorAll('ul.changes li').length`); changes != 1 {
				t.Errorf("%d differences left to publish, want the draft's 1", changes)
			}
		})
	}
}

// TestBrowserLogoutEndsSession: signing out deletes the session on the
// server: the old sessionid, replayed in a browser or by a script, is
// someone signed out.
func TestBrowserLogoutEndsSession(t *testing.T) {
	browser := boChromium(t)
	s := newBoServer(t)
	tab := boTab(t, browser, "fr")
	boLogin(t, tab, s, "owner@example.org")
	old := boCookies(t, tab, s)["sessionid"]
	if old == nil {
		t.Fatal("no sessionid after signing in")
	}
	// The cookie works before logout, so the checks below are not vacuous.
	replay := func(t *testing.T, path string) *http.Response {
		t.Helper()
		req, _ := http.NewRequest("GET", s.URL+path, nil)
		req.AddCookie(&http.Cookie{Name: "sessionid", Value: old.Value})
		res, err := (&http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}).Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res
	}
	if res := replay(t, "/admin/"); res.StatusCode != 200 {
		t.Fatalf("the session does not work before logout: %d", res.StatusCode)
	}

	boFollow(t, tab, `header form[action="/admin/logout"] button`)
	if path, h1 := boEval[string](t, tab, `location.pathname`), boEval[string](t, tab, `document.querySelector('h1').textContent`); path != "/admin/login" || h1 != "Connexion" {
		t.Errorf("after signing out: %s %q, want the login form", path, h1)
	}
	if c := boCookies(t, tab, s)["sessionid"]; c != nil {
		t.Errorf("the browser keeps sessionid %q after logout", c.Value)
	}
	if s.sessionAlive(t, old.Value) {
		t.Error("the store still holds the session after logout")
	}

	tests := []struct {
		name, path string
		status     int
		location   string
	}{
		{"dashboard", "/admin/", http.StatusSeeOther, "/admin/login?next=%2Fadmin%2F"},
		{"publish page", "/admin/sites/demo/publish", http.StatusSeeOther, "/admin/login?next=%2Fadmin%2Fsites%2Fdemo%2Fpublish"},
		{"consent export", "/admin/sites/demo/consents.csv", http.StatusSeeOther, "/admin/login?next=%2Fadmin%2Fsites%2Fdemo%2Fconsents.csv"},
		{"API", "/api/v1/sites/demo/consents", http.StatusUnauthorized, ""},
	}
	for _, tt := range tests {
		t.Run("script "+tt.name, func(t *testing.T) {
			res := replay(t, tt.path)
			if res.StatusCode != tt.status || res.Header.Get("Location") != tt.location {
				t.Errorf("old sessionid on %s: %d %q, want %d %q", tt.path, res.StatusCode, res.Header.Get("Location"), tt.status, tt.location)
			}
		})
	}
	t.Run("browser", func(t *testing.T) {
		// Put the old cookie back in the browser, as someone who copied it.
		if _, err := chromedp.Call(tab, network.SetCookie, network.SetCookieParams{Name: "sessionid", Value: old.Value, URL: s.URL + "/"}); err != nil {
			t.Fatal(err)
		}
		boOpen(t, tab, s.URL+"/admin/sites/demo/publish")
		if path, h1 := boEval[string](t, tab, `location.pathname + location.search`), boEval[string](t, tab, `document.querySelector('h1').textContent`); path != "/admin/login?next=%2Fadmin%2Fsites%2Fdemo%2Fpublish" || h1 != "Connexion" {
			t.Errorf("the old sessionid opened %s %q, want the login form", path, h1)
		}
		if boEval[bool](t, tab, `!!document.querySelector('header .who')`) {
			t.Error("the login page shows someone signed in")
		}
	})
}

// TestBrowserEditorCannotReadOtherSite is issue 4's "Done when" in a
// browser: an editor of demo, signed in, reaches demo's consent log and
// exports but none of opendata-pau's, by page, export or API.
func TestBrowserEditorCannotReadOtherSite(t *testing.T) {
	browser := boChromium(t)
	s := newBoServer(t)
	tab := boTab(t, browser, "en")
	boLogin(t, tab, s, "editor@example.org")
	if sites := boEval[[]string](t, tab, `Array.from(document.querySelectorAll('main tbody th code'), c => c.textContent)`); len(sites) != 1 || sites[0] != "demo" {
		t.Errorf("the editor's dashboard lists %q, want demo only", sites)
	}
	demoRev, otherRev := s.published(t, "demo"), s.published(t, "opendata-pau")

	tests := []struct {
		path   string
		status int
		want   string // in the body
	}{
		// Demo is the editor's: the same routes answer, so the refusals
		// below are the tenancy check, not a broken route.
		{"/admin/sites/demo/consents", 200, demoRev},
		{"/admin/sites/demo/consents.csv", 200, "visitor-of-demo"},
		{"/admin/sites/demo/consents.json", 200, "visitor-of-demo"},
		{"/api/v1/sites/demo/consents", 200, "visitor-of-demo"},
		{"/admin/sites/opendata-pau/consents", 403, "Your role does not allow access to this page."},
		{"/admin/sites/opendata-pau/consents/1", 403, "Your role does not allow access to this page."},
		{"/admin/sites/opendata-pau/consents.csv", 403, "Your role does not allow access to this page."},
		{"/admin/sites/opendata-pau/consents.json?since=2000-01-01", 403, "Your role does not allow access to this page."},
		{"/admin/sites/opendata-pau/verify", 403, "Your role does not allow access to this page."},
		{"/api/v1/sites/opendata-pau/consents", 403, `{"error":"Your role does not allow access to this page."}`},
		{"/api/v1/sites/opendata-pau/records/1", 403, `{"error":"Your role does not allow access to this page."}`},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			// As the browser's scripts would ask for it: same origin, with
			// the editor's cookies.
			type answer struct {
				Status int
				Body   string
			}
			a := boEval[answer](t, tab, `fetch(`+boJS(tt.path)+`, {credentials: 'same-origin'}).then(async r => ({Status: r.status, Body: await r.text()}))`, chromedp.EvalAwaitPromise)
			if a.Status != tt.status || !strings.Contains(a.Body, tt.want) {
				t.Errorf("fetch %s: %d, want %d with %q\n%.400s", tt.path, a.Status, tt.status, tt.want, a.Body)
			}
			if tt.status == 403 {
				for _, leak := range []string{"visitor-of-opendata-pau", "rec-opendata-pau", otherRev} {
					if strings.Contains(a.Body, leak) {
						t.Errorf("%s leaks %q", tt.path, leak)
					}
				}
				// And as the editor would type the address.
				boOpen(t, tab, s.URL+tt.path)
				if status := boStatus(t, tab); status != 403 {
					t.Errorf("opening %s: %d, want 403", tt.path, status)
				}
				if text := boText(t, tab); !strings.Contains(text, "Your role does not allow access to this page.") || strings.Contains(text, "visitor-of-opendata-pau") {
					t.Errorf("opening %s shows:\n%s", tt.path, text)
				}
			}
		})
	}
}
