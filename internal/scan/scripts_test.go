package scan

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/charte/charte/internal/banner"
	"github.com/charte/charte/internal/demo"
	"github.com/charte/charte/registry"
	"github.com/charte/charte/services"
)

const gtagURL = "https://www.googletagmanager.com/gtag/js?id=G-TEST"

// gtmSnippet is Google Tag Manager's loader as its documentation has it.
const gtmSnippet = `(function(w,d,s,l,i){w[l]=w[l]||[];w[l].push({'gtm.start':new Date().getTime(),event:'gtm.js'});
var f=d.getElementsByTagName(s)[0],j=d.createElement(s);j.async=true;j.src='https://www.googletagmanager.com/gtm.js?id='+i;
f.parentNode.insertBefore(j,f);})(window,document,'script','dataLayer','GTM-TEST');`

func TestRanScripts(t *testing.T) {
	bannerTag := pageScript{Src: "https://charte.example/sites/demo/banner.js", JS: true, Banner: true}
	tests := []struct {
		name string
		list []pageScript
		want []RanScript
	}{
		{"nothing of the catalogue", []pageScript{bannerTag, {Src: "https://example.org/app.js", JS: true}, {Text: "console.log(1)", JS: true}}, nil},
		{"held scripts", []pageScript{{Src: gtagURL}, {Text: gtmSnippet}, bannerTag}, nil},
		{"before the banner", []pageScript{{Src: gtagURL, JS: true}, {Text: gtmSnippet, JS: true}, bannerTag},
			[]RanScript{{Page: "p", Service: "google-analytics", URL: gtagURL, BeforeBanner: true}, {Page: "p", Service: "google-tag-manager", BeforeBanner: true}}},
		{"after the banner", []pageScript{bannerTag, {Src: gtagURL, JS: true}, {Src: gtagURL, JS: true}},
			[]RanScript{{Page: "p", Service: "google-analytics", URL: gtagURL}}},
		{"no charte banner", []pageScript{{Text: gtmSnippet, JS: true}},
			[]RanScript{{Page: "p", Service: "google-tag-manager"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ranScripts("p", tt.list); !slices.Equal(got, tt.want) {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

// TestScriptNeedsConsent: by the registry's category for the service or
// its exempt variant, else the recipe's.
func TestScriptNeedsConsent(t *testing.T) {
	site := demo.Site("demo")
	tests := []struct {
		name, id string
		site     *registry.Site
		services []registry.Service
		want     bool
	}{
		{"no registry, statistics", "google-analytics", nil, nil, true},
		{"necessary recipe", "cdnjs", nil, nil, false},
		{"declared needing consent", "matomo", site, []registry.Service{{ID: "matomo", Category: "statistics"}}, true},
		{"exempt variant declared", "matomo", site, []registry.Service{{ID: "matomo-exempt", Category: "necessary"}}, false},
		{"unknown recipe", "no-such-thing", nil, nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := tt.site
			if s != nil {
				c := *s
				c.Services = tt.services
				s = &c
			}
			if got := scriptNeedsConsent(tt.id, s); got != tt.want {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

// TestScanFlagsScriptsBeforeConsent scans, in real Chromium, one site whose
// pages carry the banner charte builds, blocking its services (blocking:
// observe) on all but one: on the start page the banner tag comes first, and
// what the page adds after it is held and not reported; gtag.js or the GTM
// snippet written before the tag ran before the banner, and is reported as
// such on arrival and after a refusal; on the page whose banner does not
// block, gtag.js after the tag ran too, with the other advice. One scan
// visits the four pages, each a row of the table. Vendor requests need not
// succeed (tests run offline).
func TestScanFlagsScriptsBeforeConsent(t *testing.T) {
	needChromium(t)
	site := demo.Site("demo")
	site.Cookies = slices.DeleteFunc(site.Cookies, func(c registry.Cookie) bool { return c.Category != "necessary" })
	site.Services = []registry.Service{{ID: "google-tag-manager"}, {ID: "google-analytics"}, {ID: "youtube"}}
	site.Blocking = registry.BlockingObserve
	site, err := services.Builtin().Expand(site)
	if err != nil {
		t.Fatal(err)
	}
	noBlocking := *site
	noBlocking.Blocking = ""

	const tag, plainTag = `<script src="/sites/demo/banner.js"></script>`, `<script src="/sites/plain/banner.js"></script>`
	gtag := `<script async src="` + gtagURL + `"></script>`
	gtm := `<script>` + gtmSnippet + `</script>`
	pages := []struct {
		path, head string
		want       []string // "service URL before-the-banner"
	}{
		{"/", tag + gtag + gtm, nil},
		{"/gtag-first", gtag + tag + gtm, []string{"google-analytics " + gtagURL + " true"}},
		// The snippet ran, and so did the gtm.js it inserted before itself.
		{"/gtm-first", gtm + tag + gtag, []string{"google-tag-manager  true",
			"google-tag-manager https://www.googletagmanager.com/gtm.js?id=GTM-TEST true"}},
		{"/no-blocking", plainTag + gtag, []string{"google-analytics " + gtagURL + " false"}},
	}
	scripts := map[string][]byte{}
	srv := listenOn(t, "127.0.0.1:0", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/sites/demo/banner.js", "/sites/plain/banner.js":
			w.Header().Set("Content-Type", "text/javascript")
			w.Write(scripts[r.URL.Path])
			return
		case "/api/v1/sites/demo/consents":
			w.WriteHeader(http.StatusCreated)
			return
		}
		for _, p := range pages {
			if p.path == r.URL.Path {
				var links strings.Builder
				for _, q := range pages {
					fmt.Fprintf(&links, `<a href="%s">%s</a> `, q.path, q.path)
				}
				fmt.Fprintf(w, `<!doctype html><html lang="fr"><head><meta charset="utf-8">%s<title>Mairie</title></head>
<body><h1>Mairie</h1><nav>%s</nav><iframe title="Vidéo" src="https://www.youtube.com/embed/abc"></iframe></body></html>`, p.head, links.String())
				return
			}
		}
		http.NotFound(w, r)
	}))
	for path, s := range map[string]*registry.Site{"/sites/demo/banner.js": site, "/sites/plain/banner.js": &noBlocking} {
		if scripts[path], err = banner.Build(s, s.Revision(), "fr", banner.Options{APIBase: srv.URL}); err != nil {
			t.Fatal(err)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	r, err := Run(ctx, Options{URL: srv.URL, Site: site, Pages: len(pages) + 1 /* the banner links the charter */, Settle: 300 * time.Millisecond, LoadTimeout: 20 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string][]string{}
	for _, f := range r.Findings {
		if f.Kind != KindEarlyScript {
			continue
		}
		path := strings.TrimPrefix(f.Page, srv.URL)
		got[path] = append(got[path], fmt.Sprintf("%s %s %v", f.Service, f.Name, f.BeforeBanner))
		if !slices.Equal(f.Passes, []string{PassArrival, PassRefuse}) || f.Severity != SeverityHigh {
			t.Errorf("%+v: want high, on arrival and after a refusal", f)
		}
		fr := f.Message("fr")
		if want := map[bool]string{true: "Placez la balise du bandeau en premier dans <head>", false: "blocking: observe"}[f.BeforeBanner]; !strings.Contains(fr, want) {
			t.Errorf("the French message %q does not say %q", fr, want)
		}
	}
	want := 0
	for _, p := range pages {
		t.Run(p.path, func(t *testing.T) {
			if !slices.Equal(got[p.path], p.want) {
				t.Errorf("early scripts %q, want %q", got[p.path], p.want)
			}
		})
		want += len(p.want)
	}
	// The reports (the back office shows the HTML one) carry them.
	for _, format := range []string{"text", "html"} {
		var b strings.Builder
		if err := Render(&b, r, format, "fr"); err != nil {
			t.Fatal(err)
		}
		if n := strings.Count(b.String(), "requiert un consentement mais a pu s") + strings.Count(b.String(), "requiert un consentement mais s"); n != want {
			t.Errorf("the %s report holds %d early scripts, want %d", format, n, want)
		}
	}
}
