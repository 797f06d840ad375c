package scan

import (
	"os"
	"strings"
	"testing"
)

// realCookieDB loads the Open Cookie Database from the shared data folder,
// never from the repository, which must not carry it.
func realCookieDB(t testing.TB) *CookieDB {
	t.Helper()
	f, err := os.Open("../../../shared/data/open-cookie-database.csv")
	if err != nil {
		t.Skipf("Open Cookie Database not found (%v): it lives in shared/data, beside the repository", err)
	}
	defer f.Close()
	db, err := LoadCookieDB(f)
	if err != nil {
		t.Fatal(err)
	}
	return db
}

func TestCookieDBTraps(t *testing.T) {
	db := realCookieDB(t)
	if n := db.Len(); n < 2000 {
		t.Errorf("read %d usable entries, want the ~2,200 of the January 2026 snapshot", n)
	}
	tests := []struct {
		name, domain    string
		found           bool
		platform, categ string
	}{
		// sessionid is listed as Instagram's: only on instagram.com.
		{"sessionid", "opendata.pau.fr", false, "", ""},
		{"sessionid", ".instagram.com", true, "Instagram", catMarketing},
		// csrftoken is absent.
		{"csrftoken", "opendata.pau.fr", false, "", ""},
		// Two-letter wildcard prefixes match nothing, even on their domain.
		{"SRabc", "adform.net", false, "", ""},
		{"CTfoo", "example.org", false, "", ""},
		{"SR", "adform.net", false, "", ""},
		// A domain-bound name only on its domain, subdomains included.
		{"IDE", ".doubleclick.net", true, "DoubleClick/Google Marketing", catMarketing},
		{"IDE", "example.org", false, "", ""},
		{"fr", "www.facebook.com", true, "Facebook", catMarketing},
		{"fr", "example.fr", false, "", ""},
		// A name without a domain in the database fits any domain.
		{"_ga", "example.org", true, "Google Analytics", catStatistics},
		// A wildcard of three characters or more is a prefix.
		{"_ga_ABC123", "example.org", true, "Google Analytics", catStatistics},
		// "Functional" is the database's word for necessary.
		{"PHPSESSID", "example.org", true, "PHP.net", catNecessary},
	}
	for _, tt := range tests {
		e, ok := db.Lookup(tt.name, tt.domain)
		if ok != tt.found || (ok && (e.Platform != tt.platform || e.Category != tt.categ)) {
			t.Errorf("Lookup(%q, %q) = %+v, %v; want found=%v platform %q category %q", tt.name, tt.domain, e, ok, tt.found, tt.platform, tt.categ)
		}
	}
}

func TestClassifyOrder(t *testing.T) {
	site := fixtureRegistry(t)
	db := realCookieDB(t)
	tests := []struct {
		name, domain string
		c            Classifier
		source       string
		vendor, cat  string
		needsConsent bool
	}{
		// The registry wins over every list: the operator's sessionid is not
		// Instagram's nor Django's.
		{"sessionid", "127.0.0.1", Classifier{Site: site, DB: db}, SourceRegistry, "Fixture", "necessary", false},
		{"_pk_ses.1.f1x", "127.0.0.1", Classifier{Site: site}, SourceRegistry, "Matomo", "statistics", true},
		// Without a registry, the built-in list comes before the database.
		{"sessionid", "example.org", Classifier{DB: db}, SourceBuiltin, "Django", "necessary", false},
		{"_hjSessionUser_123", "example.org", Classifier{}, SourceBuiltin, "Hotjar", "statistics", true},
		{"_gat_UA-1", "example.org", Classifier{}, SourceBuiltin, "Google Analytics", "statistics", true},
		{"axeptio_cookies", "example.org", Classifier{}, SourceBuiltin, "Axeptio", "necessary", false},
		// Domain-bound built-in names do not claim other sites' cookies.
		{"PREF", ".youtube.com", Classifier{}, SourceBuiltin, "YouTube (Google)", "marketing", true},
		{"PREF", "example.org", Classifier{}, SourceUnknown, "", "", true},
		// The database fills the long tail.
		{"__utma", "example.org", Classifier{DB: db}, SourceCookieDB, "Google Analytics", "statistics", true},
		{"AMCV_0123%40AdobeOrg", "example.org", Classifier{DB: db}, SourceService, "Adobe", "statistics", true},
		// The service catalogue comes before the database, and names the
		// recipe.
		{"_uetsid", ".bing.com", Classifier{DB: db}, SourceService, "Microsoft", "marketing", true},
		{"VISITOR_INFO1_LIVE", "example.org", Classifier{DB: db}, SourceUnknown, "", "", true},
		// Nothing knows it: it needs consent, the safe answer.
		{"zz_mystery", "example.org", Classifier{DB: db}, SourceUnknown, "", "", true},
	}
	for _, tt := range tests {
		got := tt.c.Classify(tt.name, tt.domain)
		if tt.source == SourceService && got.Service == "" {
			t.Errorf("Classify(%q) names no recipe: %+v", tt.name, got)
		}
		if got.Source != tt.source || !strings.HasPrefix(got.Vendor, tt.vendor) || got.Category != tt.cat || got.NeedsConsent != tt.needsConsent {
			t.Errorf("Classify(%q, %q) = %+v; want %s %q %q needsConsent=%v", tt.name, tt.domain, got, tt.source, tt.vendor, tt.cat, tt.needsConsent)
		}
	}
}

