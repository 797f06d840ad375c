package i18n

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

// TestCatalogueComplete is what keeps a language file from shipping with a
// missing or extra message, a renamed argument or plural forms its
// language does not have: the visitor's catalogue in its 44 languages, the
// back office's in its five.
func TestCatalogueComplete(t *testing.T) {
	for _, tt := range []struct {
		name  string
		c     *catalogue
		langs []string
	}{
		{"visitor", cat, visitorLanguages},
		{"admin", adminCat, []string{"de", "en", "es", "fr", "it"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			for _, err := range incomplete(tt.c, tt.langs) {
				t.Error(err)
			}
		})
	}
}

// visitorLanguages are the 44 of issue 11: the EU's 24, France's and
// Spain's regional languages, and those of large visitor groups.
var visitorLanguages = strings.Fields(`ar bg br ca co cs da de el en es et eu fa fi fr ga gl he hr hu is it ja ko
	lt lv mt nb nl oc pl pt ro ru sk sl sq sr sv tr uk vi zh`)

// incomplete lists what is wrong with catalogue c, which must speak
// exactly langs, each with every message of its English file.
func incomplete(c *catalogue, langs []string) []error {
	var errs []error
	bad := func(lang, format string, args ...any) {
		errs = append(errs, fmt.Errorf(lang+": "+format, args...))
	}
	if !slices.Equal(c.langs, langs) {
		bad("*", "languages %v, want %v", c.langs, langs)
	}
	ref := c.msgs["en"]
	for _, lang := range c.langs {
		msgs := c.msgs[lang]
		for id := range ref {
			if _, ok := msgs[id]; !ok {
				bad(lang, "missing %s", id)
			}
		}
		for id, m := range msgs {
			r, ok := ref[id]
			if !ok {
				bad(lang, "extra %s (not in en.json)", id)
				continue
			}
			if (m.forms == nil) != (r.forms == nil) {
				bad(lang, "%s: plural in one language, plain text in the other", id)
				continue
			}
			want := placeholders(r.text + r.forms["other"])
			for form, s := range m.texts() {
				if strings.TrimSpace(s) == "" && !strings.HasPrefix(id, "list.") {
					bad(lang, "%s[%s] is empty", id, form)
				}
				got := placeholders(s)
				// A plural form may leave the count out ("one
				// second" in Arabic is a word, not a number); "other"
				// and plain texts use every argument.
				if form != "" && form != "other" {
					if !isSubset(got, want) {
						bad(lang, "%s[%s] uses arguments %v, want some of %v", id, form, got, want)
					}
				} else if !slices.Equal(got, want) {
					bad(lang, "%s[%s] uses arguments %v, want %v", id, form, got, want)
				}
			}
			if m.forms != nil {
				var forms []string
				for f := range m.forms {
					forms = append(forms, f)
				}
				if want := integerForms(lang); !sameSet(forms, want) {
					bad(lang, "%s has plural forms %v, want %v (CLDR, integers)", id, forms, want)
				}
			}
		}
		if st := c.t(lang, "meta.status", nil); !strings.HasPrefix(st, "reviewed: ") {
			bad(lang, "meta.status %q must say whether the file was reviewed", st)
		}
		if _, ok := msgs["meta.name"]; !ok {
			bad(lang, "no meta.name")
		}
		if _, ok := ref["date.months"]; ok {
			if n := len(strings.Split(c.t(lang, "date.months", nil), "|")); n != 12 {
				bad(lang, "date.months has %d months", n)
			}
		}
	}
	return errs
}

