package registry_test

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"github.com/charte/charte/internal/demo"
	"github.com/charte/charte/internal/i18n"
	"github.com/charte/charte/registry"
)

func site(t testing.TB) *registry.Site {
	t.Helper()
	sites, err := demo.Sites()
	if err != nil {
		t.Fatal(err)
	}
	return sites[1] // demo: necessary, statistics, marketing
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name     string
		edit     func(s *registry.Site)
		severity registry.Severity
		field    string
		message  string
	}{
		{"unknown category", func(s *registry.Site) { s.Cookies[0].Category = "ads" }, registry.Error, "cookies[0].category", `unknown category "ads"`},
		{"empty purpose in default language", func(s *registry.Site) { s.Cookies[1].Purpose["fr"] = " " }, registry.Error, "cookies[1].purpose.fr", "default language"},
		{"invalid cookie name", func(s *registry.Site) { s.Cookies[2].Name = "bad name;" }, registry.Error, "cookies[2].name", "RFC 6265"},
		{"star inside a name", func(s *registry.Site) { s.Cookies[2].Name = "a*b" }, registry.Error, "cookies[2].name", "RFC 6265"},
		{"duplicate name and domain", func(s *registry.Site) { s.Cookies[3].Name = "sessionid" }, registry.Error, "cookies[3].name", "already declared as cookies[0]"},
		{"long lifetime needing consent", func(s *registry.Site) { s.Cookies[4].Lifetime = "2 years" }, registry.Warning, "cookies[4].lifetime", "13 months"},
		{"exempt marketing", func(s *registry.Site) { s.Categories[2].Exempt = true }, registry.Error, "categories[2].exempt", "only \"necessary\""},
		{"exempt statistics without declaration", func(s *registry.Site) { s.Categories[1].Exempt = true }, registry.Error, "categories[1].exempt", "anonymous_statistics"},
		{"bad lifetime", func(s *registry.Site) { s.Cookies[0].Lifetime = "forever" }, registry.Error, "cookies[0].lifetime", "session"},
		{"bad party", func(s *registry.Site) { s.Cookies[0].Party = "second" }, registry.Error, "cookies[0].party", "first"},
		{"bad site id", func(s *registry.Site) { s.ID = "Demo Site" }, registry.Error, "id", "not a site id"},
		{"bad origin", func(s *registry.Site) { s.Origins = []string{"https://x.org/path"} }, registry.Error, "origins[0]", "not an origin"},
		{"choice kept too long", func(s *registry.Site) { s.ChoiceLifetime = "2 years" }, registry.Error, "choice_lifetime", "13 months"},
		{"unknown language", func(s *registry.Site) { s.Cookies[0].Purpose["tlh"] = "x" }, registry.Error, "cookies[0].purpose.tlh", "unknown language"},
		{"unknown blocking", func(s *registry.Site) { s.Blocking = "proxy" }, registry.Error, "blocking", `unknown blocking "proxy"`},
		{"blocking with no service", func(s *registry.Site) { s.Blocking, s.Services = registry.BlockingObserve, nil }, registry.Warning, "blocking", "nothing is blocked"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := site(t)
			tt.edit(s)
			var found bool
			for _, p := range s.Validate() {
				if p.Field == tt.field && p.Severity == tt.severity && strings.Contains(p.Message, tt.message) {
					found = true
				}
			}
			if !found {
				t.Errorf("want %s on %s containing %q, got %v", tt.severity, tt.field, tt.message, s.Validate())
			}
		})
	}
}

func TestExemptAnonymousStatisticsIsAllowed(t *testing.T) {
	s := site(t)
	s.Categories[1].Exempt, s.Categories[1].AnonymousStatistics = true, true
	if err := s.Validate().Err(); err != nil {
		t.Fatal(err)
	}
	if s.NeedsConsent("statistics") {
		t.Error("declared anonymous statistics still need consent")
	}
}

