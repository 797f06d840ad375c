package admin_test

import (
	"context"
	"math"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/charte/charte/internal/auth"
	"github.com/charte/charte/internal/browsertest"
	"github.com/charte/charte/registry"
)

// The back office as operators use it, in Chromium: every page passes the
// RGAA checks a browser can make and axe-core, in French and English;
// destructive actions look different and ask to confirm, without
// JavaScript; the header, the charts and the lifetimes read right.

// boPages are the back-office pages an owner reaches.
var boPages = []string{
	"/admin/", "/admin/password", "/admin/users", "/admin/tokens", "/admin/audit",
	"/admin/sites/demo/", "/admin/sites/demo/registry", "/admin/sites/demo/categories/statistics",
	"/admin/sites/demo/cookies/0", "/admin/sites/demo/texts", "/admin/sites/demo/translations", "/admin/sites/demo/translations/ar", "/admin/sites/demo/publish",
	"/admin/sites/demo/stats", "/admin/sites/demo/consents", "/admin/sites/demo/scans", "/admin/sites/demo/services",
}

// rgaaChecks lists what a page gets wrong of the RGAA criteria a script can
// check on the rendered page: language (8.3), one title h1 and a main
// landmark (9.1, 12.6), labelled fields (11.1), grouped options (11.5),
// named buttons and links (11.9, 6.2), no empty table header (5.6), images
// and charts with a text alternative (1.1), targets of 24 px (WCAG 2.2 SC
// 2.5.8, or spaced by 24 px).
const rgaaChecks = `(() => {
  const bad = [], who = e => e.outerHTML.slice(0, 90);
  const named = e => (e.labels && e.labels.length) || e.getAttribute('aria-label') || e.getAttribute('aria-labelledby') || e.title;
  if (!/^(fr|en)$/.test(document.documentElement.lang)) bad.push('html lang ' + document.documentElement.lang);
  if (document.querySelectorAll('main').length !== 1) bad.push(document.querySelectorAll('main').length + ' main landmarks');
  if (document.querySelectorAll('h1').length !== 1) bad.push(document.querySelectorAll('h1').length + ' h1');
  for (const e of document.querySelectorAll('input:not([type=hidden]):not([type=submit]), select, textarea')) if (!named(e)) bad.push('no label: ' + who(e));
  for (const e of document.querySelectorAll('th')) if (!e.textContent.trim()) bad.push('empty header: ' + who(e.closest('tr')));
  for (const e of document.querySelectorAll('button, a[href], summary')) if (!e.textContent.trim() && !e.getAttribute('aria-label')) bad.push('no name: ' + who(e));
  for (const e of document.querySelectorAll('img')) if (!e.hasAttribute('alt')) bad.push('no alt: ' + who(e));
  for (const e of document.querySelectorAll('svg')) if (e.getAttribute('role') !== 'img' || !named(e)) bad.push('chart without a name: ' + who(e));
  for (const e of document.querySelectorAll('svg.chart')) if (!e.closest('figure') || !document.querySelector('table')) bad.push('chart without a table: ' + who(e));
  const groups = {};
  for (const e of document.querySelectorAll('form input[type=checkbox], form input[type=radio]')) (groups[e.form.action + ' ' + e.name] ||= []).push(e);
  for (const [k, g] of Object.entries(groups)) if (g.length > 1 && !g[0].closest('fieldset, td, [role=group], [role=radiogroup]')) bad.push('options not grouped: ' + k);
  for (const e of document.querySelectorAll('main a[href], main button, main summary, main input, main select')) {
    const r = e.getBoundingClientRect();
    if (r.width && r.height < 24 && e.closest('p, li, td, th, dd') === null && e.type !== 'checkbox' && e.type !== 'radio') bad.push('target ' + Math.round(r.height) + ' px high: ' + who(e));
  }
  return bad;
})()`

// TestBrowserBackOfficeRGAA: every back-office page, in both languages,
// passes the checks above and axe-core.
func TestBrowserBackOfficeRGAA(t *testing.T) {
	browser := boChromium(t)
	// The checks can fail: a page with the faults they look for fails them.
	t.Run("a faulty page fails", func(t *testing.T) {
		tab := boTab(t, browser, "fr")
		boOpen(t, tab, "data:text/html,<html><body><table><tr><th></th></tr></table><input><img src=x></body></html>")
		if got := boEval[[]string](t, tab, rgaaChecks); len(got) < 6 {
			t.Errorf("the checks found %q on a faulty page", got)
		}
		if got := browsertest.Axe(t, tab, ""); len(got) < 3 {
			t.Errorf("axe found %q on a faulty page", got)
		}
	})
	s := newBoServer(t)
	if _, err := s.st.CreateToken(context.Background(), auth.Token{Name: "ci", Hash: strings.Repeat("ab", 32), Role: "editor", CreatedBy: "cli"}); err != nil {
		t.Fatal(err)
	}
	for _, lang := range []string{"fr", "en"} {
		t.Run(lang, func(t *testing.T) {
			tab := boTab(t, browser, lang)
			boOpen(t, tab, s.URL+"/admin/login")
			check(t, tab, "/admin/login")
			boLogin(t, tab, s, "owner@example.org")
			for _, p := range boPages {
				boOpen(t, tab, s.URL+p)
				if st := boStatus(t, tab); st != 200 {
					t.Errorf("%s: status %d", p, st)
					continue
				}
				check(t, tab, p)
			}
		})
	}
}

