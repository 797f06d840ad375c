package admin_test

import (
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/charte/charte/consent"
	"github.com/charte/charte/internal/browsertest"
)

// TestBrowserBannerPreview: an editor rewords the French title, leaves it
// in the draft, and clicks through the banner's preview every way a visitor
// can. The preview shows the draft's title and reacts as the banner does,
// and leaves nothing behind on charte's host: no cookies_preferences, no
// queued record, no consent sent or stored, so the demo page that charte
// serves on the same host still asks.
func TestBrowserBannerPreview(t *testing.T) {
	browser := boChromium(t)
	s := newBoServer(t)
	const draftTitle = "Nos cookies, vos choix"
	// The page's CSP violations are kept in the page; every request the tab
	// sends is kept here.
	op := browsertest.Tab(t, browser, `window.cspViolations = [];
document.addEventListener('securitypolicyviolation', e => window.cspViolations.push(e.violatedDirective + ' ' + e.blockedURI));`)
	browsertest.Language(t, op, "fr")
	var mu sync.Mutex
	var sent []string
	if err := chromedp.Listen(op, func(ev any) {
		if e, ok := ev.(*network.EventRequestWillBeSent); ok {
			mu.Lock()
			sent = append(sent, e.Request.Method+" "+e.Request.URL)
			mu.Unlock()
		}
	}); err != nil {
		t.Fatal(err)
	}
	boLogin(t, op, s, "editor@example.org")
	boOpen(t, op, s.URL+"/admin/sites/demo/texts")
	boType(t, op, `input[name="title.fr"]`, draftTitle)
	boFollow(t, op, `main form button`)
	if got := boEval[string](t, op, `document.querySelector('iframe[name=banner-preview-fr]').getAttribute('src')`); got != "/admin/sites/demo/banner-preview?lang=fr" {
		t.Fatalf("the texts page frames %q", got)
	}

	preview := s.URL + "/admin/sites/demo/banner-preview?lang=fr"
	const dialog = `.charte-d[role=dialog]`
	switches := `Array.from(document.querySelectorAll('.charte-d [data-k]'), i => i.dataset.k + '=' + i.checked).join(' ')`
	tests := []struct {
		name string
		try  func(t *testing.T)
	}{
		{"Tout refuser", func(t *testing.T) {
			boClick(t, op, `.charte-banner [data-charte-action=reject_all]`)
			boWait(t, op, `!document.querySelector('.charte-banner, .charte-o')`)
		}},
		{"Continuer sans accepter", func(t *testing.T) {
			boClick(t, op, `.charte-banner .charte-x`)
			boWait(t, op, `!document.querySelector('.charte-banner, .charte-o')`)
		}},
		{"Personnaliser, then withdraw without a reload", func(t *testing.T) {
			boClick(t, op, `.charte-banner [data-charte-action=customise]`)
			boWait(t, op, `!!document.querySelector('`+dialog+`')`)
			if got := boEval[string](t, op, switches); got != "statistics=false marketing=false" {
				t.Errorf("switches %s, want both off", got)
			}
			boClick(t, op, `.charte-d [data-k=statistics]`)
			boClick(t, op, `.charte-d [data-charte-action=save]`)
			boWait(t, op, `!document.querySelector('.charte-banner, .charte-o')`)
			// "Gérer mes cookies" shows the choice just made, kept in the page.
			boEval[bool](t, op, `window.samePage = true`)
			boClick(t, op, `a[data-charte-open]`)
			boWait(t, op, `!!document.querySelector('`+dialog+`')`)
			if got := boEval[string](t, op, switches); got != "statistics=true marketing=false" {
				t.Errorf("switches %s after the choice, want statistics on", got)
			}
			boClick(t, op, `.charte-d [data-k=statistics]`)
			boClick(t, op, `.charte-d [data-charte-action=save]`)
			boWait(t, op, `!document.querySelector('.charte-o')`)
			if !boEval[bool](t, op, `window.samePage === true && location.pathname.endsWith('/banner-preview')`) {
				t.Error("the withdrawal reloaded or left the preview")
			}
		}},
		{"Tout accepter, then show again", func(t *testing.T) {
			boClick(t, op, `.charte-banner [data-charte-action=accept_all]`)
			boWait(t, op, `!document.querySelector('.charte-banner')`)
			boFollow(t, op, `#again`)
			boWait(t, op, `!!window.charte && `+bannerAsks)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			boOpen(t, op, preview)
			boWait(t, op, `!!window.charte && `+bannerAsks)
			if origin := boEval[string](t, op, `window.origin`); origin != "null" {
				t.Errorf("the preview runs in origin %s, want an opaque one (sandboxed)", origin)
			}
			if got := boEval[string](t, op, `document.querySelector('.charte-banner h2').textContent`); got != draftTitle {
				t.Errorf("the preview's banner is titled %q, want the draft's %q", got, draftTitle)
			}
			tt.try(t)
			if v := boEval[[]string](t, op, `window.cspViolations`); len(v) > 0 {
				t.Errorf("CSP violations in the preview: %q", v)
			}
			if c := browsertest.Cookies(t, op, s.URL+"/"); c[consent.CookieName] != nil {
				t.Errorf("the preview set %s on charte's host: %v", consent.CookieName, browsertest.Names(c))
			}
		})
	}

	// The demo page on charte's own host still asks: nothing of the preview
	// reached its cookies or its queue, and nothing was posted or stored.
	boOpen(t, op, s.URL+"/sites/demo/demo?lang=fr")
	boWait(t, op, `!!window.charte && `+bannerAsks)
	if q := boEval[int](t, op, `localStorage.length`); q != 0 {
		t.Errorf("%d items in charte's localStorage: %s", q, boEval[string](t, op, `JSON.stringify(localStorage)`))
	}
	if title := boEval[string](t, op, `document.querySelector('.charte-banner h2').textContent`); title == draftTitle {
		t.Error("the demo page shows the draft's title before it is published")
	}
	mu.Lock()
	for _, r := range sent {
		if strings.Contains(r, "/consents") {
			t.Errorf("the tab sent %s", r)
		}
	}
	mu.Unlock()
	h, err := s.st.ProofHead(context.Background(), "demo")
	if err != nil {
		t.Fatal(err)
	}
	if h.Count != 1 { // the record newBoServer seeds
		t.Errorf("%d consent records for demo, want 1", h.Count)
	}
}