func TestRevision(t *testing.T) {
	base := site(t).Revision()
	if again := site(t).Revision(); again != base {
		t.Fatalf("same registry, different revisions %s %s", base, again)
	}
	visible := []func(s *registry.Site){
		func(s *registry.Site) { s.Cookies[0].Purpose["en"] += "." },
		func(s *registry.Site) { s.Cookies[0].Lifetime = "3 weeks" },
		func(s *registry.Site) { s.Categories[0].Name["fr"] = "Essentiels" },
		func(s *registry.Site) { s.Cookies = s.Cookies[1:] },
		func(s *registry.Site) { s.Banner = map[string]registry.BannerText{"fr": {Title: "Cookies"}} },
		func(s *registry.Site) { s.Categories[1].Exempt = true },
		func(s *registry.Site) { s.IgnoreGPC = true },
		func(s *registry.Site) { s.ChoiceLifetime = "3 months" },
		func(s *registry.Site) { s.ConsentMode = nil },
		func(s *registry.Site) { s.Blocking = registry.BlockingObserve },
	}
	for i, edit := range visible {
		s := site(t)
		edit(s)
		if s.Revision() == base {
			t.Errorf("visible change %d kept revision %s", i, base)
		}
	}
	s := site(t)
	s.Origins = append(s.Origins, "https://other.example")
	if s.Revision() != base {
		t.Error("changing origins, which visitors never see, changed the revision")
	}
}

func TestRoundTrip(t *testing.T) {
	for _, enc := range []struct {
		name string
		fn   func(*bytes.Buffer, *registry.Site) error
	}{
		{"yaml", func(b *bytes.Buffer, s *registry.Site) error { return registry.EncodeYAML(b, s) }},
		{"json", func(b *bytes.Buffer, s *registry.Site) error { return registry.EncodeJSON(b, s) }},
	} {
		t.Run(enc.name, func(t *testing.T) {
			var first, second bytes.Buffer
			s := site(t)
			s.Blocking = registry.BlockingObserve // kept by export and import
			if err := enc.fn(&first, s); err != nil {
				t.Fatal(err)
			}
			back, _, err := registry.Load(bytes.NewReader(first.Bytes()))
			if err != nil {
				t.Fatal(err)
			}
			if err := enc.fn(&second, back); err != nil {
				t.Fatal(err)
			}
			if first.String() != second.String() || back.Revision() != s.Revision() {
				t.Errorf("round trip changed the file:\n%s\n---\n%s", first.String(), second.String())
			}
		})
	}
}

func TestLoadRefusesHostileFiles(t *testing.T) {
	var good bytes.Buffer
	registry.EncodeYAML(&good, site(t))
	deep := strings.Repeat("[", 50) + strings.Repeat("]", 50)
	tests := []struct {
		name, file, want string
	}{
		{"empty", "", "empty"},
		{"huge", "name: " + strings.Repeat("x", registry.MaxFileSize), "larger than"},
		{"deep yaml", "categories: " + deep, "nested"},
		{"deep json", `{"categories": ` + deep + `}`, "nested"},
		{"unknown key", strings.Replace(good.String(), "name: Démo", "nmae: Démo", 1), "nmae"},
		{"wrong type", strings.Replace(good.String(), "  - fr\n  - en\n", "  - [1]\n", 1), "line 10"},
		{"alias bomb", "a: &a [x, x]\nb: &b [*a, *a]\nc: [*b, *b]\n", "aliases"},
		{"two documents", good.String() + "---\nid: x\n", "one document"},
		{"json unknown key", `{"id": "x", "evil": 1}`, "evil"},
		{"json trailing", `{"id": "x"} {}`, "after"},
		{"invalid site", strings.Replace(good.String(), "lifetime: 13 months", "lifetime: forever", 1), "line 160: cookies[4].lifetime"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := registry.Load(strings.NewReader(tt.file))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got %v, want an error containing %q", err, tt.want)
			}
		})
	}
}

func TestMatch(t *testing.T) {
	s := site(t)
	tests := []struct{ name, domain, want string }{
		{"sessionid", "", "sessionid"},
		{"_pk_id.1.abcd", "opendata.pau.fr", "_pk_id*"},
		{"_pk_ses.1.abcd", "", "_pk_ses*"},
		{"YSC", ".youtube.com", "YSC"},
		{"YSC", "www.youtube.com", "YSC"},
		{"YSC", "evil.com", ""},
		{"_pk", "", ""},
		{"unknown", "", ""},
	}
	for _, tt := range tests {
		c, ok := s.Match(tt.name, tt.domain)
		if got := c.Name; !ok && tt.want != "" || ok && got != tt.want {
			t.Errorf("Match(%q, %q) = %q, %v; want %q", tt.name, tt.domain, got, ok, tt.want)
		}
	}
}

