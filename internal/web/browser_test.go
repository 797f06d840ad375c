package web

import (
	"context"
	"encoding/json"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/charte/charte/consent"
	"github.com/charte/charte/internal/demo"
	"github.com/charte/charte/internal/proof"
	"github.com/charte/charte/registry"
)

// These tests drive the demo page in headless Chromium as visitors do, and
// check what they see, the cookies the browser holds and the proof stored.

const (
	firstLayer = `.charte-banner`
	dialog     = `.charte-d[role=dialog]`
	manage     = `#demo-manage` // the page's "Gérer mes cookies" link
)

// bannerShown reports whether the first layer is on screen.
const bannerShown = `!!document.querySelector('.charte-banner:not([hidden])')`

// TestBrowserFirstVisit: before any choice the visitor is asked, in the
// page's language, and nothing needing consent runs or is stored.
func TestBrowserFirstVisit(t *testing.T) {
	browser := startChromium(t)
	tests := []struct {
		lang                                  string
		accept, reject, customise, close, who string
	}{
		{"fr", "Tout accepter", "Tout refuser", "Personnaliser", "Continuer sans accepter", "Partenaires tiers : YouTube (Google)."},
		{"en", "Accept all", "Reject all", "Customise", "Continue without accepting", "Third parties: YouTube (Google)."},
	}
	for _, tt := range tests {
		t.Run(tt.lang, func(t *testing.T) {
			e := newEnv(t)
			tb := tab(t, browser)
			open(t, tb, e.URL+"/sites/demo/demo?lang="+tt.lang)
			got := eval[[]string](t, tb, `Array.from(document.querySelectorAll('.charte-banner [data-charte-action]'), b => b.tagName + ':' + b.dataset.charteAction + ':' + b.textContent)`)
			want := []string{"BUTTON:accept_all:" + tt.accept, "BUTTON:reject_all:" + tt.reject, "BUTTON:customise:" + tt.customise}
			if strings.Join(got, "|") != strings.Join(want, "|") {
				t.Errorf("first-layer buttons %q, want %q", got, want)
			}
			text := eval[string](t, tb, `document.querySelector('.charte-banner').innerText`)
			for _, w := range []string{tt.close, tt.who, map[string]string{"fr": "Mesure d'audience", "en": "Audience measurement"}[tt.lang]} {
				if !strings.Contains(text, w) {
					t.Errorf("the banner does not say %q:\n%s", w, text)
				}
			}
			if href := eval[string](t, tb, `document.querySelector('.charte-banner a').href`); href != e.URL+"/sites/demo/charter?lang="+tt.lang {
				t.Errorf("charter link %s", href)
			}
			if first := eval[bool](t, tb, `document.body.firstElementChild.matches('.charte-banner')`); !first {
				t.Error("the banner is not first in the page, so not first in tab order")
			}
			// Nothing needing consent: no cookie, no blocked script, no frame.
			all := cookies(t, tb)
			for _, name := range []string{consent.CookieName, "_pk_", "YSC", "VISITOR_INFO1_LIVE"} {
				if hasCookie(all, name) {
					t.Errorf("cookie %s set before any choice", name)
				}
			}
			if ran := eval[bool](t, tb, `'demoStatsRuns' in window`); ran {
				t.Error("the blocked statistics script ran")
			}
			if src := eval[string](t, tb, `document.getElementById('demo-video').getAttribute('src') || ''`); src != "" {
				t.Errorf("the blocked video has src %q", src)
			}
			ph := eval[string](t, tb, `document.querySelector('.charte-ph').innerText`)
			if !strings.Contains(ph, "YouTube (Google)") {
				t.Errorf("the video placeholder does not name its provider: %q", ph)
			}
			if n := e.count(t, "demo"); n != 0 {
				t.Errorf("%d records stored before any choice", n)
			}
			noViolations(t, tb)
		})
	}
}

