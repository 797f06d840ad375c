package registry

import (
	"strings"
	"testing"
)

const servicesYAML = `id: ville
name: Ville
default_language: fr
languages: [fr, en]
categories:
  - {id: necessary, name: {fr: Nécessaires}, exempt: true}
  - {id: marketing, name: {fr: Marketing}}
cookies: []
services:
  - youtube
  - id: vimeo
    category: marketing
    lifetime: 6 months
    cookies:
      - {name: vimeo_seen, lifetime: 1 month, party: first, purpose: {fr: Vu, en: Seen}}
`

func TestLoadServices(t *testing.T) {
	s, _, err := Load(strings.NewReader(servicesYAML))
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Services) != 2 || s.Services[0].ID != "youtube" || s.Services[1].Lifetime != "6 months" || s.Services[1].Cookies[0].Name != "vimeo_seen" {
		t.Fatalf("services read as %+v", s.Services)
	}
	// The JSON form takes ids and objects too, and round-trips.
	j, _, err := Load(strings.NewReader(`{"id":"ville","name":"Ville","default_language":"fr","languages":["fr"],
		"categories":[{"id":"necessary","name":{"fr":"N"},"exempt":true}],"cookies":[],"services":["youtube",{"id":"matomo","category":"necessary"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	if len(j.Services) != 2 || j.Services[1].Category != "necessary" {
		t.Fatalf("JSON services read as %+v", j.Services)
	}
	var b strings.Builder
	if err := EncodeYAML(&b, s); err != nil {
		t.Fatal(err)
	}
	back, _, err := Load(strings.NewReader(b.String()))
	if err != nil || back.Revision() != s.Revision() {
		t.Fatalf("YAML round trip: %v, revision %s then %s", err, s.Revision(), back.Revision())
	}
}

func TestLoadServicesRefuses(t *testing.T) {
	tests := []struct{ from, to, want string }{
		{"  - youtube\n", "  - YouTube!\n", "services[0].id"},
		{"  - youtube\n", "  - vimeo\n", "already listed"},
		{"    category: marketing\n", "    category: ads\n", "services[1].category"},
		{"    lifetime: 6 months\n", "    lifetime: forever\n", "services[1].lifetime"},
		{"name: vimeo_seen", "name: vimeo seen", "services[1].cookies[0].name"},
		{"    lifetime: 6 months\n", "    lifetme: 6 months\n", "field lifetme not found"},
		{"  - youtube\n", "  - [youtube]\n", "a service is an id"},
	}
	for _, tt := range tests {
		bad := strings.Replace(servicesYAML, tt.from, tt.to, 1)
		if bad == servicesYAML {
			t.Fatalf("edit %q not applied", tt.from)
		}
		_, _, err := Load(strings.NewReader(bad))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("with %q: err = %v, want one mentioning %q", tt.to, err, tt.want)
		}
	}
}