func TestLifetime(t *testing.T) {
	tests := []struct {
		l       registry.Lifetime
		fr, en  string
		over13m bool
	}{
		{"session", "Session (supprimé à la fermeture du navigateur)", "Session (deleted when the browser closes)", false},
		{"1 week", "1 semaine", "1 week", false},
		{"52 weeks", "52 semaines", "52 weeks", false},
		{"13 months", "13 mois", "13 months", false},
		{"395 days", "395 jours", "395 days", false},
		{"14 months", "14 mois", "14 months", true},
		{"2 years", "2 ans", "2 years", true},
	}
	for _, tt := range tests {
		if got := tt.l.Localize(i18n.Lifetimes("fr")); got != tt.fr {
			t.Errorf("%s fr = %q", tt.l, got)
		}
		if got := tt.l.Localize(i18n.Lifetimes("en")); got != tt.en {
			t.Errorf("%s en = %q", tt.l, got)
		}
		if got := tt.l.Exceeds(registry.MaxLifetime); got != tt.over13m {
			t.Errorf("%s exceeds 13 months = %v", tt.l, got)
		}
	}
}

func FuzzLoad(f *testing.F) {
	var y, j bytes.Buffer
	registry.EncodeYAML(&y, site(f))
	registry.EncodeJSON(&j, site(f))
	f.Add(y.Bytes())
	f.Add(j.Bytes())
	f.Add([]byte("id: x\ncookies: [{name: a}]"))
	if b, err := os.ReadFile("../internal/demo/opendata-pau.yaml"); err == nil {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 64<<10 {
			// Oversized files are refused before parsing (TestLoadRefusesHostileFiles);
			// large inputs here only slow the fuzzer's minimisation down.
			return
		}
		s, _, err := registry.Load(bytes.NewReader(data))
		if err != nil {
			return
		}
		// Whatever loads must validate, export and load back to the same revision.
		var out bytes.Buffer
		if err := registry.EncodeYAML(&out, s); err != nil {
			t.Fatal(err)
		}
		back, _, err := registry.Load(&out)
		if err != nil {
			t.Fatalf("exported registry does not load back: %v\n%s", err, out.String())
		}
		if back.Revision() != s.Revision() {
			t.Fatal("round trip changed the revision")
		}
	})
}

// Validation names, per listed language, the texts visitors will read in
// the default language instead, and stays quiet for a complete language.
func TestValidateWarnsOfMissingTranslations(t *testing.T) {
	s := demo.Site("demo") // fr default; en, de, es, oc, ar complete
	s.Languages = append(s.Languages, "it", "pl")
	delete(s.Cookies[2].Purpose, "de")
	s.Categories[0].Description["pl"] = "Niezbędne."
	byField := map[string]string{}
	for _, p := range s.Validate() {
		if strings.HasPrefix(p.Field, "languages[") {
			if p.Severity != registry.Warning {
				t.Errorf("%s: %s, want a warning", p.Field, p.Severity)
			}
			byField[p.Field] = p.Message
		}
	}
	want := map[string]string{
		"languages[2]": `1 text has no "de" translation and will be shown in "fr": cookies[2].purpose`,
		"languages[6]": `22 texts have no "it" translation and will be shown in "fr": categories[0].name, categories[0].description, categories[1].name, categories[1].description, categories[2].name and 17 more`,
		"languages[7]": `21 texts have no "pl" translation and will be shown in "fr": categories[0].name, categories[1].name, categories[1].description, categories[2].name, categories[2].description and 16 more`,
	}
	for f, w := range want {
		if byField[f] != w {
			t.Errorf("%s: %q\nwant %q", f, byField[f], w)
		}
	}
	if len(byField) != len(want) {
		t.Errorf("warnings %q, want only %v", byField, want)
	}
	for _, p := range demo.Site("demo").Validate() {
		if strings.HasPrefix(p.Field, "languages[") {
			t.Errorf("the demo, translated in its six languages, is warned: %s %s", p.Field, p.Message)
		}
	}
}
