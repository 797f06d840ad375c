package proxy_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/charte/charte/consent"
	"github.com/charte/charte/internal/browsertest"
	"github.com/charte/charte/internal/proof"
	"github.com/charte/charte/internal/proxy"
	"github.com/charte/charte/internal/store"
	"github.com/charte/charte/internal/store/storetest"
	"github.com/charte/charte/internal/web"
	"github.com/charte/charte/registry"
)

// waitFor bounds every wait on the store, as browsertest.WaitFor does on
// the browser.
const waitFor = browsertest.WaitFor

var quiet = slog.New(slog.DiscardHandler)

// startChromium starts one headless Chromium for a test and its subtests;
// each subtest works in its own browser context, a fresh profile.
func startChromium(t *testing.T) context.Context { return browsertest.Start(t) }

// upstreamSite is a plain site that knows nothing of charte, as a Django or
// PHP portal: two HTML pages, the second gzip-compressed, each setting a
// necessary session, Matomo's HttpOnly visitor cookie, YouTube's marketing
// cookie and a cookie the registry does not declare. It records the Cookie
// header of every request it receives.
type upstreamSite struct {
	*httptest.Server
	mu      sync.Mutex
	seen    []seenRequest
	gzipped int // pages sent gzip-compressed
}

type seenRequest struct{ path, cookie string }

const (
	homePath = "/"
	dataPath = "/jeux-de-donnees" // the gzip-compressed page
)

// upstreamCookies are set on every page.
var upstreamCookies = []string{
	"sessionid=s1; Path=/; HttpOnly; SameSite=Lax",
	"_pk_id.1.abcd=p1; Path=/; Max-Age=33696000; HttpOnly; SameSite=Lax",
	"YSC=y1; Path=/; SameSite=Lax",
	"tracker=t1; Path=/; SameSite=Lax", // undeclared: blocked by default
}

func newUpstream(t *testing.T, charter string) *upstreamSite {
	t.Helper()
	u := &upstreamSite{}
	render := func(title string) string {
		return `<!DOCTYPE html>
<html lang="fr">
<head>
<meta charset="utf-8">
<title>` + title + `</title>
</head>
<body>
<h1>` + title + `</h1>
<p><a id="home" href="` + homePath + `">Accueil</a> · <a id="data" href="` + dataPath + `">Jeux de données</a></p>
<footer><a id="manage" href="` + charter + `" data-charte-open>Gérer mes cookies</a></footer>
</body>
</html>
`
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET "+homePath+"{$}", func(w http.ResponseWriter, r *http.Request) {
		body := render("Portail open data")
		for _, c := range upstreamCookies {
			w.Header().Add("Set-Cookie", c)
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Content-Length", fmt.Sprint(len(body)))
		io.WriteString(w, body)
	})
	mux.HandleFunc("GET "+dataPath, func(w http.ResponseWriter, r *http.Request) {
		body := render("Jeux de données")
		for _, c := range upstreamCookies {
			w.Header().Add("Set-Cookie", c)
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Vary", "Accept-Encoding")
		if !strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
			io.WriteString(w, body)
			return
		}
		var b bytes.Buffer
		zw := gzip.NewWriter(&b)
		io.WriteString(zw, body)
		zw.Close()
		w.Header().Set("Content-Encoding", "gzip")
		w.Header().Set("Content-Length", fmt.Sprint(b.Len()))
		w.Write(b.Bytes())
		u.mu.Lock()
		u.gzipped++
		u.mu.Unlock()
	})
	u.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u.mu.Lock()
		u.seen = append(u.seen, seenRequest{r.URL.Path, r.Header.Get("Cookie")})
		u.mu.Unlock()
		mux.ServeHTTP(w, r)
	}))
	t.Cleanup(u.Close)
	return u
}

func (u *upstreamSite) requests() ([]seenRequest, int) {
	u.mu.Lock()
	defer u.mu.Unlock()
	return append([]seenRequest(nil), u.seen...), u.gzipped
}

// world is the whole set-up of issue 5's "Done when": a charte server on a
// fresh store seeded with the demo sites, the plain upstream site, and
// `charte proxy --site demo --upstream … --server …` in front of it.
type world struct {
	charte    string // the charte server's URL
	store     store.Store
	upstream  *upstreamSite
	proxy     string // the proxy's URL: the site's address for visitors
	bannerURL string
}

