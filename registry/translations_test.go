package registry_test

import (
	"fmt"
	"reflect"
	"testing"

	"github.com/charte/charte/internal/demo"
	"github.com/charte/charte/registry"
)

// The translatable texts are the ones validation checks, in reading order,
// each addressed by the field validation names; catalogue cookies are left
// out, their texts are the catalogue's.
func TestTranslatables(t *testing.T) {
	s := demo.Site("demo")
	s.Banner = map[string]registry.BannerText{"fr": {Title: "Vos cookies"}}
	s.Cookies[0].ServiceID = "matomo"
	var fields []string
	for _, tr := range s.Translatables() {
		fields = append(fields, tr.Field)
	}
	want := []string{"banner.title", "banner.message"}
	for i := range s.Categories {
		want = append(want, catField(i, "name"), catField(i, "description"))
	}
	for i := 1; i < len(s.Cookies); i++ {
		want = append(want, cookieField(i, "service"), cookieField(i, "purpose"))
	}
	if !reflect.DeepEqual(fields, want) {
		t.Errorf("fields %q\nwant %q", fields, want)
	}
	tr := s.Translatables()
	if tr[0].Text["fr"] != "Vos cookies" || tr[0].FieldIn("de") != "banner.de.title" || !tr[0].OwnWording || tr[0].Multiline {
		t.Errorf("banner title: %+v, %s", tr[0], tr[0].FieldIn("de"))
	}
	if tr[2].FieldIn("de") != "categories[0].name.de" || tr[2].Multiline || !tr[3].Multiline {
		t.Errorf("category texts: %+v %+v", tr[2], tr[3])
	}
	if !tr[0].Missing("de", "fr") || tr[1].Missing("de", "fr") || tr[2].Missing("de", "fr") {
		t.Error("Missing: the title lacks de, the message has nothing to translate, the name is translated")
	}
}

func catField(i int, f string) string    { return fmt.Sprintf("categories[%d].%s", i, f) }
func cookieField(i int, f string) string { return fmt.Sprintf("cookies[%d].%s", i, f) }

// SetTranslation writes one language of one text and nothing else; an
// empty text removes the translation (a banner language with nothing left
// disappears), and an unknown field changes nothing.
func TestSetTranslation(t *testing.T) {
	tests := []struct {
		name, field, lang, text string
		ok                      bool
		check                   func(s *registry.Site) bool
	}{
		{"category name", "categories[1].name", "it", "Statistiche", true,
			func(s *registry.Site) bool {
				return s.Categories[1].Name["it"] == "Statistiche" && s.Categories[1].Name["fr"] == "Mesure d'audience"
			}},
		{"clear a purpose", "cookies[2].purpose", "de", "", true,
			func(s *registry.Site) bool {
				_, ok := s.Cookies[2].Purpose["de"]
				return !ok && s.Cookies[2].Purpose["en"] != ""
			}},
		{"banner title", "banner.title", "de", "Ihre Cookies", true,
			func(s *registry.Site) bool {
				return s.Banner["de"].Title == "Ihre Cookies" && s.Banner["fr"].Title == "Vos cookies"
			}},
		{"clear the last banner text of a language", "banner.title", "fr", "", true,
			func(s *registry.Site) bool { return s.Banner == nil }},
		{"unknown field", "cookies[99].purpose", "de", "x", false, nil},
		{"a field not translatable", "categories[0].id", "de", "x", false, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := demo.Site("demo")
			s.Banner = map[string]registry.BannerText{"fr": {Title: "Vos cookies"}}
			before := s.Revision()
			if ok := s.SetTranslation(tt.field, tt.lang, tt.text); ok != tt.ok {
				t.Fatalf("SetTranslation = %v, want %v", ok, tt.ok)
			}
			if !tt.ok {
				if s.Revision() != before {
					t.Error("a refused translation changed the site")
				}
				return
			}
			if !tt.check(s) {
				t.Errorf("after setting %s.%s = %q: %+v", tt.field, tt.lang, tt.text, s)
			}
		})
	}
}

// FuzzSetTranslation: whatever field, language and text a form or a JSON
// body names, SetTranslation either refuses, changing nothing, or sets
// exactly that text, which Translatables then reads back.
func FuzzSetTranslation(f *testing.F) {
	f.Add("categories[1].name", "it", "Statistiche")
	f.Add("banner.message", "de", "")
	f.Add("cookies[-1].purpose", "de", "x")
	f.Add("categories[1].name.de", "de", "x")
	f.Add("banner.title", "", "a\x00b")
	f.Fuzz(func(t *testing.T, field, lang, text string) {
		s := demo.Site("demo")
		known := false
		for _, tr := range s.Translatables() {
			known = known || tr.Field == field
		}
		before := s.Revision()
		if ok := s.SetTranslation(field, lang, text); ok != known {
			t.Fatalf("SetTranslation(%q) = %v, the field known: %v", field, ok, known)
		}
		if !known {
			if s.Revision() != before {
				t.Fatal("a refused field changed the site")
			}
			return
		}
		for _, tr := range s.Translatables() {
			if tr.Field == field && tr.Text[lang] != text {
				t.Fatalf("%s.%s reads %q after setting %q", field, lang, tr.Text[lang], text)
			}
		}
	})
}

// BenchmarkTranslateEveryText: a large site (the most cookies a registry
// may declare) translated text by text, as a full form of the
// translations page does: one Translatables list, then Set on each.
func BenchmarkTranslateEveryText(b *testing.B) {
	s := demo.Site("demo")
	for len(s.Cookies) < registry.MaxCookies {
		c := s.Cookies[0]
		c.Name = fmt.Sprintf("c%d", len(s.Cookies))
		c.Purpose = registry.Text{"fr": "Finalité"}
		s.Cookies = append(s.Cookies, c)
	}
	b.ReportAllocs()
	for b.Loop() {
		for _, t := range s.Translatables() {
			t.Set("it", "Finalità")
		}
	}
}
