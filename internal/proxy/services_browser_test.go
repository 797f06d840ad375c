package proxy_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"testing"

	"github.com/charte/charte/consent"
	"github.com/charte/charte/internal/proof"
	"github.com/charte/charte/internal/proxy"
	"github.com/charte/charte/internal/store"
	"github.com/charte/charte/internal/store/storetest"
	"github.com/charte/charte/registry"
)

// Issue 12's "Done when": on a site declaring services [youtube, criteo],
// "Accept and show" on a YouTube placeholder grants YouTube and no other
// marketing service; the proxy then lets YouTube's cookies through and
// still drops Criteo's, and the proof holds the decision per service.
func TestBrowserServicePlaceholder(t *testing.T) {
	browser := startChromium(t)
	w := newServicesWorld(t)
	v := newVisitor(t, browser)

	v.open(w.proxy + "/")
	v.waitTrue(`!!document.querySelector('.charte-ph [data-l=youtube]')`)
	if got := eval[string](v, `document.querySelector('.charte-ph p').textContent`); got != "Contenu de Google Ireland Limited (« YouTube ») : il ne s'affiche qu'avec votre accord." {
		t.Errorf("placeholder says %q", got)
	}
	held := func() (yt, criteo bool) {
		all := v.cookies(w.proxy)
		return all["VISITOR_INFO1_LIVE"] != nil, all["cto_bundle"] != nil
	}
	if yt, cr := held(); yt || cr {
		t.Errorf("before any choice the browser holds YouTube's cookie %v, Criteo's %v", yt, cr)
	}

	v.click(`.charte-ph [data-l=youtube]`)
	v.waitTrue(`document.cookie.includes('cookies_preferences=') && document.getElementById('video').getAttribute('src') === '/video'`)
	if eval[bool](v, `!!document.querySelector('.charte-ph')`) {
		t.Error("the placeholder is still shown after Accept and show")
	}
	// Consent Mode follows the services that read a signal: YouTube reads
	// ad_storage, so granting it grants the signal; Criteo reads none.
	if got := eval[string](v, `JSON.stringify(dataLayer.filter(x => x[0] == 'consent').map(x => x[1] + ':' + x[2].ad_storage))`); got != `["default:denied","update:granted"]` {
		t.Errorf("Consent Mode commands %s, want ad_storage denied by default, granted with YouTube", got)
	}
	c, ok := v.choice(w.proxy)
	if !ok || c.Allowed("marketing") || !c.AllowedService("youtube", "marketing") || c.AllowedService("criteo", "marketing") {
		t.Fatalf("choice %+v: want YouTube granted, the marketing category and Criteo refused", c)
	}

	// The next page through the proxy: YouTube's cookie passes, Criteo's
	// does not, and the site never reads Criteo's.
	v.reload()
	if yt, cr := held(); !yt || cr {
		t.Errorf("after Accept and show, YouTube's cookie held %v (want true), Criteo's %v (want false)", yt, cr)
	}
	if got := v.setCookiesFor(w.proxy + "/"); slices.ContainsFunc(got, func(l string) bool {
		return len(l) > 10 && l[:11] == "cto_bundle=" && l != "cto_bundle=; Path=/; Max-Age=0"
	}) {
		t.Errorf("the proxy let Criteo's cookie through: %q", got)
	}

	recs := w.records(t, c.ConsentID, 1)
	r := recs[0]
	if r.Action != proof.Custom || r.Decisions["marketing"] || !r.Services["youtube"] || r.Services["criteo"] || len(r.Services) != 2 {
		t.Errorf("record %+v: want custom, marketing refused, services youtube granted and criteo refused", r)
	}

	// The customise panel shows each service under its category; the
	// category's switch sets them all.
	v.click(`#manage[data-charte-open]`)
	v.waitTrue(`!!document.querySelector('.charte-d')`)
	state := `JSON.stringify(Array.from(document.querySelectorAll('.charte-d [data-k],.charte-d [data-s]'), i => (i.dataset.k || i.dataset.s) + '=' + i.checked))`
	if got := eval[string](v, state); got != `["marketing=false","youtube=true","criteo=false"]` {
		t.Errorf("switches %s", got)
	}
	if got := eval[string](v, `document.querySelector('.charte-d ul[aria-label]').getAttribute('aria-label')`); got != "Services de cette catégorie" {
		t.Errorf("services list labelled %q", got)
	}
	v.click(`.charte-d [data-k=marketing]`)
	if got := eval[string](v, state); got != `["marketing=true","youtube=true","criteo=true"]` {
		t.Errorf("after the category's switch: %s", got)
	}
	v.click(`.charte-d [data-charte-action=save]`)
	v.waitTrue(`!document.querySelector('.charte-d')`)
	v.reload()
	if yt, cr := held(); !yt || !cr {
		t.Errorf("after granting marketing, YouTube's cookie held %v, Criteo's %v: want both", yt, cr)
	}
	if c, _ := v.choice(w.proxy); !c.Allowed("marketing") || len(c.Services) != 0 {
		t.Errorf("choice %+v: want marketing granted and no service apart", c)
	}
}

