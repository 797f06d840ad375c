package web

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/charte/charte/internal/browsertest"
	"github.com/charte/charte/internal/demo"
	"github.com/charte/charte/registry"
)

// The RGAA 4.1 criteria a browser can check, over what visitors meet: the
// banner's first layer, the preferences dialog, the placeholder of blocked
// content and the charter page, in French, English and Arabic (right to
// left), plus axe-core with zero violations. docs/accessibility.md reports
// them.

// publicStates are the states a visitor meets, each reached from a fresh
// tab: the page, what to do there, and the part of it under test.
var publicStates = []struct {
	name, page, part string
	reach            func(t *testing.T, tb context.Context)
}{
	{"first layer", "/sites/demo/demo", ".charte-banner", nil},
	{"preferences dialog", "/sites/demo/demo", ".charte-d", func(t *testing.T, tb context.Context) {
		click(t, tb, `.charte-banner [data-charte-action=customise]`)
		waitTrue(t, tb, `!!document.querySelector('.charte-d')`)
		// Every disclosure open, so that what it hides is checked too.
		eval[bool](t, tb, `document.querySelectorAll('.charte-d details').forEach(d => d.open = true), true`)
	}},
	{"placeholder", "/sites/demo/demo", ".charte-ph", func(t *testing.T, tb context.Context) {
		click(t, tb, `.charte-banner [data-charte-action=reject_all]`)
		waitTrue(t, tb, `!document.querySelector('.charte-banner')`)
	}},
	{"charter page", "/sites/demo/charter", "main", nil},
	// A site with services: the dialog's per-service switches under each
	// category, and the charter's service entries (vendor, country, policy).
	{"service switches", "/sites/with-services/demo", ".charte-d", func(t *testing.T, tb context.Context) {
		click(t, tb, `.charte-banner [data-charte-action=customise]`)
		waitTrue(t, tb, `!!document.querySelector('.charte-d [data-s]')`)
		eval[bool](t, tb, `document.querySelectorAll('.charte-d details').forEach(d => d.open = true), true`)
	}},
	{"charter with services", "/sites/with-services/charter", "main", nil},
}

// saveServicesSite publishes "with-services": the demo site declaring
// YouTube and Vimeo from the catalogue instead of its hand-written video
// cookie, as the switches and the charter's service entries need.
func saveServicesSite(t *testing.T, e *env) {
	t.Helper()
	s := demo.Site("demo")
	s.ID, s.Services = "with-services", []registry.Service{{ID: "youtube"}, {ID: "vimeo"}}
	s.Cookies = slices.DeleteFunc(s.Cookies, func(c registry.Cookie) bool { return c.Category == "marketing" })
	ctx := context.Background()
	if err := e.store.SaveSite(ctx, registry.MustCheck(s)); err != nil {
		t.Fatal(err)
	}
	if _, err := e.store.Publish(ctx, s.ID); err != nil {
		t.Fatal(err)
	}
}

// partChecks lists what the part gets wrong of what a script can check:
// its language (8.3, 8.7), named controls and labelled fields (11.1, 11.9,
// 6.2), a named dialog (7.1), targets of at least 24 px (WCAG 2.2 SC 2.5.8),
// text that fits its box once text spacing is raised (10.12, run after
// textSpacing), and nothing wider than the screen (10.11).
const partChecks = `(sel => {
  const bad = [], part = document.querySelector(sel), who = e => e.outerHTML.slice(0, 80);
  if (!part) return ['no ' + sel];
  if (!part.closest('[lang]') || !/^(fr|en|ar)$/.test(part.closest('[lang]').lang)) bad.push('no language on ' + sel);
  if (part.closest('[lang]') && part.closest('[lang]').lang === 'ar' && getComputedStyle(part).direction !== 'rtl') bad.push('Arabic not right to left: ' + sel);
  for (const e of part.querySelectorAll('button, a[href], summary'))
    if (!e.textContent.trim() && !e.getAttribute('aria-label')) bad.push('no name: ' + who(e));
  for (const e of part.querySelectorAll('input, select, textarea'))
    if (e.type !== 'hidden' && !(e.labels && e.labels.length) && !e.getAttribute('aria-label')) bad.push('no label: ' + who(e));
  for (const d of document.querySelectorAll('[role=dialog]'))
    if (d.getAttribute('aria-modal') !== 'true' || !document.getElementById(d.getAttribute('aria-labelledby'))) bad.push('dialog without a name or not modal');
  for (const e of part.querySelectorAll('button, summary, input')) {
    const r = e.getBoundingClientRect();
    if (r.width && (r.height < 24 || r.width < 24) && e.type !== 'checkbox') bad.push('target ' + Math.round(r.width) + '×' + Math.round(r.height) + ': ' + who(e));
  }
  for (const e of [part, ...part.querySelectorAll('*')]) {
    const s = getComputedStyle(e);
    if ((s.overflowX === 'hidden' || s.overflowY === 'hidden' || s.overflow === 'hidden') && (e.scrollHeight > e.clientHeight + 1 || e.scrollWidth > e.clientWidth + 1) && e.textContent.trim())
      bad.push('text cut: ' + who(e));
    if (e.tagName === 'BUTTON' && e.scrollWidth > e.clientWidth + 1) bad.push('label wider than its button: ' + who(e));
  }
  if (document.documentElement.scrollWidth > innerWidth) bad.push('the page scrolls sideways: ' + document.documentElement.scrollWidth + ' > ' + innerWidth + ', past it: ' +
    [...document.querySelectorAll('body *')].filter(e => e.scrollWidth > e.clientWidth + 1 || e.getBoundingClientRect().right > innerWidth + 1).map(e => e.tagName + '.' + e.className + '#' + e.id + ' ' + e.scrollWidth + '/' + e.clientWidth).slice(0, 6).join(' '));
  return bad;
})`