// check runs the RGAA checks and axe on the page on screen.
func check(t *testing.T, tab context.Context, page string) {
	t.Helper()
	for _, p := range boEval[[]string](t, tab, rgaaChecks) {
		t.Errorf("%s: %s", page, p)
	}
	for _, v := range browsertest.Axe(t, tab, "") {
		t.Errorf("%s: axe: %s", page, v)
	}
}

// TestBrowserDestructiveActions: "Supprimer" and "Révoquer" look unlike the
// main action and only open a confirmation; the confirmation deletes. All
// of it with JavaScript turned off.
func TestBrowserDestructiveActions(t *testing.T) {
	browser := boChromium(t)
	s := newBoServer(t)
	ctx := context.Background()
	if _, err := s.st.CreateToken(ctx, auth.Token{Name: "ci", Hash: strings.Repeat("cd", 32), Role: "editor", CreatedBy: "cli"}); err != nil {
		t.Fatal(err)
	}
	// A category no cookie uses, which may go.
	site, err := s.st.Site(ctx, "demo")
	if err != nil {
		t.Fatal(err)
	}
	site.Categories = append(site.Categories, registry.Category{ID: "preferences", Name: registry.Text{"fr": "Préférences", "en": "Preferences"}})
	if err := s.st.SaveSite(ctx, registry.MustCheck(site)); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, page, form, ask string
		gone                  func(t *testing.T) bool
	}{
		{"delete a category", "/admin/sites/demo/registry", "/categories/preferences/delete", "Supprimer « preferences » ? C'est définitif.", func(t *testing.T) bool {
			site, err := s.st.Site(ctx, "demo")
			if err != nil {
				t.Fatal(err)
			}
			_, ok := site.Category("preferences")
			return !ok
		}},
		{"delete a user", "/admin/users", "/delete", "Supprimer « editor@example.org » ? C'est définitif.", func(t *testing.T) bool {
			users, err := s.st.ListUsers(ctx)
			if err != nil {
				t.Fatal(err)
			}
			return len(users) == 1
		}},
		{"revoke a token", "/admin/tokens", "/revoke", "Révoquer le jeton « ci » ? Il cessera aussitôt de fonctionner.", func(t *testing.T) bool {
			tokens, err := s.st.ListTokens(ctx)
			if err != nil {
				t.Fatal(err)
			}
			return !tokens[0].RevokedAt.IsZero()
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tab := boTab(t, browser, "fr")
			boLogin(t, tab, s, "owner@example.org")
			if _, err := chromedp.Call(tab, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
				t.Fatal(err)
			}
			boOpen(t, tab, s.URL+tt.page)
			danger := `details.danger:has(form[action$="` + tt.form + `"]) summary`
			style := boEval[[]string](t, tab, `[document.querySelector(`+boJS(danger)+`), document.querySelector('main form:not(.inline) button:not(.danger)')].map(e => { const s = getComputedStyle(e); return s.color + ' on ' + s.backgroundColor; })`)
			if style[0] == style[1] {
				t.Errorf("the destructive action looks like the main action: %s", style[0])
			}
			boClick(t, tab, danger)
			if tt.gone(t) {
				t.Fatal("the first click deleted without asking")
			}
			ask := boEval[string](t, tab, `document.querySelector(`+boJS(danger)+`).closest('details').querySelector('form').innerText`)
			if !strings.Contains(ask, tt.ask) {
				t.Errorf("the confirmation says %q, want %q", ask, tt.ask)
			}
			boClick(t, tab, strings.TrimSuffix(danger, " summary")+` button.danger`)
			deadline := time.Now().Add(boWaitFor)
			for !tt.gone(t) {
				if time.Now().After(deadline) {
					t.Fatal("the confirmation did not delete")
				}
				time.Sleep(20 * time.Millisecond)
			}
		})
	}
}

