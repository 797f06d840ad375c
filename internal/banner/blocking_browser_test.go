package banner

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/charte/charte/internal/browsertest"
	"github.com/charte/charte/internal/demo"
	"github.com/charte/charte/registry"
	"github.com/charte/charte/services"
)

// unawarePage is a page written with no knowledge of charte but the banner
// tag, first in <head>: gtag.js and its inline snippet, a YouTube frame,
// and the site's own app.js, which inserts Google Tag Manager and Meta's
// pixel the way their snippets do, and, once the page has loaded, a second
// YouTube frame. Its CSP allows no eval and no inline
// script without the nonce.
const unawarePage = `<!doctype html><html lang="%s"><head><meta charset="utf-8">
<script src="/banner.js"></script>
<title>Portail</title>
<script async src="https://www.googletagmanager.com/gtag/js?id=G-TEST"></script>
<script nonce="n0nce">window.dataLayer = window.dataLayer || [];
function gtag(){dataLayer.push(arguments);}
gtag('js', new Date());
gtag('config', 'G-TEST');
window.inlineRan = true;</script>
</head><body><h1>Portail</h1>
<iframe width="560" height="315" src="https://www.youtube.com/embed/abc123" title="Vidéo de présentation"></iframe>
<script src="/app.js"></script>
</body></html>`

const appJS = `(function () {
  var f = document.getElementsByTagName('script')[0], j = document.createElement('script');
  j.async = true; j.src = 'https://www.googletagmanager.com/gtm.js?id=GTM-TEST';
  f.parentNode.insertBefore(j, f);
  var p = document.createElement('script');
  p.async = true; p.src = 'https://connect.facebook.net/en_US/fbevents.js';
  document.head.appendChild(p);
  window.addEventListener('load', function () {
    var v = document.createElement('iframe');
    v.title = 'Seconde vidéo'; v.src = 'https://www.youtube.com/embed/second';
    document.body.appendChild(v);
    window.appRan = true;
  });
})();`

const pageCSP = "script-src 'self' 'nonce-n0nce' https://www.googletagmanager.com https://connect.facebook.net; " +
	"frame-src https://www.youtube.com; connect-src 'self'"

// blockingSite is the demo site with four services, asking its banner to
// block their tags (blocking: observe), expanded as publishing does.
func blockingSite(t testing.TB) *registry.Site {
	t.Helper()
	site := demo.Site("demo")
	site.Cookies = slices.DeleteFunc(site.Cookies, func(c registry.Cookie) bool { return c.Category != "necessary" })
	site.Services = []registry.Service{{ID: "google-tag-manager"}, {ID: "google-analytics"}, {ID: "youtube"}, {ID: "meta-pixel"}}
	site.Blocking = registry.BlockingObserve
	site, err := services.Builtin().Expand(site)
	if err != nil {
		t.Fatal(err)
	}
	if err := site.Validate().Err(); err != nil {
		t.Fatal(err)
	}
	return site
}

// TestBrowserBlockingObserve: the unaware page, with no proxy, on a site
// whose banner blocks its services. Before consent no vendor script runs,
// the scripts app.js inserts are never requested, and the frame stays
// behind its placeholder; the only vendor requests are the two the HTML
// itself names, which Chromium sends before any script can act (its
// preload scanner fetches the gtag.js it does not run, and a frame starts
// loading as the parser inserts it, until the banner points it at
// about:blank): the documented limit, which only charte proxy lifts.
// Accepting YouTube lets YouTube alone through; "accept all" the rest; on
// the next page, with the choice made, nothing is held.
func TestBrowserBlockingObserve(t *testing.T) {
	browser := browsertest.Start(t)
	vendor := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/javascript")
		switch {
		case strings.HasPrefix(r.URL.Path, "/gtm.js"):
			io.WriteString(w, "window.gtmRan = true;")
		case strings.HasPrefix(r.URL.Path, "/gtag/js"):
			io.WriteString(w, "window.gtagRan = true;")
		case strings.HasSuffix(r.URL.Path, "/fbevents.js"):
			io.WriteString(w, "window.fbRan = true;")
		default:
			w.Header().Set("Content-Type", "text/html")
			io.WriteString(w, "<!doctype html><title>Lecteur</title><p>Lecteur vidéo</p>")
		}
	}))
	t.Cleanup(vendor.Close)

	site := blockingSite(t)
	scripts := map[string][]byte{}
	for _, lang := range []string{"fr", "en"} {
		var err error
		if scripts[lang], err = Build(site, site.Revision(), lang, Options{APIBase: "."}); err != nil {
			t.Fatal(err)
		}
		// The preferences' details, fetched when they first open.
		if scripts["/sites/demo/banner/"+site.Revision()+"/"+lang+".json"], err = Details(site, site.Revision(), lang, Options{APIBase: "."}); err != nil {
			t.Fatal(err)
		}
	}
	// The page in the script's language; and in English, where the French
	// script (the tag names no language) gives way to the English one,
	// holding everything until that one takes over.
	for _, pageLang := range []string{"fr", "en"} {
		t.Run(pageLang, func(t *testing.T) { blockingObserve(t, browser, vendor.URL, scripts, pageLang) })
		t.Run(pageLang+"/src set after insertion", func(t *testing.T) { blockingLateSrc(t, browser, scripts, pageLang) })
	}
}