// textSpacing applies WCAG 1.4.12's text spacing to everything, as a
// visitor's own style sheet would (a constructed sheet: the pages' policy
// forbids inline styles, and this is the way charte's own styles go in).
const textSpacing = `(() => { const s = new CSSStyleSheet; s.replaceSync('* { line-height: 1.5 !important; letter-spacing: .12em !important; word-spacing: .16em !important; } p { margin-bottom: 2em !important; }');
  document.adoptedStyleSheets = [...document.adoptedStyleSheets, s]; return true; })()`

// TestBrowserRGAA: each state, in French, English and Arabic, on a laptop and at
// 320 px, with the default text spacing and with WCAG's: zero findings,
// zero axe violations.
func TestBrowserRGAA(t *testing.T) {
	browser := startChromium(t)
	e := newEnv(t)
	saveServicesSite(t, e)
	for _, st := range publicStates {
		for _, lang := range []string{"fr", "en", "ar"} {
			// The demo page's own wording is French and English (Arabic
			// reads in English, said so by its lang), while its banner tag
			// names the visitor's language: in Arabic the banner, the dialog
			// and the placeholder are right to left on an English page.
			pageLang := lang
			if lang == "ar" && !strings.Contains(st.page, "/charter") {
				pageLang = "en"
			}
			for _, width := range []int64{1280, 320} {
				t.Run(st.name+", "+lang+", "+map[int64]string{1280: "laptop", 320: "320 px"}[width], func(t *testing.T) {
					tb := tab(t, browser)
					view(t, tb, width, 800, 1, 0)
					open(t, tb, e.URL+st.page+"?lang="+lang)
					if st.reach != nil {
						st.reach(t, tb)
					}
					if got := eval[string](t, tb, `document.documentElement.lang`); got != pageLang {
						t.Errorf("page language %q, want %q", got, pageLang)
					}
					if got := eval[string](t, tb, `(document.querySelector(`+jsonString(st.part)+`) || document.body).closest('[lang]').lang`); got != lang {
						t.Errorf("%s speaks %q, want %q", st.part, got, lang)
					}
					for _, v := range browsertest.Axe(t, tb, "") {
						t.Errorf("axe: %s", v)
					}
					for _, p := range eval[[]string](t, tb, partChecks+`(`+jsonString(st.part)+`)`) {
						t.Error(p)
					}
					eval[bool](t, tb, textSpacing)
					for _, p := range eval[[]string](t, tb, partChecks+`(`+jsonString(st.part)+`)`) {
						t.Error("with WCAG text spacing: " + p)
					}
				})
			}
		}
	}
}

