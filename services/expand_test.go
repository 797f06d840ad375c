package services

import (
	"reflect"
	"strings"
	"testing"

	"github.com/charte/charte/registry"
)

func siteWith(anonymous bool, svcs ...registry.Service) *registry.Site {
	stats := registry.Category{ID: "statistics", Name: registry.Text{"fr": "Statistiques", "en": "Statistics"}}
	if anonymous {
		stats.Exempt, stats.AnonymousStatistics = true, true
	}
	return &registry.Site{
		ID: "ville", Name: "Ville", DefaultLanguage: "fr", Languages: []string{"fr", "en"},
		Categories: []registry.Category{
			{ID: "necessary", Name: registry.Text{"fr": "Nécessaires"}, Exempt: true}, stats,
			{ID: "marketing", Name: registry.Text{"fr": "Marketing"}},
		},
		Cookies: []registry.Cookie{{Name: "sessionid", Provider: "Ville", Purpose: registry.Text{"fr": "Session"},
			Category: "necessary", Lifetime: "2 weeks", Party: registry.FirstParty}},
		Services: svcs,
	}
}

func TestExpand(t *testing.T) {
	c := Builtin()
	site := siteWith(true, registry.Service{ID: "youtube"}, registry.Service{ID: "matomo-exempt"})
	got, err := c.Expand(site)
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]registry.Cookie{}
	for _, k := range got.Cookies {
		byName[k.Name] = k
	}
	for name, want := range map[string][3]string{ // service, category, provider
		"sessionid":          {"", "necessary", "Ville"},
		"VISITOR_INFO1_LIVE": {"youtube", "marketing", "Google Ireland Limited"},
		"YSC":                {"youtube", "marketing", "Google Ireland Limited"},
		"_pk_id*":            {"matomo-exempt", "statistics", "InnoCraft Ltd (Matomo)"},
	} {
		k, ok := byName[name]
		if !ok || k.ServiceID != want[0] || k.Category != want[1] || k.Provider != want[2] {
			t.Errorf("cookie %s = %+v, want service %q, category %q, provider %q", name, k, want[0], want[1], want[2])
		}
	}
	if _, ok := byName["_pk_ref*"]; ok {
		t.Error("matomo-exempt declares _pk_ref, which its conditions turn off")
	}
	yt, _ := got.Service("youtube")
	mx, _ := got.Service("matomo-exempt")
	if yt.Vendor != "Google Ireland Limited" || yt.Country != "IE" || yt.Version != 1 || yt.PrivacyPolicy == "" || yt.Category != "marketing" {
		t.Errorf("youtube expanded as %+v", yt)
	}
	if !strings.Contains(mx.Exemption["fr"], "25 mois") || !strings.Contains(mx.Exemption["en"], "25 months") {
		t.Errorf("matomo-exempt carries no conditions: %+v", mx.Exemption)
	}
	if len(site.Cookies) != 1 || site.Services[0].Version != 0 {
		t.Error("Expand modified its argument")
	}
	// Expanding again replaces the cookies rather than doubling them.
	again, err := c.Expand(got)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(again, got) || again.Revision() != got.Revision() {
		t.Errorf("expanding twice changed the site: %d cookies, then %d", len(got.Cookies), len(again.Cookies))
	}
	if got.Revision() == site.Revision() {
		t.Error("the expanded site has the draft's revision")
	}
}

func TestExpandOverrides(t *testing.T) {
	extra := registry.Cookie{Name: "yt_consent_seen", Purpose: registry.Text{"fr": "Retenir l'affichage", "en": "Remember the display"},
		Lifetime: "1 month", Party: registry.FirstParty}
	site := siteWith(false, registry.Service{ID: "youtube", Category: "statistics", Lifetime: "3 months", Cookies: []registry.Cookie{extra}})
	got, err := Builtin().Expand(site)
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range got.Cookies {
		if k.ServiceID != "youtube" {
			continue
		}
		if k.Category != "statistics" {
			t.Errorf("%s in %q, want the override statistics", k.Name, k.Category)
		}
		if k.Lifetime.Exceeds("3 months") {
			t.Errorf("%s lives %s, over the override 3 months", k.Name, k.Lifetime)
		}
		if k.Name == "YSC" && k.Lifetime != registry.Session {
			t.Errorf("the cap changed a session cookie to %s", k.Lifetime)
		}
		if k.Name == "yt_consent_seen" && (k.Provider != "Google Ireland Limited" || k.Service["en"] != "YouTube") {
			t.Errorf("extra cookie not completed from the recipe: %+v", k)
		}
	}
}

func TestExpandRefuses(t *testing.T) {
	tests := []struct {
		name      string
		anonymous bool
		svc       registry.Service
		field     string
		want      string
	}{
		{"unknown recipe", false, registry.Service{ID: "myspace"}, "services[0].id", "unknown service"},
		{"exempt variant needing an exempt category", false, registry.Service{ID: "matomo-exempt"}, "services[0].category", "use matomo instead"},
		{"consent-needing service in an exempt category", true, registry.Service{ID: "google-analytics"}, "services[0].category", "needs the visitor's consent"},
		{"category the site lacks", false, registry.Service{ID: "youtube", Category: "preferences"}, "services[0].category", "does not declare"},
		{"default category the site lacks", false, registry.Service{ID: "openstreetmap"}, "services[0].category", `"preferences"`},
	}
	for _, tt := range tests {
		_, err := Builtin().Expand(siteWith(tt.anonymous, tt.svc))
		var ve *registry.ValidationError
		if err == nil || !asValidation(err, &ve) || ve.Problems[0].Field != tt.field || !strings.Contains(ve.Problems[0].Message, tt.want) {
			t.Errorf("%s: err = %v, want a problem at %s mentioning %q", tt.name, err, tt.field, tt.want)
		}
	}
	// A service whose cookie the site already declares by hand is refused
	// by the registry's duplicate rule rather than declared twice.
	s := siteWith(false, registry.Service{ID: "google-analytics"})
	s.Cookies = append(s.Cookies, registry.Cookie{Name: "_ga", Provider: "Google", Purpose: registry.Text{"fr": "Mesure"}, Category: "statistics", Lifetime: "13 months", Party: registry.FirstParty})
	if _, err := Builtin().Expand(s); err == nil || !strings.Contains(err.Error(), `"_ga"`) {
		t.Errorf("a hand-declared _ga beside google-analytics: err = %v", err)
	}
}

func asValidation(err error, ve **registry.ValidationError) bool {
	v, ok := err.(*registry.ValidationError)
	*ve = v
	return ok && len(v.Problems) > 0
}

func TestOutdated(t *testing.T) {
	got, err := Builtin().Expand(siteWith(false, registry.Service{ID: "youtube"}))
	if err != nil {
		t.Fatal(err)
	}
	if o := Builtin().Outdated(got); len(o) != 0 {
		t.Errorf("a fresh expansion is outdated: %v", o)
	}
	got.Services[0].Version = 0
	if o := Builtin().Outdated(got); len(o) != 0 {
		t.Errorf("an unexpanded service counts as outdated: %v", o)
	}
	// A recipe newer than the published version is reported.
	c := Builtin()
	r, _ := c.Get("youtube")
	old := *r
	old.Version = r.Version + 1
	c2 := &Catalogue{byID: map[string]*Recipe{"youtube": &old}}
	got.Services[0].Version = r.Version
	if o := c2.Outdated(got); len(o) != 1 || o[0].ID != "youtube" {
		t.Errorf("Outdated with a newer recipe = %v, want youtube", o)
	}
}