// serveBanner answers what the banner asks of charte, as a site's page
// loads it: the script (in the language its tag names, French when it
// names none), the preferences' details, and the consent it posts. It
// tells whether r was one of those.
func serveBanner(w http.ResponseWriter, r *http.Request, scripts map[string][]byte) bool {
	switch r.URL.Path {
	case "/banner.js":
		w.Header().Set("Content-Type", "text/javascript")
		lang := r.URL.Query().Get("lang")
		if lang == "" {
			lang = "fr"
		}
		w.Write(scripts[lang])
	case "/api/v1/sites/demo/consents":
		w.WriteHeader(http.StatusCreated)
	default:
		details, ok := scripts[r.URL.Path]
		if !ok {
			return false
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write(details)
	}
	return true
}

func blockingObserve(t *testing.T, browser context.Context, vendorURL string, scripts map[string][]byte, pageLang string) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/":
			w.Header().Set("Content-Security-Policy", pageCSP)
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprintf(w, unawarePage, pageLang)
		case "/app.js":
			w.Header().Set("Content-Type", "text/javascript")
			io.WriteString(w, appJS)
		default:
			if !serveBanner(w, r, scripts) {
				http.NotFound(w, r)
			}
		}
	}))
	t.Cleanup(srv.Close)

	const gtm, gtag, fb, embed = "https://www.googletagmanager.com/gtm.js", "https://www.googletagmanager.com/gtag/js",
		"https://connect.facebook.net/", "https://www.youtube.com/embed/abc123"
	tab, log := browsertest.VendorTab(t, browser, vendorURL, "www.googletagmanager.com", "connect.facebook.net", "www.youtube.com")
	browsertest.Open(t, tab, srv.URL+"/", `!!document.querySelector('.charte-banner[lang="`+pageLang+`"]') && window.appRan === true`)
	browsertest.WaitTrue(t, tab, `document.querySelectorAll('.charte-ph button[data-l="youtube"]').length == 2 && [...document.querySelectorAll('iframe')].every(f => f.hidden)`)
	if ran := browsertest.Eval[[]string](t, tab, `['gtmRan', 'gtagRan', 'fbRan', 'inlineRan'].filter(k => window[k])`); len(ran) > 0 {
		t.Errorf("before consent these ran: %v", ran)
	}
	if got := browsertest.Eval[[]string](t, tab, `[...document.querySelectorAll('script[type="text/plain"]')].map(s => s.dataset.charte).sort()`); !slices.Equal(got,
		[]string{"google-analytics", "google-analytics", "google-tag-manager", "meta-pixel"}) {
		t.Errorf("held scripts: %v", got)
	}
	for _, u := range log.All() {
		if !strings.HasPrefix(u, gtag) && !strings.HasPrefix(u, embed+"?") && u != embed {
			t.Errorf("before consent the page requested %s, which only a script inserted", u)
		}
	}
	if src := browsertest.Eval[[]string](t, tab, `[...document.querySelectorAll('iframe')].map(f => f.src)`); !slices.Equal(src, []string{"about:blank", "about:blank"}) {
		t.Errorf("the frames show %q before consent", src)
	}
	embeds := log.Count(embed)

	// "Accepter et afficher" on the video grants YouTube alone.
	browsertest.Click(t, tab, `.charte-ph button[data-l="youtube"]`)
	browsertest.WaitTrue(t, tab, `document.querySelector('iframe').src.startsWith('`+embed+`') && !document.querySelector('iframe').hidden`)
	log.WaitCount(t, embed, embeds+1)
	browsertest.WaitTrue(t, tab, `[...document.querySelectorAll('iframe')].every(f => !f.hidden && f.src.startsWith('https://www.youtube.com/embed/'))`)
	log.WaitCount(t, "https://www.youtube.com/embed/second", 1)
	if n := log.Count(gtm) + log.Count(fb); n > 0 {
		t.Errorf("after accepting YouTube only: %v", log.All())
	}

	// "Tout accepter": the held scripts run, the nonced inline one too.
	browsertest.Eval[any](t, tab, `charte.open()`)
	browsertest.Click(t, tab, `.charte-o [data-charte-action=accept_all]`)
	browsertest.WaitTrue(t, tab, `window.gtmRan === true && window.gtagRan === true && window.fbRan === true && window.inlineRan === true`)
	for _, u := range []string{gtm, fb} {
		log.WaitCount(t, u, 1)
	}

	// The next page, with the choice made: nothing is held, no placeholder.
	browsertest.Open(t, tab, srv.URL+"/", `window.appRan === true && window.gtmRan === true && window.fbRan === true && window.inlineRan === true`)
	if n := browsertest.Eval[int](t, tab, `document.querySelectorAll('[data-charte], .charte-ph').length`); n > 0 {
		t.Errorf("%d elements held or placeholders after accepting all", n)
	}
}
