package i18n

import (
	"regexp"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

// TestCatalogueComplete is what keeps a language file from shipping with a
// missing or extra message, a renamed argument or plural forms its
// language does not have.
func TestCatalogueComplete(t *testing.T) {
	ref := cat.msgs["en"]
	for _, lang := range Languages() {
		msgs := cat.msgs[lang]
		t.Run(lang, func(t *testing.T) {
			for id := range ref {
				if _, ok := msgs[id]; !ok {
					t.Errorf("missing %s", id)
				}
			}
			for id, m := range msgs {
				r, ok := ref[id]
				if !ok {
					t.Errorf("extra %s (not in en.json)", id)
					continue
				}
				if (m.forms == nil) != (r.forms == nil) {
					t.Errorf("%s: plural in one language, plain text in the other", id)
					continue
				}
				want := placeholders(r.text + r.forms["other"])
				for form, s := range m.texts() {
					if strings.TrimSpace(s) == "" && !strings.HasPrefix(id, "list.") {
						t.Errorf("%s[%s] is empty", id, form)
					}
					got := placeholders(s)
					// A plural form may leave the count out ("one
					// second" in Arabic is a word, not a number); "other"
					// and plain texts use every argument.
					if form != "" && form != "other" {
						if !isSubset(got, want) {
							t.Errorf("%s[%s] uses arguments %v, want some of %v", id, form, got, want)
						}
					} else if !slices.Equal(got, want) {
						t.Errorf("%s[%s] uses arguments %v, want %v", id, form, got, want)
					}
				}
				if m.forms != nil {
					var forms []string
					for f := range m.forms {
						forms = append(forms, f)
					}
					if want := integerForms(lang); !sameSet(forms, want) {
						t.Errorf("%s has plural forms %v, want %v (CLDR, integers)", id, forms, want)
					}
				}
			}
			if !strings.HasPrefix(T(lang, "meta.status"), "reviewed: ") {
				t.Errorf("meta.status %q must say whether the file was reviewed", T(lang, "meta.status"))
			}
			if n := len(strings.Split(T(lang, "date.months"), "|")); n != 12 {
				t.Errorf("date.months has %d months", n)
			}
		})
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
	for _, lang := range Languages() {
		for id, m := range cat.msgs[lang] {
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

var namedArg = regexp.MustCompile(`^\.[A-Z][A-Za-z]*$`)

func TestLoadRefusesMalformedFiles(t *testing.T) {
	for _, tt := range []struct{ name, body, want string }{
		{"not json", `{"a": `, "unexpected end"},
		{"number", `{"a": 3}`, "want a text or an object of plural forms"},
		{"unknown form", `{"a": {"one": "x", "several": "y"}}`, `"several" is not a CLDR plural form`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := load(fstest.MapFS{"locales/xx.json": {Data: []byte(tt.body)}})
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