// TestBrowserChoices: each way of choosing stores the same choice in the
// cookie (read with Go's codec), in the proof, and on the page.
func TestBrowserChoices(t *testing.T) {
	browser := startChromium(t)
	tests := []struct {
		name   string
		choose func(t *testing.T, tb context.Context)
		action string
		stats  bool // statistics granted: Matomo's cookies set, its script run
		video  bool // marketing granted: the video loaded and set its cookies
	}{
		{"reject all", func(t *testing.T, tb context.Context) {
			click(t, tb, `.charte-banner [data-charte-action=reject_all]`)
		}, proof.RejectAll, false, false},
		{"continue without accepting", func(t *testing.T, tb context.Context) {
			click(t, tb, `.charte-banner .charte-x`)
		}, proof.RejectAll, false, false},
		{"accept all", func(t *testing.T, tb context.Context) {
			click(t, tb, `.charte-banner [data-charte-action=accept_all]`)
		}, proof.AcceptAll, true, true},
		{"customise: statistics only", func(t *testing.T, tb context.Context) {
			click(t, tb, `.charte-banner [data-charte-action=customise]`)
			waitTrue(t, tb, `!!document.querySelector('.charte-d')`) // fetched when it first opens
			if checked := eval[[]bool](t, tb, `Array.from(document.querySelectorAll('.charte-d input'), i => i.checked)`); len(checked) != 2 || checked[0] || checked[1] {
				t.Errorf("switches %v, want two, off", checked)
			}
			click(t, tb, `.charte-d [data-k=statistics]`)
			click(t, tb, `.charte-d [data-charte-action=save]`)
		}, proof.Custom, true, false},
		{"load the video from its placeholder", func(t *testing.T, tb context.Context) {
			// Scrolled to the top, as a visitor would, out from under the banner.
			eval[bool](t, tb, `document.querySelector('.charte-ph').scrollIntoView({block: 'start'}), true`)
			click(t, tb, `.charte-ph button`)
		}, proof.Custom, false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			tb := tab(t, browser)
			open(t, tb, e.URL+"/sites/demo/demo?lang=fr")
			tt.choose(t, tb)
			waitTrue(t, tb, `!document.querySelector('.charte-banner, .charte-o')`)
			if tt.stats {
				waitTrue(t, tb, `window.demoStatsRuns === 1`)
			}
			if tt.video {
				waitTrue(t, tb, `document.cookie.includes('YSC=')`)
			}
			choice, c := storedChoice(t, tb)
			want := []consent.Decision{{Category: "statistics", Granted: tt.stats}, {Category: "marketing", Granted: tt.video}}
			if !equalDecisions(choice.Decisions, want) {
				t.Errorf("cookie decisions %v, want %v", choice.Decisions, want)
			}
			checkChoiceCookie(t, c.SameSite, c.HTTPOnly, c.Path, c.Expires, choice)
			recs := e.records(t, "demo", choice.ConsentID, 1)
			r := recs[0]
			if r.Action != tt.action || r.Decisions["statistics"] != tt.stats || r.Decisions["marketing"] != tt.video ||
				r.Revision != choice.Revision || r.Language != "fr" || r.Page != "/sites/demo/demo" || r.GPC {
				t.Errorf("stored record %+v", r)
			}
			checkPage(t, tb, tt.stats, tt.video)

			// The next page remembers: no banner, the same things allowed.
			open(t, tb, e.URL+"/sites/demo/demo?lang=fr")
			if eval[bool](t, tb, bannerShown) {
				t.Error("the banner asks again on the next page")
			}
			if tt.stats {
				waitTrue(t, tb, `window.demoStatsRuns === 1`)
			}
			checkPage(t, tb, tt.stats, tt.video)
			if n := e.count(t, "demo"); n != 1 {
				t.Errorf("%d records after the next page, want 1", n)
			}
			noViolations(t, tb)
		})
	}
}

// TestBrowserWithdraw: reopening the preferences from the page's link and
// turning statistics off deletes Matomo's cookies and stops its script.
func TestBrowserWithdraw(t *testing.T) {
	browser := startChromium(t)
	e := newEnv(t)
	tb := tab(t, browser)
	open(t, tb, e.URL+"/sites/demo/demo?lang=en")
	click(t, tb, `.charte-banner [data-charte-action=accept_all]`)
	waitTrue(t, tb, `window.demoStatsRuns === 1 && document.cookie.includes('YSC=')`)
	before, _ := storedChoice(t, tb)

	click(t, tb, manage)
	waitTrue(t, tb, `!!document.querySelector('.charte-d')`)
	if got := eval[[]bool](t, tb, `Array.from(document.querySelectorAll('.charte-d input'), i => i.checked)`); len(got) != 2 || !got[0] || !got[1] {
		t.Errorf("switches %v, want both on as chosen", got)
	}
	if id := eval[string](t, tb, `document.querySelector('.charte-d code').textContent`); id != before.ConsentID {
		t.Errorf("the dialog shows consent id %q, want %q", id, before.ConsentID)
	}
	eval[bool](t, tb, `window.beforeReload = true`)
	click(t, tb, `.charte-d [data-k=statistics]`)
	click(t, tb, `.charte-d [data-charte-action=save]`)
	waitReload(t, tb)

	all := cookies(t, tb)
	if hasCookie(all, "_pk_id") || hasCookie(all, "_pk_ses") {
		t.Errorf("Matomo's cookies survived the withdrawal: %v", names(all))
	}
	if !hasCookie(all, "YSC") {
		t.Error("the video's cookies went although marketing is still granted")
	}
	after, _ := storedChoice(t, tb)
	if after.ConsentID != before.ConsentID || after.Allowed("statistics") || !after.Allowed("marketing") {
		t.Errorf("choice after withdrawal %+v", after)
	}
	recs := e.records(t, "demo", before.ConsentID, 2)
	if recs[1].Action != proof.Withdraw || recs[1].Decisions["statistics"] || !recs[1].Decisions["marketing"] {
		t.Errorf("withdrawal record %+v", recs[1])
	}
	checkPage(t, tb, false, true)
	if eval[bool](t, tb, `'demoStatsRuns' in window`) {
		t.Error("the statistics script ran after the withdrawal")
	}
}

