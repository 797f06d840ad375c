package proxy_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/charte/charte/consent"
	"github.com/charte/charte/internal/browsertest"
	"github.com/charte/charte/internal/proxy"
	"github.com/charte/charte/internal/store/storetest"
	"github.com/charte/charte/registry"
	"github.com/charte/charte/services"
)

// unawarePage is a page written with no knowledge of charte: Google Tag
// Manager's snippet, gtag.js, a YouTube frame and Meta's pixel image, as
// the vendors' documentation has them.
const unawarePage = `<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Portail</title>
<script>(function(w,d,s,l,i){w[l]=w[l]||[];w[l].push({'gtm.start':
new Date().getTime(),event:'gtm.js'});var f=d.getElementsByTagName(s)[0],
j=d.createElement(s),dl=l!='dataLayer'?'&l='+l:'';j.async=true;j.src=
'https://www.googletagmanager.com/gtm.js?id='+i+dl;f.parentNode.insertBefore(j,f);
})(window,document,'script','dataLayer','GTM-TEST');</script>
<script async src="https://www.googletagmanager.com/gtag/js?id=G-TEST"></script>
<script type="module" src="https://www.googletagmanager.com/gtag/js?id=G-MODULE"></script>
</head><body><h1>Portail</h1>
<iframe width="560" height="315" src="https://www.youtube.com/embed/abc123" title="Vidéo de présentation"></iframe>
<img height="1" width="1" alt="" src="https://www.facebook.com/tr?id=1&amp;ev=PageView&amp;noscript=1">
</body></html>`

// strictNonce is the nonce of the page served under a strict policy.
const strictNonce = "c2VjcmV0LW5vbmNl"

// vendorHosts are the hosts the vendors' fixtures answer for.
var vendorHosts = []string{"www.googletagmanager.com", "www.youtube.com", "www.facebook.com"}

