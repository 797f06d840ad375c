package scan

import (
	"bytes"
	"slices"
	"testing"

	"github.com/charte/charte/registry"
	"github.com/charte/charte/services"
)

func serviceIDs(s *registry.Site) []string {
	var ids []string
	for _, sv := range s.Services {
		ids = append(ids, sv.ID)
	}
	return ids
}

func TestDraft(t *testing.T) {
	cl := Classifier{}
	seen := func(name, domain string, third bool, days int64) Cookie {
		return Cookie{Name: name, Domain: domain, ThirdParty: third, LifetimeSeconds: days * day, Class: cl.Classify(name, domain)}
	}
	r := &Report{URL: "https://opendata.pau.fr/explore", Passes: []Pass{
		{Name: PassArrival, Cookies: []Cookie{seen("sessionid", "opendata.pau.fr", false, 14), seen("zz_mystery", "opendata.pau.fr", false, 0)}},
		{Name: PassAccept, Cookies: []Cookie{seen("_pk_id.1.abcd", "opendata.pau.fr", false, 395), seen("_pk_id.2.ef", "opendata.pau.fr", false, 396),
			seen("YSC", ".youtube.com", true, 0)}},
	}}
	d := Draft(r, nil)
	if err := d.Validate().Err(); err != nil {
		t.Fatalf("the draft must import once completed, and already validates: %v", err)
	}
	if d.ID != "opendata-pau-fr" || d.URL != "https://opendata.pau.fr" {
		t.Errorf("site %q %q", d.ID, d.URL)
	}
	// Matomo's and YouTube's cookies are left to their recipes.
	want := map[string]string{
		"sessionid":  "necessary 2 weeks first ",
		"zz_mystery": "unclassified session first ",
	}
	if got := serviceIDs(d); !slices.Equal(got, []string{"matomo", "youtube"}) {
		t.Errorf("draft services %v, want [matomo youtube]", got)
	}
	if _, err := services.Builtin().Expand(d); err != nil {
		t.Errorf("the draft does not expand: %v", err)
	}
	if len(d.Cookies) != len(want) {
		t.Errorf("draft cookies %+v, want %d", d.Cookies, len(want))
	}
	for _, c := range d.Cookies {
		if got := c.Category + " " + string(c.Lifetime) + " " + string(c.Party) + " " + c.Domain; got != want[c.Name] {
			t.Errorf("%s: %q, want %q", c.Name, got, want[c.Name])
		}
	}
	var buf bytes.Buffer
	if err := registry.EncodeYAML(&buf, d); err != nil {
		t.Fatal(err)
	}
	if _, _, err := registry.Load(&buf); err != nil {
		t.Errorf("the YAML draft does not load back: %v", err)
	}

	// With a registry, the draft keeps it and adds what it lacks: here
	// zz_mystery, and YouTube as a service; Matomo stays as the registry's
	// hand-written _pk_* cookies, which its recipe would declare twice.
	base := fixtureRegistry(t)
	d = Draft(r, base)
	if len(d.Cookies) != len(base.Cookies)+1 || d.ID != "fixture" || !slices.Equal(serviceIDs(d), []string{"youtube"}) {
		t.Errorf("draft from a registry: %d cookies, services %v, id %q", len(d.Cookies), serviceIDs(d), d.ID)
	}
	if len(base.Cookies) != 10 {
		t.Error("Draft changed the registry it started from")
	}
}

func registryService(id string) registry.Service { return registry.Service{ID: id} }