// TestBrowserNewRevision: publishing a visible change asks every visitor
// again, under the same consent id.
func TestBrowserNewRevision(t *testing.T) {
	browser := startChromium(t)
	e := newEnv(t)
	tb := tab(t, browser)
	open(t, tb, e.URL+"/sites/demo/demo?lang=en")
	click(t, tb, `.charte-banner [data-charte-action=accept_all]`)
	waitTrue(t, tb, `window.demoStatsRuns === 1`)
	first, _ := storedChoice(t, tb)

	ctx := context.Background()
	site, err := e.store.Site(ctx, "demo")
	if err != nil {
		t.Fatal(err)
	}
	site.Banner = map[string]registry.BannerText{"en": {Title: "We changed our partners"}}
	if err := e.store.SaveSite(ctx, registry.MustCheck(site)); err != nil {
		t.Fatal(err)
	}
	rev, err := e.store.Publish(ctx, "demo")
	if err != nil || rev.ID == first.Revision {
		t.Fatalf("publish: %v, revision %s", err, rev.ID)
	}
	e.server.revisions.Forget("demo") // as the back office does after a publish
	noCache(t, tb)                    // the visitor's cached banner.js expired

	open(t, tb, e.URL+"/sites/demo/demo?lang=en")
	if !eval[bool](t, tb, bannerShown) {
		t.Fatal("the banner does not ask again after a new revision")
	}
	if title := eval[string](t, tb, `document.querySelector('.charte-banner h2').textContent`); title != "We changed our partners" {
		t.Errorf("banner title %q", title)
	}
	if eval[bool](t, tb, `'demoStatsRuns' in window`) {
		t.Error("the statistics script ran on a choice made for another revision")
	}
	if hasCookie(cookies(t, tb), "_pk_") {
		t.Error("Matomo's cookies stay while the visitor is asked again")
	}
	click(t, tb, `.charte-banner [data-charte-action=reject_all]`)
	waitTrue(t, tb, `!document.querySelector('.charte-banner')`)
	second, _ := storedChoice(t, tb)
	if second.Revision != rev.ID || second.ConsentID != first.ConsentID {
		t.Errorf("new choice %+v, want revision %s and consent id %s", second, rev.ID, first.ConsentID)
	}
	recs := e.records(t, "demo", first.ConsentID, 2)
	if recs[1].Revision != rev.ID || recs[1].Action != proof.RejectAll {
		t.Errorf("second record %+v", recs[1])
	}
}

// TestBrowserGPC: Global Privacy Control refuses without asking, is
// recorded, and the preferences let the visitor opt in; a site may turn
// this off.
func TestBrowserGPC(t *testing.T) {
	browser := startChromium(t)
	t.Run("respected", func(t *testing.T) {
		e := newEnv(t)
		tb := tab(t, browser, gpcOn)
		open(t, tb, e.URL+"/sites/demo/demo?lang=fr")
		waitTrue(t, tb, `document.cookie.includes('cookies_preferences=')`)
		if eval[bool](t, tb, bannerShown) {
			t.Error("the banner asks despite GPC")
		}
		choice, _ := storedChoice(t, tb)
		if choice.Allowed("statistics") || choice.Allowed("marketing") {
			t.Errorf("GPC choice %+v", choice)
		}
		recs := e.records(t, "demo", choice.ConsentID, 1)
		if recs[0].Action != proof.GPC || !recs[0].GPC || recs[0].Decisions["statistics"] {
			t.Errorf("GPC record %+v", recs[0])
		}
		click(t, tb, manage)
		waitTrue(t, tb, `!!document.querySelector('.charte-d')`) // fetched when it first opens
		if text := eval[string](t, tb, `document.querySelector('.charte-d').innerText`); !strings.Contains(text, "Global Privacy Control") {
			t.Errorf("the preferences do not mention GPC:\n%s", text)
		}
		click(t, tb, `.charte-d [data-k=statistics]`)
		click(t, tb, `.charte-d [data-charte-action=save]`)
		waitTrue(t, tb, `window.demoStatsRuns === 1`)
		recs = e.records(t, "demo", choice.ConsentID, 2)
		if recs[1].Action != proof.Custom || !recs[1].GPC || !recs[1].Decisions["statistics"] {
			t.Errorf("opt-in record %+v", recs[1])
		}
	})
	t.Run("ignored by the site", func(t *testing.T) {
		e := newEnv(t)
		ctx := context.Background()
		site, _ := e.store.Site(ctx, "demo")
		site.IgnoreGPC = true
		if err := e.store.SaveSite(ctx, registry.MustCheck(site)); err != nil {
			t.Fatal(err)
		}
		if _, err := e.store.Publish(ctx, "demo"); err != nil {
			t.Fatal(err)
		}
		tb := tab(t, browser, gpcOn)
		open(t, tb, e.URL+"/sites/demo/demo?lang=fr")
		if !eval[bool](t, tb, bannerShown) {
			t.Error("no banner on a site that ignores GPC")
		}
		if hasCookie(cookies(t, tb), consent.CookieName) {
			t.Error("a choice was stored without asking")
		}
	})
}