// TestIncompleteCatalogues shows the completeness check failing on each
// kind of broken back-office catalogue.
func TestIncompleteCatalogues(t *testing.T) {
	const en = `{"meta.name": "English", "meta.status": "reviewed: yes", "a": "Hello {{.Name}}", "n": {"one": "{{.Count}} day", "other": "{{.Count}} days"}}`
	langs := []string{"en", "fr"}
	for _, tt := range []struct{ name, fr, want string }{
		{"complete", `{"meta.name": "Français", "meta.status": "reviewed: yes", "a": "Bonjour {{.Name}}", "n": {"one": "{{.Count}} jour", "other": "{{.Count}} jours"}}`, ""},
		{"missing message", `{"meta.name": "Français", "meta.status": "reviewed: yes", "n": {"one": "{{.Count}} jour", "other": "{{.Count}} jours"}}`, "fr: missing a"},
		{"extra message", `{"meta.name": "Français", "meta.status": "reviewed: yes", "a": "Bonjour {{.Name}}", "b": "x", "n": {"one": "{{.Count}} jour", "other": "{{.Count}} jours"}}`, "fr: extra b"},
		{"renamed argument", `{"meta.name": "Français", "meta.status": "reviewed: yes", "a": "Bonjour {{.Nom}}", "n": {"one": "{{.Count}} jour", "other": "{{.Count}} jours"}}`, "fr: a[] uses arguments [.Nom], want [.Name]"},
		{"argument left out", `{"meta.name": "Français", "meta.status": "reviewed: yes", "a": "Bonjour", "n": {"one": "{{.Count}} jour", "other": "{{.Count}} jours"}}`, "fr: a[] uses arguments [], want [.Name]"},
		{"plural as text", `{"meta.name": "Français", "meta.status": "reviewed: yes", "a": "Bonjour {{.Name}}", "n": "{{.Count}} jour(s)"}`, "fr: n: plural in one language"},
		{"a form French lacks", `{"meta.name": "Français", "meta.status": "reviewed: yes", "a": "Bonjour {{.Name}}", "n": {"one": "{{.Count}} jour", "few": "{{.Count}} jours", "other": "{{.Count}} jours"}}`, "fr: n has plural forms"},
		{"a form French needs", `{"meta.name": "Français", "meta.status": "reviewed: yes", "a": "Bonjour {{.Name}}", "n": {"other": "{{.Count}} jours"}}`, "fr: n has plural forms"},
		{"empty text", `{"meta.name": "Français", "meta.status": "reviewed: yes", "a": " ", "n": {"one": "{{.Count}} jour", "other": "{{.Count}} jours"}}`, "fr: a[] is empty"},
		{"no review status", `{"meta.name": "Français", "meta.status": "pas relu", "a": "Bonjour {{.Name}}", "n": {"one": "{{.Count}} jour", "other": "{{.Count}} jours"}}`, "fr: meta.status"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c, err := load(fstest.MapFS{
				"locales/admin/en.json": {Data: []byte(en)},
				"locales/admin/fr.json": {Data: []byte(tt.fr)},
			}, "locales/admin")
			if err != nil {
				t.Fatal(err)
			}
			errs := incomplete(c, langs)
			if tt.want == "" {
				if len(errs) > 0 {
					t.Errorf("a complete catalogue: %v", errs)
				}
				return
			}
			if len(errs) == 0 || !strings.Contains(fmt.Sprint(errs), tt.want) {
				t.Errorf("got %v, want an error with %q", errs, tt.want)
			}
		})
	}
	c, _ := load(fstest.MapFS{"locales/admin/en.json": {Data: []byte(en)}}, "locales/admin")
	if errs := incomplete(c, langs); len(errs) == 0 || !strings.Contains(errs[0].Error(), "languages [en], want [en fr]") {
		t.Errorf("a language missing: %v", errs)
	}
}

// texts is every text of a message, by plural form ("" for plain text).
func (m message) texts() map[string]string {
	if m.forms == nil {
		return map[string]string{"": m.text}
	}
	return m.forms
}

func isSubset(a, b []string) bool {
	for _, x := range a {
		if !slices.Contains(b, x) {
			return false
		}
	}
	return true
}

func sameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}

