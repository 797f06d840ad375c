package main

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestServicesCommand(t *testing.T) {
	tests := []struct {
		args []string
		code int
		want []string // in stdout (code 0) or stderr
	}{
		{[]string{"services", "list"}, 0, []string{"youtube ", "marketing", "Google Ireland Limited (IE)", "matomo-exempt", "recipes"}},
		{[]string{"services", "list", "--category", "statistics"}, 0, []string{"matomo ", "google-analytics"}},
		{[]string{"services", "show", "youtube"}, 0, []string{"YouTube (youtube), version 1", "VISITOR_INFO1_LIVE", "youtube.com", "6 months", "*.youtube.com/embed/", "https://policies.google.com/privacy"}},
		{[]string{"services", "show", "youtube", "--lang", "fr"}, 0, []string{"Éditeur :", "Irlande", "6 mois", "FINALITÉ"}},
		{[]string{"services", "show", "--lang", "fr", "matomo-exempt"}, 0, []string{"Variante exemptée de matomo", "25 mois", "_pk_id*"}},
		{[]string{"services", "show", "nope"}, 1, []string{`no recipe "nope"`}},
		{[]string{"services"}, 2, []string{"want one of: list, show"}},
		{[]string{"services", "show"}, 2, []string{"want a recipe id"}},
		{[]string{"services", "list", "--category", "ads"}, 2, []string{`--category "ads"`}},
		{[]string{"services", "list", "--format", "xml"}, 2, []string{`--format "xml"`}},
		{[]string{"services", "list", "stray"}, 2, []string{`unexpected argument "stray"`}},
		{[]string{"services", "-h"}, 0, []string{"list [--category C]"}},
	}
	for _, tt := range tests {
		code, out, errOut := charte(t, "", nil, tt.args...)
		if code != tt.code {
			t.Errorf("%v: exit %d, want %d (stderr %q)", tt.args, code, tt.code, errOut)
			continue
		}
		for _, w := range tt.want {
			if !strings.Contains(out+errOut, w) {
				t.Errorf("%v: output lacks %q:\n%s%s", tt.args, w, out, errOut)
			}
		}
	}
}

func TestServicesListJSON(t *testing.T) {
	code, out, errOut := charte(t, "", nil, "services", "list", "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var list []struct {
		ID     string `json:"id"`
		Vendor struct {
			Name          string `json:"name"`
			PrivacyPolicy string `json:"privacy_policy"`
		} `json:"vendor"`
		URLs []struct{ Pattern string } `json:"urls"`
	}
	if err := json.Unmarshal([]byte(out), &list); err != nil {
		t.Fatal(err)
	}
	if len(list) < 150 {
		t.Errorf("%d recipes listed, want at least 150", len(list))
	}
	for _, r := range list {
		if r.ID == "" || r.Vendor.Name == "" || r.Vendor.PrivacyPolicy == "" || len(r.URLs) == 0 {
			t.Errorf("incomplete recipe in the JSON list: %+v", r)
		}
	}
}

// The example through the commands: a registry naming youtube and
// matomo-exempt imports, publishes, and its charter shows both with their
// cookies; a registry naming an unknown service is refused, saving nothing.
func TestServicesImportAndCharter(t *testing.T) {
	db := tempDB(t)
	charte(t, "", nil, "db", "--db", db, "migrate")
	reg := `id: ville
name: Ville de Pau
default_language: fr
languages: [fr, en]
categories:
  - {id: necessary, name: {fr: Nécessaires, en: Necessary}, exempt: true}
  - {id: statistics, name: {fr: Statistiques, en: Statistics}, exempt: true, anonymous_statistics: true}
  - {id: marketing, name: {fr: Marketing, en: Marketing}}
cookies: []
services: [youtube, matomo-exempt]
`
	code, out, errOut := charte(t, strings.Replace(reg, "matomo-exempt]", "myspace]", 1), nil, "site", "import", "--db", db, "-")
	if code != 1 || !strings.Contains(errOut, `services[1].id: unknown service "myspace"`) {
		t.Errorf("import naming myspace: exit %d, %q %q", code, out, errOut)
	}
	if code, out, _ := charte(t, "", nil, "site", "list", "--db", db); code != 0 || strings.Contains(out, "ville") {
		t.Errorf("a refused import saved the site: %s", out)
	}
	if code, out, errOut := charte(t, reg, nil, "site", "import", "--db", db, "-"); code != 0 || !strings.Contains(out, "imported ville, published revision") {
		t.Fatalf("import: exit %d, %q %q", code, out, errOut)
	}
	code, md, errOut := charte(t, "", nil, "charter", "--db", db, "--site", "ville", "--lang", "en", "--format", "md")
	for _, want := range []string{"**YouTube**", "Vendor: Google Ireland Limited (Ireland)", "`VISITOR_INFO1_LIVE` (domain youtube.com)",
		"**Matomo (exempt)**", "Vendor: InnoCraft Ltd (Matomo) (New Zealand)", "`_pk_id`…", "25 months"} {
		if code != 0 || !strings.Contains(md, want) {
			t.Errorf("charter (exit %d, %s) lacks %q", code, errOut, want)
		}
	}
}