// TestBrowserKeyboard: the banner and the dialog work with the keyboard
// alone: tab order, Enter, a focus trap, Escape and focus return.
func TestBrowserKeyboard(t *testing.T) {
	browser := startChromium(t)
	e := newEnv(t)
	tb := tab(t, browser)
	open(t, tb, e.URL+"/sites/demo/demo?lang=fr")
	focused := `(document.activeElement.dataset.charteAction || document.activeElement.className || document.activeElement.tagName)`
	var order []string
	for range 5 {
		press(t, tb, kb.Tab)
		order = append(order, eval[string](t, tb, focused))
	}
	if want := "charte-x|A|accept_all|reject_all|customise"; strings.Join(order, "|") != want {
		t.Errorf("tab order %v, want %s: the banner must come first", order, want)
	}
	press(t, tb, kb.Enter)
	waitTrue(t, tb, `!!document.querySelector('.charte-d')`)
	if attrs := eval[string](t, tb, `(d => d.getAttribute('role') + ' ' + d.getAttribute('aria-modal') + ' ' + document.getElementById(d.getAttribute('aria-labelledby')).textContent)(document.querySelector('.charte-d'))`); attrs != "dialog true Vos préférences cookies" {
		t.Errorf("dialog attributes %q", attrs)
	}
	inside := `document.querySelector('.charte-d').contains(document.activeElement)`
	if !eval[bool](t, tb, inside) {
		t.Fatal("the dialog did not take the focus")
	}
	for i := range 25 {
		opts := []chromedp.KeyOption{}
		if i%2 == 1 && i > 15 {
			opts = append(opts, chromedp.KeyModifiers(chromedp.ModifierShift))
		}
		press(t, tb, kb.Tab, opts...)
		if !eval[bool](t, tb, inside) {
			t.Fatalf("Tab %d left the dialog for %s", i+1, eval[string](t, tb, `document.activeElement.outerHTML.slice(0, 80)`))
		}
	}
	press(t, tb, kb.Escape)
	waitTrue(t, tb, `!document.querySelector('.charte-d')`)
	if got := eval[string](t, tb, focused); got != "customise" {
		t.Errorf("after Escape the focus is on %q, want the Personnaliser button", got)
	}
	press(t, tb, kb.Tab, chromedp.KeyModifiers(chromedp.ModifierShift))
	if got := eval[string](t, tb, focused); got != "reject_all" {
		t.Fatalf("Shift+Tab went to %q", got)
	}
	press(t, tb, kb.Enter)
	waitTrue(t, tb, `!document.querySelector('.charte-banner')`)
	choice, _ := storedChoice(t, tb)
	if recs := e.records(t, "demo", choice.ConsentID, 1); recs[0].Action != proof.RejectAll {
		t.Errorf("record %+v", recs[0])
	}
}

// TestBrowserBannerButtonsIdentical: "Tout refuser" is exactly as big and
// as visible as "Tout accepter", on a laptop, at 320 px and at 200 % zoom;
// and the banner stays on screen.
func TestBrowserBannerButtonsIdentical(t *testing.T) {
	browser := startChromium(t)
	e := newEnv(t)
	tests := []struct {
		name          string
		width, height int64
		scale         float64
	}{
		{"laptop", 1280, 800, 1},
		{"320 px", 320, 640, 1},
		{"200 % zoom", 640, 400, 2}, // a 1280×800 screen at 200 % shows 640×400 CSS pixels
	}
	const measure = `Array.from(document.querySelectorAll('.charte-banner [data-charte-action]'), b => {
  const s = getComputedStyle(b), r = b.getBoundingClientRect();
  return {width: r.width, height: r.height, style: [s.fontFamily, s.fontSize, s.fontWeight, s.color, s.backgroundColor,
    s.borderTopWidth, s.borderRadius, s.paddingTop, s.paddingLeft, s.textDecorationLine, s.boxShadow].join('|')};
})`
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tb := tab(t, browser)
			if err := chromedp.Do(tb, chromedp.EmulateViewport(tt.width, tt.height, chromedp.EmulateScale(tt.scale))); err != nil {
				t.Fatal(err)
			}
			open(t, tb, e.URL+"/sites/demo/demo?lang=fr")
			got := eval[[]struct {
				Width, Height float64
				Style         string
			}](t, tb, measure)
			// Grid columns may differ by a fraction of a pixel from layout
			// rounding; a visitor cannot see a hundredth of a pixel.
			for i := 1; i < len(got); i++ {
				if math.Abs(got[i].Width-got[0].Width) > 0.1 || math.Abs(got[i].Height-got[0].Height) > 0.1 || got[i].Style != got[0].Style {
					t.Errorf("button %d differs from the first: %+v vs %+v", i, got[i], got[0])
				}
			}
			if len(got) != 3 {
				t.Errorf("%d first-layer buttons, want 3", len(got))
			}
			fits := eval[[]float64](t, tb, `(r => [r.left, r.right, r.top, r.bottom, innerWidth, innerHeight, document.documentElement.scrollWidth])(document.querySelector('.charte-banner').getBoundingClientRect())`)
			if fits[0] < 0 || fits[1] > fits[4]+0.5 || fits[2] < 0 || fits[3] > fits[5]+0.5 || fits[6] > fits[4] {
				t.Errorf("the banner leaves the screen: left, right, top, bottom, width, height, scroll width = %v", fits)
			}
			// The visitor can scroll to the buttons when the banner is taller than the screen.
			if eval[bool](t, tb, `(b => b.scrollHeight > b.clientHeight && getComputedStyle(b).overflowY !== 'auto')(document.querySelector('.charte-banner'))`) {
				t.Error("the banner overflows without scrolling")
			}
			if c := eval[[]float64](t, tb, contrast); c[0] < 4.5 || c[1] < 4.5 {
				t.Errorf("contrast %.2f:1 (text) and %.2f:1 (buttons), want ≥ 4.5:1", c[0], c[1])
			}
		})
	}
}