// TestBrowserAutomaticBlocking: behind charte proxy, the unaware page
// requests no vendor URL before consent and shows the frame's placeholder;
// after accepting YouTube alone only YouTube loads; after "accept all" all
// of them do. The same again under a strict nonce policy ('strict-dynamic'):
// the banner runs from the tag the proxy gave the page's nonce, and the
// scripts it releases run too. The vendors are an httptest server the browser reaches
// through request interception (no internet here); every request to their
// hosts is in the log, whatever answers it.
func TestBrowserAutomaticBlocking(t *testing.T) {
	browser := browsertest.Start(t)
	ctx := context.Background()

	vendor := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case strings.HasPrefix(r.URL.Path, "/gtm.js"):
			w.Header().Set("Content-Type", "text/javascript")
			io.WriteString(w, "window.gtmRan = true;")
		case strings.HasPrefix(r.URL.Path, "/gtag/js") && r.URL.Query().Get("id") == "G-MODULE":
			// import.meta is a syntax error anywhere but in a module; a
			// module from another origin needs CORS.
			w.Header().Set("Content-Type", "text/javascript")
			w.Header().Set("Access-Control-Allow-Origin", "*")
			io.WriteString(w, "window.gtagModule = import.meta.url;")
		case strings.HasPrefix(r.URL.Path, "/gtag/js"):
			w.Header().Set("Content-Type", "text/javascript")
			io.WriteString(w, "window.gtagRan = true;")
		case strings.HasPrefix(r.URL.Path, "/embed/"):
			w.Header().Set("Content-Type", "text/html")
			io.WriteString(w, "<!doctype html><title>Lecteur</title><p>Lecteur vidéo</p>")
		default:
			w.Header().Set("Content-Type", "image/gif")
			w.Write([]byte("GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"))
		}
	}))
	t.Cleanup(vendor.Close)
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		page := unawarePage
		switch r.URL.Path {
		case "/":
		case "/strict":
			// Google's strict policy: only scripts with the page's nonce
			// run, and those they add. The page's scripts carry it; the
			// banner's tag gets it from the proxy.
			w.Header().Set("Content-Security-Policy", "script-src 'nonce-"+strictNonce+"' 'strict-dynamic'; object-src 'none'; base-uri 'none'")
			page = strings.ReplaceAll(page, "<script", `<script nonce="`+strictNonce+`"`)
		default:
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, page)
	}))
	t.Cleanup(up.Close)

	// charte serve with the demo site declaring the four services.
	st := storetest.New(t)
	storetest.Seed(t, st)
	cs := startCharte(t, st)

	// charte proxy in front of the upstream, reading the registry from the
	// server, as `charte proxy --site demo --server CHARTE` does.
	var psURL string
	ps := httptest.NewUnstartedServer(nil)
	ps.Start()
	t.Cleanup(ps.Close)
	psURL = ps.URL
	site, err := st.Site(ctx, "demo")
	if err != nil {
		t.Fatal(err)
	}
	site.Cookies = slices.DeleteFunc(site.Cookies, func(c registry.Cookie) bool { return c.Category != "necessary" })
	site.Services = []registry.Service{{ID: "google-tag-manager"}, {ID: "google-analytics"}, {ID: "youtube"}, {ID: "meta-pixel"}}
	site.Origins = append(site.Origins, psURL)
	if err := st.SaveSite(ctx, registry.MustCheck(site)); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Publish(ctx, "demo"); err != nil {
		t.Fatal(err)
	}
	src, err := consent.NewServerSource(cs.URL, "demo", nil, quiet)
	if err != nil {
		t.Fatal(err)
	}
	enforcer, err := consent.New(src, consent.Options{Logger: quiet, Context: true})
	if err != nil {
		t.Fatal(err)
	}
	upURL, _ := url.Parse(up.URL)
	h, err := proxy.New(proxy.Config{Upstream: upURL, Enforcer: enforcer, BannerURL: cs.URL + "/sites/demo/banner.js",
		Logger: quiet, Blocking: services.Builtin()})
	if err != nil {
		t.Fatal(err)
	}
	ps.Config.Handler = h

	for _, path := range []string{"/", "/strict"} {
		t.Run(path, func(t *testing.T) {
			tab, log := browsertest.VendorTab(t, browser, vendor.URL, vendorHosts...)
			browsertest.Open(t, tab, psURL+path, `!!document.querySelector('.charte-banner')`)
			// The placeholder stands where the frame was; the banner asks.
			browsertest.WaitTrue(t, tab, `!!document.querySelector('.charte-ph button[data-l="youtube"]') && document.querySelector('iframe').hidden`)
			if got := log.All(); len(got) > 0 {
				t.Fatalf("before consent the page requested %v", got)
			}
			if browsertest.Eval[bool](t, tab, `!!(window.gtmRan || window.gtagRan || window.gtagModule)`) {
				t.Fatal("a vendor script ran before consent")
			}

			// "Accepter et afficher" on the video grants YouTube alone.
			browsertest.Click(t, tab, `.charte-ph button[data-l="youtube"]`)
			browsertest.WaitTrue(t, tab, `document.querySelector('iframe').src.startsWith('https://www.youtube.com/embed/abc123')`)
			log.WaitCount(t, "https://www.youtube.com/embed/abc123", 1)
			for _, u := range log.All() {
				if !strings.HasPrefix(u, "https://www.youtube.com/") {
					t.Errorf("after accepting YouTube only, the page requested %s", u)
				}
			}

			// "Tout accepter" in the preferences: the rest loads, the inline GTM
			// snippet included (it loads gtm.js itself).
			browsertest.Eval[any](t, tab, `charte.open()`)
			browsertest.Click(t, tab, `.charte-o [data-charte-action=accept_all]`)
			for _, u := range []string{"https://www.googletagmanager.com/gtm.js?id=GTM-TEST", "https://www.googletagmanager.com/gtag/js?id=G-TEST", "https://www.googletagmanager.com/gtag/js?id=G-MODULE", "https://www.facebook.com/tr?id=1"} {
				log.WaitCount(t, u, 1)
			}
			browsertest.WaitTrue(t, tab, `window.gtmRan === true && window.gtagRan === true`)
			// The module script ran as a module.
			browsertest.WaitTrue(t, tab, `String(window.gtagModule).startsWith('https://www.googletagmanager.com/gtag/js?id=G-MODULE')`)
		})
	}
}
