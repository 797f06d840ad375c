package scan

import (
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/charte/charte/registry"
)

// fixture is a small web on loopback: the site on 127.0.0.1, a third party
// on 127.0.0.2 (an embedded player), and "localhost" as an undeclared
// third-party host (a tracking pixel), all served by Go test servers.
type fixture struct {
	site, third *httptest.Server
	// pixelHost is the site server reached under another name.
	pixelHost string
}

// What the fixture does, cookie by cookie (the registry below declares all
// but _ga, and declares _pk_ref* which nothing sets):
//
//	sessionid       header, HttpOnly, 2 weeks, every page        necessary
//	csrftoken       script on /page2, 52 weeks                   necessary
//	django_language header on /page3, 2 years (declared 1 year)  necessary
//	_pk_ses.1.f1x   inline script on /, BEFORE consent on purpose statistics
//	_pk_id.1.f1x    gated script, 13 months                      statistics
//	_ga             gated script, 390 days, undeclared           (built-in: Google Analytics)
//	cookies_preferences  the banner, on a choice                 necessary
//	video_id        127.0.0.2 iframe, gated, HttpOnly, 180 days  marketing, third party
//	FPID            header on /transient, HttpOnly, 30 days,     statistics
//	                expired by the next response (/forget)
//	_pk_testcookie.1.f1x  script on /transient, then deleted     statistics
//	                by script (Max-Age=0), as Matomo tests cookies
//	_pk_testcookie.2.f1x  the same through the Cookie Store API  statistics
//
// The last three are set before consent and gone a moment later: only a
// scanner recording every write sees them (transient, set then removed).
//
// localStorage: "fixture-theme" on the site (every page), "player-volume" in
// the third-party iframe.
func newFixture(t *testing.T, charteAPI bool) *fixture {
	t.Helper()
	f := &fixture{}
	f.third = listenOn(t, "127.0.0.2:0", http.HandlerFunc(f.serveThird))
	f.site = listenOn(t, "127.0.0.1:0", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.serveSite(w, r, charteAPI)
	}))
	f.pixelHost = strings.Replace(f.site.URL, "127.0.0.1", "localhost", 1)
	return f
}

func listenOn(t *testing.T, addr string, h http.Handler) *httptest.Server {
	t.Helper()
	l, err := net.Listen("tcp", addr)
	if err != nil {
		t.Skipf("cannot listen on %s: %v", addr, err)
	}
	s := httptest.NewUnstartedServer(h)
	s.Listener.Close()
	s.Listener = l
	s.Start()
	t.Cleanup(s.Close)
	return s
}

func (f *fixture) serveThird(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != "/embed" {
		http.NotFound(w, r)
		return
	}
	// SameSite=None; Secure is what a real player sends; Chromium treats
	// loopback as a secure context, so the cookie is stored over plain HTTP.
	w.Header().Add("Set-Cookie", "video_id=v1; Path=/; Max-Age=15552000; HttpOnly; SameSite=None; Secure")
	fmt.Fprint(w, `<!doctype html><title>player</title><p>video</p>
<script>localStorage.setItem('player-volume', '0.8');</script>`)
}

func (f *fixture) serveSite(w http.ResponseWriter, r *http.Request, charteAPI bool) {
	switch r.URL.Path {
	case "/banner.js":
		w.Header().Set("Content-Type", "text/javascript")
		if charteAPI {
			fmt.Fprint(w, charteBannerJS)
		} else {
			fmt.Fprint(w, otherBannerJS)
		}
		return
	case "/pixel.gif":
		w.Header().Set("Content-Type", "image/gif")
		w.Write([]byte("GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"))
		return
	case "/sitemap.xml":
		fmt.Fprintf(w, `<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<url><loc>%[1]s/</loc></url><url><loc>%[1]s/page4</loc></url><url><loc>http://elsewhere.invalid/x</loc></url></urlset>`, f.site.URL)
		return
	case "/forget":
		// The second response of /transient: it expires FPID.
		w.Header().Add("Set-Cookie", "FPID=; Path=/; Max-Age=0")
		w.Header().Set("Content-Type", "image/gif")
		w.Write([]byte("GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"))
		return
	case "/", "/page2", "/page3", "/page4", "/transient":
	default:
		http.NotFound(w, r)
		return
	}
	http.SetCookie(w, &http.Cookie{Name: "sessionid", Value: "s1", Path: "/", MaxAge: 14 * 86400, HttpOnly: true, SameSite: http.SameSiteLaxMode})
	var body string
	switch r.URL.Path {
	case "/":
		body = `<p><a href="/page2">page 2</a> <a href="/doc.pdf">a PDF</a> <a href="` + f.third.URL + `/elsewhere">another site</a>
<a href="/transient">transient</a></p>
<script>document.cookie = '_pk_ses.1.f1x=1; Max-Age=1800; Path=/; SameSite=Lax';</script>`
	case "/page2":
		body = `<p><a href="/page3#top">page 3</a></p><img src="` + f.pixelHost + `/pixel.gif" alt="">
<script>document.cookie = 'csrftoken=c1; Max-Age=31449600; Path=/; SameSite=Lax';</script>`
	case "/page3":
		http.SetCookie(w, &http.Cookie{Name: "django_language", Value: "fr", Path: "/", MaxAge: 2 * 365 * 86400, SameSite: http.SameSiteLaxMode})
		body = `<p>page 3</p>`
	case "/page4":
		body = `<p>only in the sitemap</p>`
	case "/transient":
		// Statistics before consent, cleaned up at once: by header, expired
		// by the image's response; by script, deleted by the next line.
		w.Header().Add("Set-Cookie", "FPID=fp1; Path=/; Max-Age=2592000; HttpOnly; SameSite=Lax")
		body = `<p>set then removed</p>
<script>document.cookie = '_pk_testcookie.1.f1x=1; Path=/; SameSite=Lax';
document.cookie = '_pk_testcookie.1.f1x=; Max-Age=0; Path=/';
cookieStore.set({name: '_pk_testcookie.2.f1x', value: '1', path: '/', sameSite: 'lax'}).then(() => cookieStore.delete('_pk_testcookie.2.f1x'));</script>
<img src="/forget" alt="">`
	}
	fmt.Fprintf(w, `<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>fixture</title></head><body>
<h1>Fixture</h1>%s
<iframe data-charte="marketing" data-src="%s/embed" title="video"></iframe>
<script type="text/plain" data-charte="statistics">
document.cookie = '_pk_id.1.f1x=v; Max-Age=' + (395*86400) + '; Path=/; SameSite=Lax';
document.cookie = '_ga=GA1.1.42; Max-Age=' + (390*86400) + '; Path=/; SameSite=Lax';
</script>
<script>localStorage.setItem('fixture-theme', 'dark');</script>
<script src="/banner.js"></script>
</body></html>`, body, f.third.URL)
}