// contrast computes WCAG contrast ratios of the banner's text on its
// background and of a button's label on the button.
const contrast = `(() => {
  const rgb = s => s.match(/\d+(\.\d+)?/g).slice(0, 3).map(Number);
  const lum = c => { const [r, g, b] = c.map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; }); return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
  const ratio = (a, b) => { const [x, y] = [lum(rgb(a)), lum(rgb(b))].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
  const banner = getComputedStyle(document.querySelector('.charte-banner'));
  const button = getComputedStyle(document.querySelector('.charte-banner [data-charte-action]'));
  return [ratio(banner.color, banner.backgroundColor), ratio(button.color, button.backgroundColor)];
})()`

// TestBrowserStrictCSP: the demo page allows no inline script or style; the
// banner, its dialog, the unblocked script and the video work with no
// violation, and the banner is styled.
func TestBrowserStrictCSP(t *testing.T) {
	browser := startChromium(t)
	e := newEnv(t)
	tb := tab(t, browser)
	resp, err := chromedp.Run(tb, chromedp.NavigateResponse(e.URL+"/sites/demo/demo?lang=fr"))
	if err != nil {
		t.Fatal(err)
	}
	csp, _ := resp.Headers["Content-Security-Policy"].(string)
	if !strings.Contains(csp, "script-src 'self' "+e.URL) || !strings.Contains(csp, "style-src 'self' "+e.URL) || strings.Contains(csp, "unsafe-inline") {
		t.Fatalf("the demo page's policy is not the strict one: %q", csp)
	}
	waitTrue(t, tb, `!!window.charte`)
	if pos := eval[string](t, tb, `getComputedStyle(document.querySelector('.charte-banner')).position`); pos != "fixed" {
		t.Errorf("the banner is not styled (position %q)", pos)
	}
	click(t, tb, `.charte-banner [data-charte-action=customise]`)
	waitTrue(t, tb, `!!document.querySelector('.charte-d')`) // fetched when it first opens
	if pos := eval[string](t, tb, `getComputedStyle(document.querySelector('.charte-o')).position`); pos != "fixed" {
		t.Errorf("the dialog is not styled (position %q)", pos)
	}
	click(t, tb, `.charte-d [data-charte-action=accept_all]`)
	waitTrue(t, tb, `window.demoStatsRuns === 1 && document.cookie.includes('YSC=')`)
	click(t, tb, manage)
	waitTrue(t, tb, `!!document.querySelector('.charte-d')`) // fetched when it first opens
	press(t, tb, kb.Escape)
	noViolations(t, tb)
	// The listener does hear violations: an inline style is one.
	eval[bool](t, tb, `document.body.setAttribute('style', 'color: red'), true`)
	waitTrue(t, tb, `window.cspViolations.length === 1`)
}

// TestBrowserServerDown: a choice made while the consent API is unreachable
// waits in the browser and reaches the server from a later page.
func TestBrowserServerDown(t *testing.T) {
	browser := startChromium(t)
	e := newEnv(t)
	tb := tab(t, browser)
	blockAPI(t, tb, true)
	open(t, tb, e.URL+"/sites/demo/demo?lang=fr")
	click(t, tb, `.charte-banner [data-charte-action=accept_all]`)
	// The choice works offline; its record waits in localStorage.
	waitTrue(t, tb, `window.demoStatsRuns === 1`)
	waitTrue(t, tb, `JSON.parse(localStorage.charte_queue || '[]').length === 1`)
	choice, _ := storedChoice(t, tb)
	if n := e.count(t, "demo"); n != 0 {
		t.Fatalf("%d records stored while the API was blocked", n)
	}
	blockAPI(t, tb, false)
	open(t, tb, e.URL+"/sites/demo/demo?lang=fr")
	recs := e.records(t, "demo", choice.ConsentID, 1)
	if recs[0].Action != proof.AcceptAll || !recs[0].Decisions["statistics"] {
		t.Errorf("queued record %+v", recs[0])
	}
	waitTrue(t, tb, `!localStorage.charte_queue`)
	// A third page sends nothing more: the queue is empty.
	open(t, tb, e.URL+"/sites/demo/demo?lang=fr")
	if n := e.count(t, "demo"); n != 1 {
		t.Errorf("%d records, want 1", n)
	}
}

