package charter

import (
	"strings"
	"testing"

	"github.com/charte/charte/registry"
	"github.com/charte/charte/services"
)

// servicesSite is a registry naming youtube and matomo-exempt, expanded as
// publishing stores it.
func servicesSite(t *testing.T) *registry.Site {
	t.Helper()
	s := &registry.Site{
		ID: "ville", Name: "Ville", DefaultLanguage: "fr", Languages: []string{"fr", "en"},
		Categories: []registry.Category{
			{ID: "necessary", Name: registry.Text{"fr": "Nécessaires", "en": "Necessary"}, Exempt: true},
			{ID: "statistics", Name: registry.Text{"fr": "Statistiques", "en": "Statistics"}, Exempt: true, AnonymousStatistics: true},
			{ID: "marketing", Name: registry.Text{"fr": "Marketing", "en": "Marketing"}},
			{ID: "preferences", Name: registry.Text{"fr": "Préférences", "en": "Preferences"}},
		},
		Services: []registry.Service{{ID: "youtube"}, {ID: "matomo-exempt"}, {ID: "umap"}},
	}
	x, err := services.Builtin().Expand(s)
	if err != nil {
		t.Fatal(err)
	}
	return x
}

func TestCharterServices(t *testing.T) {
	site := servicesSite(t)
	tests := []struct {
		lang, format string
		want         []string
	}{
		{"fr", "html", []string{"<h4 id=\"services-marketing\">Services utilisés</h4>", "<strong>YouTube</strong>",
			"Éditeur : Google Ireland Limited (Irlande)", `<a href="https://policies.google.com/privacy" rel="noopener">Politique de confidentialité de YouTube</a>`,
			"<code>VISITOR_INFO1_LIVE</code>", "<strong>Matomo (exemptée)</strong>", "InnoCraft Ltd (Matomo) (Nouvelle-Zélande)",
			"Conditions de l'exemption de consentement :", "25 mois", "<code>_pk_id…</code>",
			// uMap sets no cookie: its category is shown for the service alone.
			"<strong>uMap</strong>", "OpenStreetMap France (association) (France)"}},
		{"en", "html", []string{"Services used", "<strong>Matomo (exempt)</strong>", "Vendor: Google Ireland Limited (Ireland)", "Privacy policy of YouTube", "25 months", "Vendor: InnoCraft Ltd (Matomo) (New Zealand)"}},
		{"fr", "md", []string{"#### Services utilisés", "- **YouTube** — Vidéos YouTube", "Éditeur : Google Ireland Limited (Irlande)",
			"[Politique de confidentialité de YouTube](<https://policies.google.com/privacy>)", "`VISITOR_INFO1_LIVE`", "**Matomo (exemptée)**", "25 mois", "**uMap**"}},
		{"en", "json", []string{`"services": [`, `"id": "youtube"`, `"vendor": "Google Ireland Limited"`, `"country": "IE"`,
			`"country_name": "Ireland"`, `"privacy_policy": "https://policies.google.com/privacy"`, `"version": 1`, `"id": "matomo-exempt"`, "25 months",
			`"name": "VISITOR_INFO1_LIVE"`}},
	}
	for _, tt := range tests {
		out := render(t, tt.format, Page{Site: site, Revision: site.Revision(), PublishedAt: published, Lang: tt.lang})
		for _, w := range tt.want {
			if !strings.Contains(out, w) {
				t.Errorf("%s/%s lacks %q", tt.lang, tt.format, w)
			}
		}
	}
	// The HTML keeps each service under its category: YouTube in marketing,
	// Matomo in statistics.
	out := render(t, "html", Page{Site: site, Revision: site.Revision(), PublishedAt: published, Lang: "fr"})
	stats, mkt := strings.Index(out, `id="cat-statistics"`), strings.Index(out, `id="cat-marketing"`)
	if yt, mx := strings.Index(out, "<strong>YouTube</strong>"), strings.Index(out, "<strong>Matomo (exemptée)</strong>"); !(stats < mx && mx < mkt && mkt < yt) {
		t.Errorf("services out of their categories: statistics@%d matomo@%d marketing@%d youtube@%d", stats, mx, mkt, yt)
	}
}

// A privacy link that is not https (a hand-edited draft) is not linked.
func TestCharterServiceLinkSafe(t *testing.T) {
	site := servicesSite(t)
	site.Services[0].PrivacyPolicy = "javascript:alert(1)"
	for _, f := range []string{"html", "md", "json"} {
		if out := render(t, f, Page{Site: site, Revision: "x", Lang: "en"}); strings.Contains(out, "javascript:") {
			t.Errorf("%s renders a javascript: link", f)
		}
	}
}