// bannerCore is a minimal consent banner: it stores the choice in
// cookies_preferences and only then runs gated scripts and loads gated
// iframes, as charte's banner does.
const bannerCore = `
function stored() { var m = document.cookie.match(/(?:^|; )cookies_preferences=([^;]*)/); return m ? m[1] : null; }
function release(choice) {
  if (choice !== 'all') return;
  document.querySelectorAll('script[type="text/plain"][data-charte]').forEach(function (s) {
    var n = document.createElement('script'); n.text = s.text; document.body.appendChild(n);
  });
  document.querySelectorAll('iframe[data-charte][data-src]').forEach(function (f) { f.src = f.getAttribute('data-src'); });
}
var box = document.createElement('div');
box.setAttribute('role', 'region');
box.style.cssText = 'position:fixed;bottom:0;left:0;right:0;padding:1em;background:#fff;border-top:2px solid #333;font:16px sans-serif';
function save(v) {
  document.cookie = 'cookies_preferences=' + v + '; Max-Age=' + (183*86400) + '; Path=/; SameSite=Lax';
  box.style.display = 'none'; release(v);
}
`

const charteBannerJS = `(function () {` + bannerCore + `
box.innerHTML = '<p>Ce site utilise des cookies de mesure d\'audience et des vidéos.</p>' +
  '<button data-charte-action="accept_all">Tout accepter</button> ' +
  '<button data-charte-action="reject_all">Tout refuser</button> ' +
  '<button data-charte-action="customise">Personnaliser</button>';
box.querySelector('[data-charte-action=accept_all]').onclick = function () { save('all'); };
box.querySelector('[data-charte-action=reject_all]').onclick = function () { save('none'); };
document.body.appendChild(box);
window.charte = { open: function () { box.style.display = 'block'; }, choice: stored, on: function () {} };
var c = stored(); if (c) { box.style.display = 'none'; release(c); }
})();`

// otherBannerJS is a banner charte does not know: no window.charte, buttons
// found by their text only.
const otherBannerJS = `(function () {` + bannerCore + `
box.innerHTML = '<p>We use cookies.</p><button class="a">Accept all</button> <button class="r">Reject all</button>';
box.querySelector('.a').onclick = function () { save('all'); };
box.querySelector('.r').onclick = function () { save('none'); };
document.body.appendChild(box);
var c = stored(); if (c) { box.style.display = 'none'; release(c); }
})();`

// fixtureRegistry declares the fixture's cookies as an operator would.
func fixtureRegistry(t *testing.T) *registry.Site {
	t.Helper()
	s, _, err := registry.Load(strings.NewReader(`
id: fixture
name: Fixture
url: http://127.0.0.1
default_language: fr
languages: [fr, en]
categories:
  - {id: necessary, name: {fr: Nécessaires, en: Necessary}, exempt: true}
  - {id: statistics, name: {fr: Statistiques, en: Statistics}}
  - {id: marketing, name: {fr: Vidéos, en: Videos}}
cookies:
  - {name: sessionid, provider: Fixture, purpose: {fr: Session, en: Session}, category: necessary, lifetime: 2 weeks, party: first}
  - {name: csrftoken, provider: Fixture, purpose: {fr: CSRF, en: CSRF}, category: necessary, lifetime: 52 weeks, party: first}
  - {name: django_language, provider: Fixture, purpose: {fr: Langue, en: Language}, category: necessary, lifetime: 1 year, party: first}
  - {name: cookies_preferences, provider: Fixture, purpose: {fr: Choix, en: Choice}, category: necessary, lifetime: 6 months, party: first}
  - {name: _pk_id*, provider: Matomo, purpose: {fr: Visiteurs, en: Visitors}, category: statistics, lifetime: 13 months, party: first}
  - {name: _pk_ses*, provider: Matomo, purpose: {fr: Visite, en: Visit}, category: statistics, lifetime: 30 minutes, party: first}
  - {name: _pk_ref*, provider: Matomo, purpose: {fr: Provenance, en: Referrer}, category: statistics, lifetime: 6 months, party: first}
  - {name: FPID, provider: Fixture, purpose: {fr: Mesure, en: Measure}, category: statistics, lifetime: 1 month, party: first}
  - {name: _pk_testcookie*, provider: Matomo, purpose: {fr: Test, en: Test}, category: statistics, lifetime: session, party: first}
  - {name: video_id, provider: Player, domain: 127.0.0.2, purpose: {fr: Lecteur, en: Player}, category: marketing, lifetime: 6 months, party: third}
`))
	if err != nil {
		t.Fatalf("fixture registry: %v", err)
	}
	return s
}