// TestBrowserNoConsentSite: opendata-pau declares only exempt cookies: no
// banner, and "Gérer mes cookies" opens a panel saying so.
func TestBrowserNoConsentSite(t *testing.T) {
	browser := startChromium(t)
	e := newEnv(t)
	tb := tab(t, browser)
	open(t, tb, e.URL+"/sites/opendata-pau/demo?lang=fr")
	if eval[bool](t, tb, `!!document.querySelector('.charte-banner')`) {
		t.Error("a banner on a site that needs no consent")
	}
	click(t, tb, manage)
	waitTrue(t, tb, `!!document.querySelector('.charte-d')`) // fetched when it first opens
	text := eval[string](t, tb, `document.querySelector('.charte-d').innerText`)
	for _, w := range []string{"aucun ne requiert votre consentement", "Toujours actifs", "Cookies (4)"} {
		if !strings.Contains(text, w) {
			t.Errorf("the panel does not say %q:\n%s", w, text)
		}
	}
	if eval[int](t, tb, `document.querySelectorAll('.charte-d input').length`) != 0 {
		t.Error("the panel offers switches for nothing")
	}
	press(t, tb, kb.Escape)
	waitTrue(t, tb, `!document.querySelector('.charte-d')`)
	if hasCookie(cookies(t, tb), consent.CookieName) {
		t.Error("cookies_preferences set on a site that asks nothing")
	}
	if n := e.count(t, "opendata-pau"); n != 0 {
		t.Errorf("%d records", n)
	}
	noViolations(t, tb)
}

// TestBrowserConsentMode: Google Consent Mode gets its denied default before
// any tag, then an update from each choice.
func TestBrowserConsentMode(t *testing.T) {
	browser := startChromium(t)
	e := newEnv(t)
	tb := tab(t, browser)
	open(t, tb, e.URL+"/sites/demo/demo?lang=fr")
	const layer = `JSON.stringify(dataLayer.map(a => Array.from(a)))`
	var calls [][]any
	json.Unmarshal([]byte(eval[string](t, tb, layer)), &calls)
	if len(calls) != 1 || calls[0][1] != "default" {
		t.Fatalf("dataLayer %v, want one default", calls)
	}
	def := calls[0][2].(map[string]any)
	if def["analytics_storage"] != "denied" || def["ad_storage"] != "denied" || def["security_storage"] != "granted" || def["wait_for_update"] != 500.0 {
		t.Errorf("default %v", def)
	}
	click(t, tb, `.charte-banner [data-charte-action=customise]`)
	click(t, tb, `.charte-d [data-k=statistics]`)
	click(t, tb, `.charte-d [data-charte-action=save]`)
	json.Unmarshal([]byte(eval[string](t, tb, layer)), &calls)
	if len(calls) != 2 || calls[1][1] != "update" {
		t.Fatalf("dataLayer %v, want an update", calls)
	}
	up := calls[1][2].(map[string]any)
	if up["analytics_storage"] != "granted" || up["ad_storage"] != "denied" || up["ad_user_data"] != "denied" {
		t.Errorf("update %v", up)
	}
	// Every later page starts from the stored choice.
	open(t, tb, e.URL+"/sites/demo/demo?lang=fr")
	json.Unmarshal([]byte(eval[string](t, tb, layer)), &calls)
	if len(calls) != 2 || calls[1][1] != "update" || calls[1][2].(map[string]any)["analytics_storage"] != "granted" {
		t.Errorf("dataLayer on the next page %v", calls)
	}
}

// TestBannerCodecAgreement runs every shared test vector through the
// banner's own codec in Chromium: JavaScript and Go must agree byte for byte.
// The script comes in two variants: a site declaring services gets the
// per-service part of the codec, which every vector goes through; a site
// without (its revision never holds a ":service" entry) gets the rest, which
// the vectors without services go through.
func TestBannerCodecAgreement(t *testing.T) {
	data, err := os.ReadFile("../../consent/testdata/vectors.json")
	if err != nil {
		t.Fatal(err)
	}
	var vectors []struct {
		Name  string          `json:"name"`
		Value string          `json:"value"`
		Valid bool            `json:"valid"`
		Want  json.RawMessage `json:"choice"`
	}
	if err := json.Unmarshal(data, &vectors); err != nil {
		t.Fatal(err)
	}
	browser := startChromium(t)
	e := newEnv(t)
	ctx := context.Background()
	withServices := demo.Site("demo")
	withServices.ID, withServices.Services = "with-services", []registry.Service{{ID: "vimeo"}}
	if err := e.store.SaveSite(ctx, registry.MustCheck(withServices)); err != nil {
		t.Fatal(err)
	}
	if _, err := e.store.Publish(ctx, withServices.ID); err != nil {
		t.Fatal(err)
	}
	for _, variant := range []struct {
		site     string
		services bool
	}{{"with-services", true}, {"opendata-pau", false}} {
		tb := tab(t, browser)
		open(t, tb, e.URL+"/sites/"+variant.site+"/demo")
		for _, v := range vectors {
			if !variant.services && strings.Contains(v.Value, ":") {
				continue
			}
			t.Run(variant.site+"/"+v.Name, func(t *testing.T) {
				got := eval[string](t, tb, `JSON.stringify(charte.decode(`+jsonString(v.Value)+`))`)
				goChoice, goErr := consent.Decode(v.Value)
				if (got != "null") != v.Valid || (goErr == nil) != v.Valid {
					t.Fatalf("valid: JS %s, Go error %v, want %v", got, goErr, v.Valid)
				}
				if !v.Valid {
					return
				}
				if !jsonEqual(t, got, string(v.Want)) {
					t.Errorf("JS decodes to %s, want %s", got, v.Want)
				}
				if enc := eval[string](t, tb, `charte.encode(`+string(v.Want)+`)`); enc != v.Value || goChoice.Encode() != v.Value {
					t.Errorf("encoders give JS %q, Go %q, want %q", enc, goChoice.Encode(), v.Value)
				}
			})
		}
	}
}