// Placeholders only of the {{.Name}} kind: fill knows no other syntax.
func TestPlaceholdersAreNamedArguments(t *testing.T) {
	for _, c := range []*catalogue{cat, adminCat} {
		for _, lang := range c.langs {
			for id, m := range c.msgs[lang] {
				for _, s := range m.texts() {
					for _, p := range placeholders(s) {
						if !namedArg.MatchString(p) {
							t.Errorf("%s %s: {{%s}} is not a named argument such as {{.Site}}", lang, id, p)
						}
					}
				}
			}
		}
	}
}

var namedArg = regexp.MustCompile(`^\.[A-Z][A-Za-z]*$`)

func TestLoadRefusesMalformedFiles(t *testing.T) {
	for _, tt := range []struct{ name, body, want string }{
		{"not json", `{"a": `, "unexpected end"},
		{"number", `{"a": 3}`, "want a text or an object of plural forms"},
		{"unknown form", `{"a": {"one": "x", "several": "y"}}`, `"several" is not a CLDR plural form`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := load(fstest.MapFS{"locales/xx.json": {Data: []byte(tt.body)}}, "locales")
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("load: %v, want an error with %q", err, tt.want)
			}
		})
	}
}

func TestWords(t *testing.T) {
	day := time.Date(2026, 12, 1, 23, 30, 0, 0, time.FixedZone("x", 3600))
	for _, tt := range []struct{ got, want string }{
		{Lifetime("fr", 1, "year"), "1 an"},
		{Lifetime("fr", 13, "month"), "13 mois"},
		{Lifetime("fr", 0, "session"), "Session (supprimé à la fermeture du navigateur)"},
		{Lifetime("en", 1, "month"), "1 month"},
		{Lifetime("en", 6, "month"), "6 months"},
		{Date("fr", day), "1 décembre 2026"},
		{Date("en", day), "1 December 2026"},
		{T("fr", "charter.intro", "Site", "Pau"), "Cette page explique quels cookies le site Pau dépose dans votre navigateur, pourquoi, pour combien de temps, et lesquels demandent votre accord."},
		{T("en", "web.banner.unknown", "File", "f.js", "Site", "s", "Revision", "r1"), "No banner f.js was served for revision r1 of s"},
		{T("xx", "banner.accept"), "Accept all"},
		{T("en", "lifetime.day", "Count", 1), "1 day"},
		{T("en", "lifetime.day", "Count", int64(2)), "2 days"},
		{Admin("fr", "admin.stats.days", "Count", 1), "1 jour"},
		{Admin("fr", "admin.stats.days", "Count", 30), "30 jours"},
		{AdminN("en", "admin.services.results", 1), "1 service found"},
		{Admin("pl", "admin.nav.dashboard"), "Dashboard"},
		{T("fr", "no.such.id"), "no.such.id"},
		{List("fr", "semicolon", []string{"a", "b"}), "a ; b"},
		{Name("fr"), "Français"},
		{Dir("ar") + Dir("fr"), "rtlltr"},
	} {
		if tt.got != tt.want {
			t.Errorf("got %q, want %q", tt.got, tt.want)
		}
	}
}

func FuzzFill(f *testing.F) {
	for _, s := range []string{"a {{.X}} b", "{{.", "}}{{", "{{.X}", "{{.X}}{{.Y}}"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := fill(s, []any{"X", "1"})
		if !strings.Contains(s, "{{.") && out != s {
			t.Errorf("fill(%q) = %q, changed a text without arguments", s, out)
		}
	})
}

// A translator's file is parsed without panicking, and what it accepts has
// only texts and CLDR plural forms.
func FuzzParseFile(f *testing.F) {
	for _, s := range []string{`{"a": "x"}`, `{"a": {"one": "x", "other": "y"}}`, `{"a": {"several": "y"}}`, `{"a": 3}`, `[]`, `{`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		msgs, err := parseFile(b)
		if err != nil {
			return
		}
		for id, m := range msgs {
			for form := range m.forms {
				if !slices.Contains(pluralForms, form) {
					t.Errorf("%s: accepted plural form %q", id, form)
				}
			}
		}
	})
}