// TestBrowserFocusVisible: every control of the banner, the dialog and the
// placeholder shows where the keyboard focus is (RGAA 10.7): an outline at
// least 2 px wide, in a colour at 3:1 against the background behind it.
func TestBrowserFocusVisible(t *testing.T) {
	browser := startChromium(t)
	e := newEnv(t)
	// outline reads the focused element's outline and its contrast with
	// the background of the closest ancestor that has one.
	const outline = `(() => {
  const a = document.activeElement, s = getComputedStyle(a);
  const rgb = c => c.match(/\d+(\.\d+)?/g).slice(0, 3).map(Number);
  const lum = c => { const [r, g, b] = c.map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; }); return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
  let bg = 'rgb(255, 255, 255)';
  for (let p = a.parentElement; p; p = p.parentElement) { const c = getComputedStyle(p).backgroundColor; if (!/rgba\(.*, 0\)$/.test(c) && c !== 'transparent') { bg = c; break; } }
  const [x, y] = [lum(rgb(s.outlineColor)), lum(rgb(bg))].sort((p, q) => q - p);
  return {who: a.outerHTML.slice(0, 60), style: s.outlineStyle, width: parseFloat(s.outlineWidth), contrast: (x + 0.05) / (y + 0.05)};
})()`
	type ring struct {
		Who, Style      string
		Width, Contrast float64
	}
	tb := tab(t, browser)
	open(t, tb, e.URL+"/sites/demo/demo?lang=fr")
	seen := 0
	check := func(where string) {
		r := eval[ring](t, tb, outline)
		seen++
		if r.Style == "none" || r.Width < 2 || r.Contrast < 3 {
			t.Errorf("%s: focus on %s shows outline %s %.0f px at %.2f:1", where, r.Who, r.Style, r.Width, r.Contrast)
		}
	}
	for range 5 { // the first layer: ×, charter link, three buttons
		press(t, tb, kb.Tab)
		check("first layer")
	}
	press(t, tb, kb.Enter) // Personnaliser
	waitTrue(t, tb, `!!document.querySelector('.charte-d')`)
	n := eval[int](t, tb, `document.querySelectorAll('.charte-d button, .charte-d input, .charte-d summary').length`)
	for range n {
		press(t, tb, kb.Tab)
		check("dialog")
	}
	press(t, tb, kb.Escape)
	click(t, tb, `.charte-banner [data-charte-action=reject_all]`)
	eval[bool](t, tb, `document.querySelector('.charte-ph button').focus({focusVisible: true}), true`)
	check("placeholder")
	if seen < 10 {
		t.Errorf("only %d controls checked", seen)
	}
}

// TestBrowserPointerCancellation: a choice is made when the pointer is
// released on the button, never on the press (RGAA 13.11): pressing
// "Tout accepter" and sliding off before releasing chooses nothing.
func TestBrowserPointerCancellation(t *testing.T) {
	browser := startChromium(t)
	e := newEnv(t)
	tb := tab(t, browser)
	open(t, tb, e.URL+"/sites/demo/demo?lang=fr")
	at := eval[[]float64](t, tb, `(r => [r.left + r.width / 2, r.top + r.height / 2])(document.querySelector('.charte-banner [data-charte-action=accept_all]').getBoundingClientRect())`)
	mouse := func(typ input.DispatchMouseEventType, x, y float64) {
		if err := chromedp.Do(tb, chromedp.MouseEvent(typ, x, y, chromedp.ButtonLeft, chromedp.ClickCount(1))); err != nil {
			t.Fatal(err)
		}
	}
	mouse(input.DispatchMouseEventTypeMousePressed, at[0], at[1])
	if !eval[bool](t, tb, bannerShown) || eval[bool](t, tb, `document.cookie.includes('cookies_preferences')`) {
		t.Fatal("pressing the button chose already")
	}
	mouse(input.DispatchMouseEventTypeMouseMoved, 5, 5)
	mouse(input.DispatchMouseEventTypeMouseReleased, 5, 5)
	if !eval[bool](t, tb, bannerShown) || eval[bool](t, tb, `document.cookie.includes('cookies_preferences')`) {
		t.Error("sliding off the button before releasing chose")
	}
	mouse(input.DispatchMouseEventTypeMousePressed, at[0], at[1])
	mouse(input.DispatchMouseEventTypeMouseReleased, at[0], at[1])
	waitTrue(t, tb, `!document.querySelector('.charte-banner')`)
	if c, _ := storedChoice(t, tb); !strings.Contains(c.Encode(), "statistics=1") {
		t.Errorf("a full click chose %s", c.Encode())
	}
}

// TestBrowserDemoVideo: the demo's stand-alone video page (what the blocked
// frame shows once allowed) has a main landmark and an h1, and passes axe.
func TestBrowserDemoVideo(t *testing.T) {
	browser := startChromium(t)
	e := newEnv(t)
	for _, lang := range []string{"fr", "en"} {
		tb := tab(t, browser)
		browsertest.Open(t, tb, e.URL+"/sites/demo/demo/video?lang="+lang, "")
		if n := eval[[]int](t, tb, `[document.querySelectorAll('main').length, document.querySelectorAll('main h1').length]`); n[0] != 1 || n[1] != 1 {
			t.Errorf("%s: %d main and %d h1 in it, want one each", lang, n[0], n[1])
		}
		for _, v := range browsertest.Axe(t, tb, "") {
			t.Errorf("%s: axe: %s", lang, v)
		}
	}
}
