package web

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// These tests reproduce what an accessibility review of the banner found
// (issue 14) and keep it fixed: focus hidden under the banner, focus leaving
// the dialog, focus lost after a choice, keys a page's own shortcuts eat.

// obscured says why the focused element is hidden from a sighted keyboard
// user ("" when it is not): off screen, or covered at its visible centre by
// something else, the banner above all (WCAG 2.2 SC 2.4.11).
const obscured = `(() => {
  const a = document.activeElement;
  if (!a || a === document.body) return '';
  if (a.closest('.charte')) return '';
  const who = a.outerHTML.slice(0, 70);
  let why = 'off screen: ' + who;
  // A link broken over two lines has a box per line: one seen is enough.
  for (const r of a.getClientRects()) {
    const x0 = Math.max(r.left, 0), x1 = Math.min(r.right, innerWidth), y0 = Math.max(r.top, 0), y1 = Math.min(r.bottom, innerHeight);
    if (x1 <= x0 || y1 <= y0) continue;
    const e = document.elementFromPoint((x0 + x1) / 2, (y0 + y1) / 2);
    if (e && a.contains(e)) return '';
    why = 'under ' + (e ? e.className || e.tagName : 'nothing') + ': ' + who;
  }
  return why;
})()`

// focusedIs describes the focused element for messages and comparisons.
const focusedIs = `(a => a === document.body ? 'BODY' : a.id ? '#' + a.id : (a.dataset.charteAction || a.className || a.tagName))(document.activeElement)`

// view sets up a tab as a visitor's screen: its size, its zoom (device
// scale) and its default text size in pixels (0 leaves 16).
func view(t *testing.T, tb context.Context, width, height int64, scale float64, text int64) {
	t.Helper()
	if err := chromedp.Do(tb, chromedp.EmulateViewport(width, height, chromedp.EmulateScale(scale))); err != nil {
		t.Fatal(err)
	}
	if text > 0 {
		if _, err := chromedp.Call(tb, cdppage.SetFontSizes, cdppage.SetFontSizesParams{FontSizes: &cdppage.FontSizes{Standard: text}}); err != nil {
			t.Fatal(err)
		}
	}
}

// screens are the screens the review used: a small phone, 200 % zoom on a
// laptop (640×400 CSS pixels), 200 % text size, and the laptop itself.
var screens = []struct {
	name          string
	width, height int64
	scale         float64
	text          int64
}{
	{"laptop", 1280, 800, 1, 0},
	{"320×568", 320, 568, 1, 0},
	{"200 % zoom", 640, 400, 2, 0},
	{"200 % text size", 1280, 800, 1, 32},
}

// TestBrowserFocusNotObscured: with the first layer shown, every element a
// keyboard user tabs to on the page is visible, not under the banner; and
// Escape on the first layer continues without accepting.
func TestBrowserFocusNotObscured(t *testing.T) {
	browser := startChromium(t)
	e := newEnv(t)
	pages := []struct {
		name, url, first string
		tabs             int
	}{
		{"demo page", e.URL + "/sites/demo/demo?lang=fr", "#demo-manage", 14},
		{"long page", longSite(t, e.URL), "#l1", 40},
	}
	for _, pg := range pages {
		for _, sc := range screens {
			t.Run(pg.name+", "+sc.name, func(t *testing.T) {
				tb := tab(t, browser)
				view(t, tb, sc.width, sc.height, sc.scale, sc.text)
				open(t, tb, pg.url)
				var stops []string
				for range pg.tabs {
					press(t, tb, kb.Tab)
					stops = append(stops, eval[string](t, tb, focusedIs))
					if why := eval[string](t, tb, obscured); why != "" {
						t.Errorf("Tab %d: the focus is hidden, %s", len(stops), why)
					}
				}
				if !eval[bool](t, tb, bannerShown) {
					t.Fatal("tabbing through the page dismissed the banner")
				}
				if !strings.Contains(strings.Join(stops, " "), pg.first) {
					t.Errorf("tabbing never reached the page: %v", stops)
				}

				// Escape from inside the first layer: the same as "Continuer
				// sans accepter".
				eval[bool](t, tb, `document.querySelector('.charte-banner [data-charte-action=customise]').focus(), true`)
				press(t, tb, kb.Escape)
				waitTrue(t, tb, `!document.querySelector('.charte-banner')`)
				choice, _ := storedChoice(t, tb)
				for _, d := range choice.Decisions {
					if d.Granted {
						t.Errorf("Escape granted %s", d.Category)
					}
				}
			})
		}
	}
}