// A site declaring anonymous statistics keeps its exemption for built-in
// statistics cookies it has not declared yet.
func TestClassifySiteExemptStatistics(t *testing.T) {
	site := fixtureRegistry(t)
	site.Categories[1].Exempt, site.Categories[1].AnonymousStatistics = true, true
	if c := (Classifier{Site: site}).Classify("_pk_ref.1.x", "127.0.0.1"); c.NeedsConsent {
		t.Errorf("declared-exempt statistics: %+v needs consent", c)
	}
	if c := (Classifier{}).Classify("_pk_ref.1.x", "127.0.0.1"); !c.NeedsConsent {
		t.Errorf("without a registry, statistics need consent: %+v", c)
	}
}

func TestLoadCookieDBFormat(t *testing.T) {
	csv := "\ufeffWildcard match,Cookie / Data Key name,Domain,Category,Platform\n" +
		"0,bingid,\".bing.com (3rd party) or .microsoft.com (3rd party)\",Marketing,Bing\n" +
		"1,sp_,various,Analytics,Shop\n" +
		"1,XY,,Marketing,Short\n" +
		"0,,x.com,Marketing,Nameless\n" +
		"0,\"odd\"quote,,Personalization,Odd\n"
	db, err := LoadCookieDB(strings.NewReader(csv))
	if err != nil {
		t.Fatal(err)
	}
	if db.Len() != 3 {
		t.Errorf("Len = %d, want 3 (the short wildcard and the nameless row dropped)", db.Len())
	}
	for _, tt := range []struct {
		name, domain, platform string
	}{
		{"bingid", "www.microsoft.com", "Bing"},
		{"bingid", "bing.com", "Bing"},
		{"bingid", "example.org", ""},
		{"sp_abc", "shop.example", "Shop"},
		{"XYZ", "a.example", ""},
	} {
		e, _ := db.Lookup(tt.name, tt.domain)
		if e.Platform != tt.platform {
			t.Errorf("Lookup(%q, %q) = %q, want %q", tt.name, tt.domain, e.Platform, tt.platform)
		}
	}
	if _, err := LoadCookieDB(strings.NewReader("a,b\n1,2\n")); err == nil || !strings.Contains(err.Error(), "Cookie / Data Key name") {
		t.Errorf("a CSV without the name column: err = %v", err)
	}
}

// FuzzLoadCookieDB: any input either fails cleanly or gives a database in
// which every exact, domain-free name finds itself.
func FuzzLoadCookieDB(f *testing.F) {
	f.Add("ID,Platform,Category,Cookie / Data Key name,Domain,Wildcard match\n1,P,Analytics,_x,,0\n")
	f.Add("Cookie / Data Key name,Domain,Wildcard match\nabc,\"a.com (3rd party) or b.org\",1\n")
	f.Add("Cookie / Data Key name\n\"unterminated\n")
	f.Fuzz(func(t *testing.T, data string) {
		db, err := LoadCookieDB(strings.NewReader(data))
		if err != nil {
			return
		}
		for name, es := range db.exact {
			for _, e := range es {
				if len(e.Domains) == 0 {
					if _, ok := db.Lookup(name, "fuzz.example"); !ok {
						t.Fatalf("entry %q not found by its own name", name)
					}
				}
			}
		}
		for _, e := range db.prefixes {
			if len(e.Name) < minPrefix {
				t.Fatalf("prefix %q shorter than %d kept", e.Name, minPrefix)
			}
		}
	})
}
