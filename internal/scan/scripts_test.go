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

// TestScanFlagsScriptsBeforeConsent scans, in real Chromium, pages of a site
// whose banner blocks its services (blocking: observe), the banner built by
// charte itself: what the page adds after the banner tag is held and not
// reported; gtag.js or the GTM snippet written before the tag ran before
// the banner, and is reported as such on arrival and after a refusal; on a
// site without blocking, gtag.js after the tag ran too, with the other
// advice. Vendor requests need not succeed (tests run offline).
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

	const tag = `<script src="/sites/demo/banner.js"></script>`
	gtag := `<script async src="` + gtagURL + `"></script>`
	gtm := `<script>` + gtmSnippet + `</script>`
	tests := []struct {
		name string
		site *registry.Site
		head string
		want []string // service, URL, before the banner, as "id url before"
	}{
		{"banner first", site, tag + gtag + gtm, nil},
		{"gtag.js before the banner", site, gtag + tag + gtm, []string{"google-analytics " + gtagURL + " true"}},
		// The snippet ran, and so did the gtm.js it inserted before itself.
		{"GTM snippet before the banner", site, gtm + tag + gtag, []string{"google-tag-manager  true",
			"google-tag-manager https://www.googletagmanager.com/gtm.js?id=GTM-TEST true"}},
		{"no blocking, gtag.js after the banner", &noBlocking, tag + gtag, []string{"google-analytics " + gtagURL + " false"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var script []byte
			srv := listenOn(t, "127.0.0.1:0", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				switch r.URL.Path {
				case "/":
					fmt.Fprintf(w, `<!doctype html><html lang="fr"><head><meta charset="utf-8">%s<title>Mairie</title></head>
<body><h1>Mairie</h1><iframe title="Vidéo" src="https://www.youtube.com/embed/abc"></iframe></body></html>`, tt.head)
				case "/sites/demo/banner.js":
					w.Header().Set("Content-Type", "text/javascript")
					w.Write(script)
				case "/api/v1/sites/demo/consents":
					w.WriteHeader(http.StatusCreated)
				default:
					http.NotFound(w, r)
				}
			}))
			script, err = banner.Build(tt.site, tt.site.Revision(), "fr", banner.Options{APIBase: srv.URL})
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
			defer cancel()
			r, err := Run(ctx, Options{URL: srv.URL, Site: tt.site, Pages: 1, Settle: 300 * time.Millisecond, LoadTimeout: 20 * time.Second})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, f := range r.Findings {
				if f.Kind != KindEarlyScript {
					continue
				}
				got = append(got, fmt.Sprintf("%s %s %v", f.Service, f.Name, f.BeforeBanner))
				if !slices.Equal(f.Passes, []string{PassArrival, PassRefuse}) || f.Severity != SeverityHigh {
					t.Errorf("%+v: want high, on arrival and after a refusal", f)
				}
				fr := f.Message("fr")
				if want := map[bool]string{true: "Placez la balise du bandeau en premier dans <head>", false: "blocking: observe"}[f.BeforeBanner]; !strings.Contains(fr, want) {
					t.Errorf("the French message %q does not say %q", fr, want)
				}
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("early scripts %q, want %q", got, tt.want)
			}
			// The reports (the back office shows the HTML one) carry them.
			for _, format := range []string{"text", "html"} {
				var b strings.Builder
				if err := Render(&b, r, format, "fr"); err != nil {
					t.Fatal(err)
				}
				if n := strings.Count(b.String(), "requiert un consentement mais a pu s") + strings.Count(b.String(), "requiert un consentement mais s"); n != len(tt.want) {
					t.Errorf("the %s report holds %d early scripts, want %d", format, n, len(tt.want))
				}
			}
		})
	}
}
