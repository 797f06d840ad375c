package scan

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestScanRecognisesServices scans a page embedding a YouTube player and
// the Google Tag Manager snippet: the scan names both recipes, in the pass
// and in each third-party host finding. The requests need not succeed
// (tests run offline): the browser's attempt is what the page does.
func TestScanRecognisesServices(t *testing.T) {
	needChromium(t)
	site := listenOn(t, "127.0.0.1:0", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/" {
			http.NotFound(w, r)
			return
		}
		fmt.Fprint(w, `<!doctype html><html lang="en"><title>Town hall</title>
<h1>Town hall</h1>
<iframe title="Video" width="320" height="180" src="https://www.youtube.com/embed/dQw4w9WgXcQ"></iframe>
<script>(function(w,d,s,l,i){w[l]=w[l]||[];w[l].push({'gtm.start':new Date().getTime(),event:'gtm.js'});
var f=d.getElementsByTagName(s)[0],j=d.createElement(s);j.async=true;j.src='https://www.googletagmanager.com/gtm.js?id='+i;
f.parentNode.insertBefore(j,f);})(window,document,'script','dataLayer','GTM-TEST123');</script>`)
	}))
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	r, err := Run(ctx, Options{URL: site.URL, Pages: 1, Settle: 300 * time.Millisecond, LoadTimeout: 20 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, d := range r.Pass(PassArrival).Services {
		ids = append(ids, d.ID)
		if d.Requests < 1 || d.URL == "" {
			t.Errorf("detected %+v without evidence", d)
		}
	}
	for _, want := range []string{"youtube", "google-tag-manager"} {
		if !slices.Contains(ids, want) {
			t.Errorf("arrival pass recognised %v, want %s among them", ids, want)
		}
	}
	named := map[string]string{}
	for _, f := range r.Findings {
		if f.Kind == KindThirdParty {
			named[f.Domain] = f.Service
		}
	}
	for host, want := range map[string]string{"www.youtube.com": "youtube", "www.googletagmanager.com": "google-tag-manager"} {
		if named[host] != want {
			t.Errorf("third-party finding for %s names %q, want %q (findings: %v)", host, named[host], want, named)
		}
	}
	var text strings.Builder
	if err := Render(&text, r, "text", "fr"); err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{"Service reconnu : YouTube (charte services show youtube)", "Google Tag Manager (google-tag-manager)", "Services reconnus"} {
		if !strings.Contains(text.String(), w) {
			t.Errorf("French report lacks %q", w)
		}
	}
	// The draft declares both by their recipes.
	d := Draft(r, nil)
	if got := serviceIDs(d); !slices.Contains(got, "youtube") || !slices.Contains(got, "google-tag-manager") {
		t.Errorf("draft services %v, want youtube and google-tag-manager", got)
	}
}

// A host one of the registry's services uses is declared by the service:
// YouTube's thumbnail host is no undeclared third party on a site naming
// youtube; a host no service names still is, with the recipe that fits.
func TestHostsDeclaredByServices(t *testing.T) {
	site := fixtureRegistry(t)
	site.Services = append(site.Services, registryService("youtube"))
	r := &Report{Passes: []Pass{{Name: PassArrival, Hosts: []ContactHost{{Host: "i.ytimg.com", Requests: 2}, {Host: "player.vimeo.com", Requests: 1}}}}}
	Evaluate(r, site)
	var got []string
	for _, f := range r.Findings {
		if f.Kind == KindThirdParty {
			got = append(got, f.Domain+"="+f.Service)
		}
	}
	if !slices.Equal(got, []string{"player.vimeo.com=vimeo"}) {
		t.Errorf("third-party findings %v, want only player.vimeo.com=vimeo", got)
	}
}

// A storage key a recipe declares names its service, and classifies a key
// nothing else knew.
func TestStorageService(t *testing.T) {
	cl := Classifier{}
	c := storageService(cl, cl.Classify("yt-remote-device-id", "www.youtube.com"), "yt-remote-device-id")
	if c.Service != "youtube" || c.Source != SourceService || !c.NeedsConsent || c.Known != "yt-remote-device-id" || c.Purpose["fr"] == "" {
		t.Errorf("yt-remote-device-id classified %+v", c)
	}
	if c := storageService(cl, cl.Classify("theme", "www.ville.fr"), "theme"); c.Service != "" || c.Source != SourceUnknown {
		t.Errorf("an unknown key classified %+v", c)
	}
}
