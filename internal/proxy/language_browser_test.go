package proxy_test

import (
	"strings"
	"testing"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// Behind charte proxy, the French portal (<html lang="fr">) gets a French
// banner whatever the browser prefers, in one request: the tag the proxy
// adds names the page's language (banner.js?lang=fr), so the server answers
// in French and the script has nothing to switch.
func TestBrowserProxyBannerFollowsPage(t *testing.T) {
	browser := startChromium(t)
	w := newWorld(t)
	for _, tt := range []struct{ accept, want, accept0 string }{ // the server answers the plain tag in the browser's language
		{"en-GB,en;q=0.9", "fr", "Tout accepter"},
		{"de-DE,de;q=0.9", "fr", "Tout accepter"},
		{"ar", "fr", "Tout accepter"},
	} {
		t.Run(tt.accept, func(t *testing.T) {
			v := newVisitor(t, browser)
			if _, err := chromedp.Call(v.ctx, network.SetExtraHTTPHeaders, network.SetExtraHTTPHeadersParams{
				Headers: network.Headers{"Accept-Language": tt.accept},
			}); err != nil {
				t.Fatal(err)
			}
			v.open(w.proxy + homePath)
			v.waitTrue(`!!document.querySelector('.charte-banner')`)
			got := eval[[]string](v, `[document.querySelector('.charte-banner').lang,
				document.querySelector('.charte-banner [data-charte-action=accept_all]').textContent,
				String(document.querySelectorAll('.charte-banner').length)]`)
			if got[0] != tt.want || got[1] != tt.accept0 || got[2] != "1" {
				t.Errorf("banner [lang, accept, count] = %q, want [%s %s 1]", got, tt.want, tt.accept0)
			}
			loaded := eval[[]string](v, `performance.getEntriesByType('resource').map(e => e.name).filter(u => u.includes('/banner'))`)
			if len(loaded) != 1 || !strings.HasSuffix(loaded[0], "/sites/demo/banner.js?lang=fr") {
				t.Errorf("banner requests %q, want one, of banner.js?lang=fr", loaded)
			}
		})
	}
}