// servicesWorld is a charte server with the site "ville" (services youtube
// and criteo, published), a plain upstream and the proxy in front of it.
type servicesWorld struct {
	store store.Store
	proxy string
}

func newServicesWorld(t *testing.T) *servicesWorld {
	t.Helper()
	ctx := context.Background()
	st := storetest.New(t)
	cs := startCharte(t, st)

	site := &registry.Site{ID: "ville", Name: "Mairie", DefaultLanguage: "fr", Languages: []string{"fr", "en"},
		Categories: []registry.Category{
			{ID: "necessary", Name: registry.Text{"fr": "Nécessaires", "en": "Necessary"}, Exempt: true},
			{ID: "marketing", Name: registry.Text{"fr": "Contenus tiers et publicité", "en": "Third-party content and advertising"}},
		},
		Cookies: []registry.Cookie{{Name: "sessionid", Provider: "Mairie", Purpose: registry.Text{"fr": "Session", "en": "Session"},
			Category: "necessary", Lifetime: "2 weeks", Party: registry.FirstParty}},
		Services:    []registry.Service{{ID: "youtube"}, {ID: "criteo"}},
		ConsentMode: &registry.ConsentMode{Enabled: true},
	}
	if err := st.SaveSite(ctx, registry.MustCheck(site)); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Publish(ctx, "ville"); err != nil {
		t.Fatal(err)
	}

	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		if r.URL.Path == "/video" {
			io.WriteString(w, `<!DOCTYPE html><title>vidéo</title><p>lecteur</p>`)
			return
		}
		for _, c := range []string{"sessionid=s1; Path=/; HttpOnly", "VISITOR_INFO1_LIVE=v1; Path=/; Max-Age=15552000", "cto_bundle=c1; Path=/; Max-Age=33696000"} {
			w.Header().Add("Set-Cookie", c)
		}
		io.WriteString(w, `<!DOCTYPE html>
<html lang="fr">
<head><meta charset="utf-8"><title>Mairie</title></head>
<body>
<h1>Mairie</h1>
<iframe id="video" title="Vidéo de la mairie" data-charte="youtube" data-src="/video" hidden></iframe>
<footer><a id="manage" href="/charte" data-charte-open>Gérer mes cookies</a></footer>
</body>
</html>
`)
	}))
	t.Cleanup(up.Close)

	src, err := consent.NewServerSource(cs.URL, "ville", nil, quiet)
	if err != nil {
		t.Fatal(err)
	}
	enforcer, err := consent.New(src, consent.Options{Undeclared: consent.Block, Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	upURL, _ := url.Parse(up.URL)
	h, err := proxy.New(proxy.Config{Upstream: upURL, Enforcer: enforcer, BannerURL: cs.URL + "/sites/ville/banner.js", Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	ps := httptest.NewServer(h)
	t.Cleanup(ps.Close)
	draft, err := st.Site(ctx, "ville")
	if err != nil {
		t.Fatal(err)
	}
	draft.Origins = append(draft.Origins, ps.URL)
	if err := st.SaveSite(ctx, registry.MustCheck(draft)); err != nil {
		t.Fatal(err)
	}
	return &servicesWorld{store: st, proxy: ps.URL}
}

// records waits until the store holds n records of a consent id.
func (w *servicesWorld) records(t *testing.T, consentID string, n int) []proof.Record {
	return waitRecords(t, w.store, "ville", consentID, n)
}
