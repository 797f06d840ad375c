package banner

import (
	"strings"
	"testing"

	"github.com/charte/charte/internal/demo"
	"github.com/charte/charte/registry"
	"github.com/charte/charte/services"
)

// TestBannerServices: a site with services gets the per-service code and
// its own services' names, vendors and cookie owners, never the rest of the
// catalogue; a site without services gets neither. Sizes are logged for
// BENCHMARKS.md: the budget is the demo site's (TestBannerSizeBudget).
func TestBannerServices(t *testing.T) {
	site := demo.Site("demo")
	plain, err := Build(site, site.Revision(), "fr", Options{APIBase: "https://charte.example"})
	if err != nil {
		t.Fatal(err)
	}
	withSvc := *site
	withSvc.Services = []registry.Service{{ID: "youtube"}, {ID: "criteo"}}
	withSvc.Cookies = nil // the demo's hand-declared YouTube cookie would double the recipe's
	for _, c := range site.Cookies {
		if c.Category != "marketing" {
			withSvc.Cookies = append(withSvc.Cookies, c)
		}
	}
	expanded, err := services.Builtin().Expand(&withSvc)
	if err != nil {
		t.Fatal(err)
	}
	body, err := Build(expanded, expanded.Revision(), "fr", Options{APIBase: "https://charte.example"})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("demo site in French: %d bytes gzipped; with services youtube and criteo: %d bytes gzipped", gzipped(t, plain), gzipped(t, body))
	s := string(body)
	for _, want := range []string{`["youtube","YouTube","Google Ireland Limited"]`, `["criteo","Criteo","Criteo SA"]`, `"VISITOR_INFO1_LIVE"`, `"youtube"]`, "data-s"} {
		if !strings.Contains(s, want) {
			t.Errorf("the script of a site with services lacks %s", want)
		}
	}
	// Its dialog has a switch per service, under their heading.
	more, err := Details(expanded, expanded.Revision(), "fr", Options{APIBase: "https://charte.example"})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`<ul aria-label="Services de cette catégorie">`, `data-s="youtube" data-c="marketing"> YouTube — Google Ireland Limited`} {
		if !strings.Contains(dialogOf(t, more), want) {
			t.Errorf("the dialog of a site with services lacks %s", want)
		}
	}
	// With Consent Mode on, a signal lists the services that read it.
	expanded.ConsentMode = &registry.ConsentMode{Enabled: true}
	cm, err := Build(expanded, expanded.Revision(), "fr", Options{APIBase: "https://charte.example"})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(cm), `"y":{"ad_personalization":["youtube"],"ad_storage":["youtube"],"ad_user_data":["youtube"]}`) {
		t.Errorf("the Consent Mode readers are missing from %s", cm[:min(len(cm), 400)])
	}
	for _, other := range []string{"Dailymotion", "Matomo (exemptée)", "Hotjar"} {
		if strings.Contains(s, other) {
			t.Errorf("the script carries %q, a recipe the site does not use", other)
		}
	}
	for _, code := range []string{"data-s", `"U":`, "sgranted", "youtube"} {
		if strings.Contains(string(plain), code) {
			t.Errorf("the script of a site without services carries %q", code)
		}
	}
}