func jsonEqual(t *testing.T, a, b string) bool {
	t.Helper()
	var x, y any
	if err := json.Unmarshal([]byte(a), &x); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(b), &y); err != nil {
		t.Fatal(err)
	}
	xa, _ := json.Marshal(x)
	ya, _ := json.Marshal(y)
	return string(xa) == string(ya)
}

// checkPage asserts what the visitor sees of the blocked content.
func checkPage(t *testing.T, tb context.Context, stats, video bool) {
	t.Helper()
	status := eval[string](t, tb, `document.getElementById('demo-stats').textContent`)
	if ran := strings.Contains(status, "exécuté"); ran != stats {
		t.Errorf("statistics status %q, want ran=%v", status, stats)
	}
	if stats != hasCookie(cookies(t, tb), "_pk_id.1.") || stats != hasCookie(cookies(t, tb), "_pk_ses.1.") {
		t.Errorf("Matomo's cookies present=%v, want %v", !stats, stats)
	}
	loaded := eval[bool](t, tb, `(f => !!f.getAttribute('src') && !f.hidden)(document.getElementById('demo-video'))`)
	placeholder := eval[bool](t, tb, `!!document.querySelector('.charte-ph')`)
	if loaded != video || placeholder == video {
		t.Errorf("video loaded=%v placeholder=%v, want loaded=%v", loaded, placeholder, video)
	}
	if listed := eval[bool](t, tb, `!!document.querySelector('#demo-cookies [data-cookie^="_pk_id"]')`); stats && !listed {
		waitTrue(t, tb, `!!document.querySelector('#demo-cookies [data-cookie^="_pk_id"]')`)
	}
}

// checkChoiceCookie asserts the attributes of cookies_preferences.
func checkChoiceCookie(t *testing.T, sameSite network.CookieSameSite, httpOnly bool, path string, expires float64, c consent.Choice) {
	t.Helper()
	if sameSite != "Lax" || httpOnly || path != "/" {
		t.Errorf("cookies_preferences SameSite=%v HttpOnly=%v Path=%s", sameSite, httpOnly, path)
	}
	sixMonths := 15778476.0 // registry "6 months"
	if left := expires - float64(time.Now().Unix()); math.Abs(left-sixMonths) > 120 {
		t.Errorf("cookies_preferences expires in %.0f s, want 6 months (%.0f s)", left, sixMonths)
	}
	if age := time.Since(c.Time); age < -time.Minute || age > time.Minute {
		t.Errorf("choice dated %v", c.Time)
	}
}

func equalDecisions(a, b []consent.Decision) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// noViolations fails the test if the page reported a CSP violation.
func noViolations(t *testing.T, tb context.Context) {
	t.Helper()
	if v := eval[[]string](t, tb, `window.cspViolations`); len(v) != 0 {
		t.Errorf("Content-Security-Policy violations: %v", v)
	}
}