func newWorld(t *testing.T) *world {
	t.Helper()
	ctx := context.Background()
	st := storetest.New(t)
	storetest.Seed(t, st)
	cs := startCharte(t, st)

	up := newUpstream(t, cs.URL+"/sites/demo/charter")

	// What `charte proxy --site demo --upstream UP --server CHARTE` builds:
	// the registry read from the server, the default banner URL.
	src, err := consent.NewServerSource(cs.URL, "demo", nil, quiet)
	if err != nil {
		t.Fatal(err)
	}
	enforcer, err := consent.New(src, consent.Options{Undeclared: consent.Block, Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	upURL, _ := url.Parse(up.URL)
	bannerURL := cs.URL + "/sites/demo/banner.js"
	h, err := proxy.New(proxy.Config{Upstream: upURL, Enforcer: enforcer, BannerURL: bannerURL, Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	ps := httptest.NewServer(h)
	t.Cleanup(ps.Close)

	// The proxy listens on a random port: declare its origin so that charte
	// accepts the banner's consent records from it.
	site, err := st.Site(ctx, "demo")
	if err != nil {
		t.Fatal(err)
	}
	site.Origins = append(site.Origins, ps.URL)
	if err := st.SaveSite(ctx, registry.MustCheck(site)); err != nil {
		t.Fatal(err)
	}
	return &world{charte: cs.URL, store: st, upstream: up, proxy: ps.URL, bannerURL: bannerURL}
}

// records waits until the store holds n records for a consent id and
// returns them, oldest first.
func (w *world) records(t *testing.T, consentID string, n int) []proof.Record {
	return waitRecords(t, w.store, "demo", consentID, n)
}

// startCharte serves st as `charte serve` does, at the URL it returns (its
// server is closed when the test ends).
func startCharte(t *testing.T, st store.Store) *httptest.Server {
	t.Helper()
	// The server needs its own URL before it exists: route through a
	// variable set once the listener is up.
	var handler http.Handler
	cs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { handler.ServeHTTP(w, r) }))
	t.Cleanup(cs.Close)
	base, _ := url.Parse(cs.URL)
	srv, err := web.New(web.Config{BaseURL: base}, st, quiet)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	handler = srv.Handler()
	return cs
}

// waitRecords waits until st holds n records of a consent id of site and
// returns them, oldest first; it fails the test when it holds another count.
func waitRecords(t *testing.T, st store.Store, site, consentID string, n int) []proof.Record {
	t.Helper()
	deadline := time.Now().Add(waitFor)
	for {
		recs, err := st.ConsentHistory(context.Background(), site, consentID)
		if err != nil {
			t.Fatal(err)
		}
		if len(recs) >= n || time.Now().After(deadline) {
			if len(recs) != n {
				t.Fatalf("%d records stored for %s, want %d: %+v", len(recs), consentID, n, recs)
			}
			return recs
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// visitor is one tab in a fresh browser context of the shared browser: a
// French-speaking visitor with an empty cookie jar. It keeps the Set-Cookie
// lines of every response the browser received, as they came on the wire.
type visitor struct {
	t   *testing.T
	ctx context.Context

	mu         sync.Mutex
	urls       map[network.RequestID]string
	setCookies map[network.RequestID]string
}

func newVisitor(t *testing.T, browser context.Context) *visitor {
	t.Helper()
	v := &visitor{t: t, urls: map[network.RequestID]string{}, setCookies: map[network.RequestID]string{}}
	ctx, cancel := chromedp.NewContext(browser, chromedp.WithNewBrowserContext(), chromedp.WithListener(v.listen))
	t.Cleanup(cancel)
	v.ctx = ctx
	if err := chromedp.Do(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(ctx, network.SetExtraHTTPHeaders, network.SetExtraHTTPHeadersParams{
		Headers: network.Headers{"Accept-Language": "fr-FR,fr;q=0.9"},
	}); err != nil {
		t.Fatal(err)
	}
	// Marks the document, so a wait can tell the page before a reload from
	// the page after it.
	if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: `window.loadedAt = performance.timeOrigin;`}); err != nil {
		t.Fatal(err)
	}
	return v
}

// listen runs on chromedp's reading goroutine: it only stores.
func (v *visitor) listen(ev any) {
	switch e := ev.(type) {
	case *network.EventResponseReceived:
		if e.Type == network.ResourceTypeDocument {
			v.mu.Lock()
			v.urls[e.RequestID] = e.Response.URL
			v.mu.Unlock()
		}
	case *network.EventResponseReceivedExtraInfo:
		for k, val := range e.Headers {
			if s, ok := val.(string); ok && strings.EqualFold(k, "Set-Cookie") {
				v.mu.Lock()
				v.setCookies[e.RequestID] = s
				v.mu.Unlock()
			}
		}
	}
}

// setCookiesFor returns the Set-Cookie lines of every document response
// received for a URL, in no particular order.
func (v *visitor) setCookiesFor(u string) []string {
	v.mu.Lock()
	defer v.mu.Unlock()
	var out []string
	for id, got := range v.urls {
		if got == u {
			out = append(out, strings.Split(v.setCookies[id], "\n")...)
		}
	}
	return out
}

// open loads a page and waits until the banner's script has run.
func (v *visitor) open(u string) {
	v.t.Helper()
	browsertest.Open(v.t, v.ctx, u, `!!window.charte && document.readyState === 'complete'`)
}

// reload reloads the page, as the visitor's F5, and waits for the banner.
func (v *visitor) reload() {
	v.t.Helper()
	ctx, cancel := context.WithTimeout(v.ctx, waitFor)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.Reload()); err != nil {
		v.t.Fatalf("reload: %v", err)
	}
	v.waitTrue(`!!window.charte && document.readyState === 'complete'`)
}

// waitTrue polls a JavaScript condition until it holds.
func (v *visitor) waitTrue(cond string) {
	v.t.Helper()
	browsertest.WaitTrue(v.t, v.ctx, cond)
}

// eval runs an expression in the page and decodes its value.
func eval[T any](v *visitor, expr string) T {
	v.t.Helper()
	return browsertest.Eval[T](v.t, v.ctx, expr)
}

// click clicks an element with the mouse, once it is visible.
func (v *visitor) click(selector string) {
	v.t.Helper()
	browsertest.Click(v.t, v.ctx, selector)
}

// cookies returns what the browser holds for the site, HttpOnly included.
func (v *visitor) cookies(site string) map[string]*network.Cookie {
	v.t.Helper()
	return browsertest.Cookies(v.t, v.ctx, site+"/")
}

// choice decodes the visitor's cookies_preferences with Go's codec, the one
// the proxy reads; ok is false when there is none.
func (v *visitor) choice(site string) (c consent.Choice, ok bool) {
	v.t.Helper()
	ck := v.cookies(site)[consent.CookieName]
	if ck == nil {
		return c, false
	}
	c, err := consent.Decode(ck.Value)
	if err != nil {
		v.t.Fatalf("cookies_preferences %q does not decode in Go: %v", ck.Value, err)
	}
	return c, true
}

// refusedCookies lists, for each request the upstream received, the cookies
// it read although the visitor's cookies_preferences sent with them (or its
// absence) refused their category. Undeclared cookies are not judged: the
// proxy forwards them, and the browser never holds one here anyway.
func refusedCookies(reqs []seenRequest) []string {
	var bad []string
	for _, r := range reqs {
		var choice consent.Choice
		var pairs [][2]string
		for part := range strings.SplitSeq(r.cookie, ";") {
			name, value, _ := strings.Cut(strings.TrimSpace(part), "=")
			if name == consent.CookieName {
				choice, _ = consent.Decode(value)
			}
			pairs = append(pairs, [2]string{name, value})
		}
		for _, p := range pairs {
			switch {
			case strings.HasPrefix(p[0], "_pk_") && !choice.Allowed("statistics"),
				p[0] == "YSC" && !choice.Allowed("marketing"):
				bad = append(bad, r.path+": "+p[0]+" in "+r.cookie)
			}
		}
	}
	return bad
}

// hasPrefix reports whether a cookie with that name or prefix is held.
var hasPrefix = browsertest.HasCookie

// names lists cookie names, for messages.
var names = browsertest.Names

// jsNumber writes a float64 so that JavaScript reads back the same number.
func jsNumber(f float64) string { return strconv.FormatFloat(f, 'g', -1, 64) }
