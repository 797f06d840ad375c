package demo

import "testing"

func TestSitesAreValid(t *testing.T) {
	sites, err := Sites()
	if err != nil {
		t.Fatal(err)
	}
	if len(sites) != 2 || sites[0].ID != "opendata-pau" || sites[1].ID != "demo" {
		t.Fatalf("got %d sites", len(sites))
	}
	for _, s := range sites {
		if w := s.Validate().Warnings(); len(w) != 0 {
			t.Errorf("%s: unexpected warnings %v", s.ID, w)
		}
	}
	if got := sites[0].ConsentCategories(); len(got) != 0 {
		t.Errorf("opendata-pau asks about %v, want nothing", got)
	}
	if got := sites[1].ConsentCategories(); len(got) != 2 {
		t.Errorf("demo asks about %v, want statistics and marketing", got)
	}
}

func TestSite(t *testing.T) {
	if s := Site("opendata-pau"); s.ID != "opendata-pau" || len(s.Cookies) != 4 {
		t.Fatalf("Site(opendata-pau) = %s with %d cookies", s.ID, len(s.Cookies))
	}
	// Each call is a fresh copy: a test editing one cannot change another's.
	Site("demo").Cookies[0].Name = "changed"
	if Site("demo").Cookies[0].Name == "changed" {
		t.Error("Site returns a shared registry")
	}
	defer func() {
		if recover() == nil {
			t.Error("Site of an unknown id did not panic")
		}
	}()
	Site("nope")
}