// TestBrowserOtherOrigin: the banner embedded as integrators do, on another
// site under its own strict policy. The record goes cross-origin without a
// preflight. From an origin the site has not declared (yet), charte refuses
// it and the browser hides why, so the record stays queued: once the
// operator declares the origin, the next page delivers it.
func TestBrowserOtherOrigin(t *testing.T) {
	browser := startChromium(t)
	declare := func(t *testing.T, e *env, origin string) {
		ctx := context.Background()
		site, _ := e.store.Site(ctx, "demo")
		site.Origins = append(site.Origins, origin)
		if err := e.store.SaveSite(ctx, registry.MustCheck(site)); err != nil {
			t.Fatal(err)
		}
		e.server.revisions.Forget("demo") // as the back office does on a save
	}
	for _, declared := range []bool{true, false} {
		t.Run(map[bool]string{true: "declared origin", false: "origin declared later"}[declared], func(t *testing.T) {
			e := newEnv(t)
			other := otherSite(t, e.URL)
			if declared {
				declare(t, e, other)
			}
			tb := tab(t, browser)
			open(t, tb, other+"/")
			click(t, tb, `.charte-banner [data-charte-action=accept_all]`)
			waitTrue(t, tb, `window.elsewhereStats === 1`)
			choice, c := storedChoice(t, tb)
			if c.Domain != "localhost" {
				t.Errorf("cookies_preferences on %q, want the visited site's host", c.Domain)
			}
			if !declared {
				// The refusal is a CORS failure to the page: the record waits.
				waitTrue(t, tb, `window.performance.getEntriesByType('resource').some(r => r.name.endsWith('/consents'))`)
				if n := e.count(t, "demo"); n != 0 {
					t.Errorf("%d records from an undeclared origin", n)
				}
				if q := eval[int](t, tb, `JSON.parse(localStorage.charte_queue || '[]').length`); q != 1 {
					t.Errorf("%d records queued, want 1", q)
				}
				declare(t, e, other)
				open(t, tb, other+"/")
			}
			if recs := e.records(t, "demo", choice.ConsentID, 1); recs[0].Page != "/" || recs[0].Action != proof.AcceptAll {
				t.Errorf("record %+v", recs[0])
			}
			waitTrue(t, tb, `!localStorage.charte_queue`)
			noViolations(t, tb)
		})
	}
}

// otherSite serves a page on http://localhost (another host than charte's
// 127.0.0.1, so another origin and another cookie jar) that embeds charte's
// banner and a blocked statistics script.
func otherSite(t *testing.T, charte string) string {
	t.Helper()
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", "default-src 'none'; script-src 'self' "+charte+"; style-src 'self' "+charte+"; connect-src "+charte)
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Elsewhere</title>
<script src="`+charte+`/sites/demo/banner.js?lang=en" defer></script></head>
<body><h1>Elsewhere</h1><a href="#" data-charte-open id="demo-manage">Manage my cookies</a>
<script type="text/plain" data-charte="statistics" src="/stats.js"></script></body></html>`)
	})
	mux.HandleFunc("GET /stats.js", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/javascript")
		io.WriteString(w, `document.cookie = '_pk_id.1.abcd=1;path=/'; window.elsewhereStats = 1;`)
	})
	ts := httptest.NewServer(mux)
	t.Cleanup(ts.Close)
	return strings.Replace(ts.URL, "127.0.0.1", "localhost", 1)
}

// TestBrowserCharterPage: the charter page loads the banner under its own
// policy (style-src allows one hash only), and its "Gérer mes cookies"
// button opens the preferences.
func TestBrowserCharterPage(t *testing.T) {
	browser := startChromium(t)
	e := newEnv(t)
	tb := tab(t, browser)
	open(t, tb, e.URL+"/sites/demo/charter?lang=fr")
	if pos := eval[string](t, tb, `getComputedStyle(document.querySelector('.charte-banner')).position`); pos != "fixed" {
		t.Errorf("the banner is not styled on the charter page (position %q)", pos)
	}
	click(t, tb, `.charte-banner [data-charte-action=reject_all]`)
	click(t, tb, `button[data-charte-open]`)
	waitTrue(t, tb, `!!document.querySelector('.charte-d')`)
	noViolations(t, tb)
}

// TestBrowserAsksAgain: a stored choice speaks for the visitor only while
// it is readable, for the published revision and within the choice
// lifetime; otherwise the banner asks again and nothing blocked runs.
func TestBrowserAsksAgain(t *testing.T) {
	browser := startChromium(t)
	e := newEnv(t)
	rev, err := e.store.Published(context.Background(), "demo")
	if err != nil {
		t.Fatal(err)
	}
	value := func(revision string, at time.Time) string {
		return consent.Choice{ConsentID: consent.NewConsentID(), Revision: revision, Time: at,
			Decisions: []consent.Decision{{Category: "statistics", Granted: true}, {Category: "marketing", Granted: false}}}.Encode()
	}
	now := time.Now()
	tests := []struct {
		name, value string
		asks        bool
	}{
		{"valid choice (control)", value(rev.ID, now.Add(-24*time.Hour)), false},
		{"expired: 7 months old", value(rev.ID, now.AddDate(0, -7, 0)), true},
		{"dated tomorrow", value(rev.ID, now.Add(24*time.Hour)), true},
		{"another revision", value("0123456789abcdef", now), true},
		{"unreadable", "statistics=1", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tb := tab(t, browser)
			if _, err := chromedp.Call(tb, network.SetCookie, network.SetCookieParams{Name: consent.CookieName, Value: tt.value, URL: e.URL + "/"}); err != nil {
				t.Fatal(err)
			}
			open(t, tb, e.URL+"/sites/demo/demo?lang=fr")
			if got := eval[bool](t, tb, bannerShown); got != tt.asks {
				t.Errorf("banner shown %v, want %v", got, tt.asks)
			}
			if !tt.asks {
				waitTrue(t, tb, `window.demoStatsRuns === 1`)
			} else if eval[bool](t, tb, `'demoStatsRuns' in window`) {
				t.Error("a blocked script ran on a choice that no longer counts")
			}
		})
	}
}