// TestBrowserBackOfficeLooks: what an operator saw wrong at 1280 px: the
// sign-out button wrapped away from who is signed in, the last date under
// the chart was cut, lifetimes were in English in the French interface.
func TestBrowserBackOfficeLooks(t *testing.T) {
	browser := boChromium(t)
	s := newBoServer(t)
	// A long address, as operators have: the header still holds on one line.
	ctx := context.Background()
	long := "operations.cookie-charter@opendata.example.org"
	owner, err := s.st.UserByEmail(ctx, "owner@example.org")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.st.CreateUser(ctx, auth.User{Email: long, Role: "owner", PasswordHash: owner.PasswordHash}); err != nil {
		t.Fatal(err)
	}
	for _, lang := range []string{"fr", "en"} {
		tab := boTab(t, browser, lang)
		if err := chromedp.Do(tab, chromedp.EmulateViewport(1280, 800)); err != nil {
			t.Fatal(err)
		}
		boLogin(t, tab, s, long)
		// The navigation on one line, who is signed in beside the sign-out
		// button, all within the screen.
		got := boEval[struct {
			Nav, Account []float64
			Right        float64
		}](t, tab, `({
  nav: [...document.querySelectorAll('header nav a')].map(e => e.getBoundingClientRect().top),
  account: [...document.querySelectorAll('header .who, header .account button')].map(e => e.getBoundingClientRect().top + e.getBoundingClientRect().height / 2),
  right: Math.max(...[...document.querySelectorAll('header *')].map(e => e.getBoundingClientRect().right)),
})`)
		if slices.Max(got.Nav)-slices.Min(got.Nav) > 2 {
			t.Errorf("%s: at 1280 px the navigation wraps: tops %v", lang, got.Nav)
		}
		if len(got.Account) != 2 || math.Abs(got.Account[0]-got.Account[1]) > 6 {
			t.Errorf("%s: at 1280 px the sign-out button is not beside who is signed in: middles %v", lang, got.Account)
		}
		if got.Right > 1280 {
			t.Errorf("%s: the header runs past the screen to %v px", lang, got.Right)
		}
	}
	tab := boTab(t, browser, "fr")
	boLogin(t, tab, s, "owner@example.org")

	for _, days := range []int{7, 30, 90} {
		boOpen(t, tab, s.URL+"/admin/sites/demo/stats?days="+strconv.Itoa(days))
		out := boEval[[]string](t, tab, `[...document.querySelectorAll('svg.chart')].flatMap(svg => {
  const w = svg.viewBox.baseVal.width, h = svg.viewBox.baseVal.height;
  return [...svg.querySelectorAll('text')].filter(e => { const b = e.getBBox(); return b.x < 0 || b.x + b.width > w || b.y < 0 || b.y + b.height > h; }).map(e => e.textContent);
})`)
		if len(out) > 0 {
			t.Errorf("%d days: chart labels cut at the edge: %q", days, out)
		}
	}

	boOpen(t, tab, s.URL+"/admin/sites/demo/registry")
	lifetimes := boEval[string](t, tab, `[...document.querySelectorAll('main table')[1].tBodies[0].rows].map(r => r.cells[4].innerText).join('|')`)
	for _, want := range []string{"2 semaines", "13 mois"} {
		if !strings.Contains(lifetimes, want) {
			t.Errorf("the French registry page does not say %q: %s", want, lifetimes)
		}
	}
	for _, not := range []string{"weeks", "months", "year"} {
		if strings.Contains(lifetimes, not) {
			t.Errorf("the French registry page says %q: %s", not, lifetimes)
		}
	}
}

// TestBrowserThemeSetting: the site's settings choose the banner's look;
// an unknown theme (a forged form) is refused and changes nothing.
func TestBrowserThemeSetting(t *testing.T) {
	browser := boChromium(t)
	s := newBoServer(t)
	ctx := context.Background()
	theme := func() string {
		site, err := s.st.Site(ctx, "demo")
		if err != nil {
			t.Fatal(err)
		}
		return site.Theme
	}
	tab := boTab(t, browser, "fr")
	boLogin(t, tab, s, "owner@example.org")
	for _, tt := range []struct {
		value, want string
		status      int
	}{
		{"material", "", 422},
		{"dsfr", "dsfr", 200},
		{"", "", 200},
	} {
		boOpen(t, tab, s.URL+"/admin/sites/demo/")
		if label := boEval[string](t, tab, `document.querySelector('select[name=theme]').labels[0].innerText`); !strings.HasPrefix(label, "Apparence du bandeau") {
			t.Errorf("theme select labelled %q", label)
		}
		// A forged value is added as an option, as a hand-made form would send it.
		boEval[bool](t, tab, `(s => { if (![...s.options].some(o => o.value === `+boJS(tt.value)+`)) s.add(new Option('x', `+boJS(tt.value)+`)); s.value = `+boJS(tt.value)+`; return true; })(document.querySelector('select[name=theme]'))`)
		boFollow(t, tab, `main form button`)
		if st := boStatus(t, tab); st != tt.status {
			t.Errorf("theme %q: status %d, want %d", tt.value, st, tt.status)
		}
		if got := theme(); got != tt.want {
			t.Errorf("theme %q: the draft's theme is %q, want %q", tt.value, got, tt.want)
		}
		if tt.status == 422 && !strings.Contains(boText(t, tab), "material") {
			t.Errorf("the refusal does not name the theme:\n%s", boText(t, tab))
		}
	}
}