// longSite serves a long page of links embedding charte's banner: on a tall
// screen, where the banner is fixed at the bottom, the links pass under it.
func longSite(t *testing.T, charte string) string {
	t.Helper()
	var b strings.Builder
	for i := 1; i <= 40; i++ {
		fmt.Fprintf(&b, "<p><a id=\"l%d\" href=\"#l%d\">Link %d</a></p>\n", i, i, i)
	}
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Long page</title><style>main { text-align: center }</style>
<script src="`+charte+`/sites/demo/banner.js?lang=en" defer></script></head><body><main><h1>Long page</h1>`+b.String()+`</main></body></html>`)
	}))
	t.Cleanup(ts.Close)
	return strings.Replace(ts.URL, "127.0.0.1", "localhost", 1) + "/"
}

// TestBrowserDialogKeepsFocus: the dialog is modal for real: the page
// behind is inert, a click on the dimmed backdrop leaves the focus inside,
// Escape then closes it, Shift+Tab never reaches the page.
func TestBrowserDialogKeepsFocus(t *testing.T) {
	browser := startChromium(t)
	e := newEnv(t)
	tb := tab(t, browser)
	open(t, tb, e.URL+"/sites/demo/demo?lang=fr")
	inside := `document.querySelector('.charte-d').contains(document.activeElement)`
	for _, via := range []string{`.charte-banner [data-charte-action=customise]`, manage} {
		click(t, tb, via)
		waitTrue(t, tb, `!!document.querySelector('.charte-d')`)
		if !eval[bool](t, tb, `!!document.querySelector('main').closest('[inert]') && !!document.querySelector('header').closest('[inert]')`) {
			t.Errorf("opened from %s: the page behind the dialog is not inert", via)
		}
		eval[bool](t, tb, `document.getElementById('demo-manage').focus(), true`)
		if !eval[bool](t, tb, inside) {
			t.Errorf("opened from %s: a page link took the focus from the dialog (%s)", via, eval[string](t, tb, focusedIs))
		}
		// A click on the backdrop, top left, outside the dialog.
		if err := chromedp.Do(tb, chromedp.MouseClickXY(3, 3)); err != nil {
			t.Fatal(err)
		}
		if !eval[bool](t, tb, inside) {
			t.Errorf("opened from %s: a click on the backdrop moved the focus to %s", via, eval[string](t, tb, focusedIs))
		}
		for i := range 12 {
			press(t, tb, kb.Tab, chromedp.KeyModifiers(chromedp.ModifierShift))
			if !eval[bool](t, tb, inside) {
				t.Fatalf("opened from %s: Shift+Tab %d left the dialog for %s", via, i+1, eval[string](t, tb, focusedIs))
			}
		}
		press(t, tb, kb.Escape)
		waitTrue(t, tb, `!document.querySelector('.charte-d')`)
		if eval[bool](t, tb, `!!document.querySelector('[inert]')`) {
			t.Errorf("opened from %s: the page stays inert after the dialog closed", via)
		}
	}
}

// TestBrowserFocusAfterChoice: after each way of choosing, the focus lands
// somewhere that makes sense — where the visitor came from, the content
// just loaded, or the message saying the choice is saved — never on <body>;
// and a status message announces the choice.
func TestBrowserFocusAfterChoice(t *testing.T) {
	browser := startChromium(t)
	saved := map[string]string{"fr": "Vos choix sont enregistrés.", "en": "Your choices have been saved."}
	tests := []struct {
		name, lang string
		do         []string // elements to focus and press Enter on, in turn
		focus      string   // focusedIs after the choice
		next       string   // focusedIs after one more Tab ("" not checked)
	}{
		{"reject all", "fr", []string{`.charte-banner [data-charte-action=reject_all]`}, "charte charte-s", "#demo-manage"},
		{"accept all", "en", []string{`.charte-banner [data-charte-action=accept_all]`}, "charte charte-s", "#demo-manage"},
		{"continue without accepting", "fr", []string{`.charte-banner .charte-x`}, "charte charte-s", "#demo-manage"},
		{"save from the banner's dialog", "fr", []string{`.charte-banner [data-charte-action=customise]`, `.charte-d [data-charte-action=save]`}, "charte charte-s", "#demo-manage"},
		{"save from the page's link", "en", []string{manage, `.charte-d [data-charte-action=save]`}, "#demo-manage", ""},
		{"accept and show the video", "fr", []string{`.charte-ph button`}, "#demo-video", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			tb := tab(t, browser)
			open(t, tb, e.URL+"/sites/demo/demo?lang="+tt.lang)
			for _, sel := range tt.do {
				waitTrue(t, tb, `!!document.querySelector(`+jsonString(sel)+`)`)
				eval[bool](t, tb, `document.querySelector(`+jsonString(sel)+`).focus(), true`)
				press(t, tb, kb.Enter)
			}
			waitTrue(t, tb, `!document.querySelector('.charte-banner, .charte-o')`)
			if got := eval[string](t, tb, focusedIs); got != tt.focus {
				t.Errorf("focus on %q after the choice, want %q", got, tt.focus)
			}
			status := eval[[]string](t, tb, `Array.from(document.querySelectorAll('[role=status]'), s => s.textContent.trim())`)
			if !strings.Contains(strings.Join(status, "|"), saved[tt.lang]) {
				t.Errorf("status messages %q, want one saying %q", status, saved[tt.lang])
			}
			if why := eval[string](t, tb, obscured); why != "" {
				t.Errorf("the focus is hidden: %s", why)
			}
			if tt.next != "" {
				press(t, tb, kb.Tab)
				if got := eval[string](t, tb, focusedIs); got != tt.next {
					t.Errorf("the next Tab went to %q, want %q", got, tt.next)
				}
			}
		})
	}
}

// TestBrowserPageShortcuts: on a page whose document-level key handler
// cancels Enter and Space and moves the focus (a notebook's shortcuts), the
// banner's keys still work and never reach the page behind.
func TestBrowserPageShortcuts(t *testing.T) {
	browser := startChromium(t)
	e := newEnv(t)
	site := shortcutSite(t, e.URL)
	tests := []struct {
		name  string
		steps [][2]string // element to focus, key to press
		want  map[string]bool
	}{
		{"Enter on reject all", [][2]string{{`.charte-banner [data-charte-action=reject_all]`, kb.Enter}}, map[string]bool{"statistics": false, "marketing": false}},
		{"Space on reject all", [][2]string{{`.charte-banner [data-charte-action=reject_all]`, " "}}, map[string]bool{"statistics": false, "marketing": false}},
		{"Space on accept all", [][2]string{{`.charte-banner [data-charte-action=accept_all]`, " "}}, map[string]bool{"statistics": true, "marketing": true}},
		{"customise, Space on a switch, Enter on save", [][2]string{
			{`.charte-banner [data-charte-action=customise]`, kb.Enter},
			{`.charte-d [data-k=statistics]`, " "},
			{`.charte-d [data-charte-action=save]`, kb.Enter},
		}, map[string]bool{"statistics": true, "marketing": false}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tb := tab(t, browser)
			open(t, tb, site)
			for _, s := range tt.steps {
				waitTrue(t, tb, `!!document.querySelector(`+jsonString(s[0])+`)`)
				eval[bool](t, tb, `document.querySelector(`+jsonString(s[0])+`).focus(), true`)
				press(t, tb, s[1])
				if eval[string](t, tb, focusedIs) == "#cell" {
					t.Fatalf("%q on %s moved the focus into the page", s[1], s[0])
				}
			}
			waitTrue(t, tb, `!document.querySelector('.charte-banner, .charte-o')`)
			choice, _ := storedChoice(t, tb)
			for _, d := range choice.Decisions {
				if d.Granted != tt.want[d.Category] {
					t.Errorf("%s granted %v, want %v", d.Category, d.Granted, tt.want[d.Category])
				}
			}
			if n := eval[int](t, tb, `window.pageKeys`); n != 0 {
				t.Errorf("the page's shortcuts saw %d of the banner's keys", n)
			}
		})
	}
}

// shortcutSite serves a page like a notebook's: a document-level keydown
// handler takes Enter and Space for itself (preventDefault) and moves the
// focus to its current cell. It embeds charte's banner.
func shortcutSite(t *testing.T, charte string) string {
	t.Helper()
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Notebook</title>
<script src="`+charte+`/sites/demo/banner.js?lang=en" defer></script></head>
<body><main><h1>Notebook</h1><div id="cell" tabindex="0">In [1]:</div></main>
<script>window.pageKeys = 0;
document.addEventListener('keydown', e => {
  if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); window.pageKeys++; document.getElementById('cell').focus(); }
});</script></body></html>`)
	})
	ts := httptest.NewServer(mux)
	t.Cleanup(ts.Close)
	return strings.Replace(ts.URL, "127.0.0.1", "localhost", 1)
}
