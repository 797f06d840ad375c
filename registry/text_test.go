package registry_test

import (
	"strings"
	"testing"

	"github.com/charte/charte/internal/hostile"
	"github.com/charte/charte/registry"
)

func TestCheckText(t *testing.T) {
	for _, c := range hostile.Texts {
		for _, multiline := range []bool{false, true} {
			if err := registry.CheckText(c.Value, multiline); err == nil {
				t.Errorf("CheckText(%s %q, multiline=%v) = nil, want an error", c.Name, c.Value, multiline)
			}
		}
	}
	for _, c := range hostile.Lines {
		if err := registry.CheckText(c.Value, false); err == nil {
			t.Errorf("CheckText(%s, single line) = nil, want an error", c.Name)
		}
		if err := registry.CheckText(c.Value, true); err != nil {
			t.Errorf("CheckText(%s, multiline) = %v, want nil", c.Name, err)
		}
	}
	for _, c := range hostile.Fine {
		if err := registry.CheckText(c.Value, false); err != nil {
			t.Errorf("CheckText(%s) = %v, want nil", c.Name, err)
		}
	}
	if err := registry.CheckText("a\x00b", false); err == nil || !strings.Contains(err.Error(), "U+0000") {
		t.Errorf("CheckText(NUL) = %v, want it to name U+0000", err)
	}
}

// FuzzCheckText holds CheckText to what PostgreSQL and the pages need: what
// it accepts is valid UTF-8 without NUL, and without any control character
// but line breaks and tabs.
func FuzzCheckText(f *testing.F) {
	for _, cs := range [][]hostile.Case{hostile.Texts, hostile.Lines, hostile.Fine} {
		for _, c := range cs {
			f.Add(c.Value, false)
			f.Add(c.Value, true)
		}
	}
	f.Fuzz(func(t *testing.T, s string, multiline bool) {
		if registry.CheckText(s, multiline) != nil {
			return
		}
		if strings.ToValidUTF8(s, "") != s {
			t.Fatalf("accepted invalid UTF-8 %q", s)
		}
		for _, r := range s {
			if r < 0x20 && !(multiline && (r == '\n' || r == '\t' || r == '\r')) || r >= 0x7f && r < 0xa0 {
				t.Fatalf("accepted control character %U in %q", r, s)
			}
		}
	})
}

// Every free text of a registry refuses every hostile string with an error
// naming that field, and the multiline ones accept line breaks.
func TestValidateHostileText(t *testing.T) {
	fields := []struct {
		field     string
		multiline bool
		set       func(s *registry.Site, v string)
	}{
		{"name", false, func(s *registry.Site, v string) { s.Name = v }},
		{"url", false, func(s *registry.Site, v string) { s.URL = "https://x.org/" + v }},
		{"origins[0]", false, func(s *registry.Site, v string) { s.Origins = []string{"https://x.org" + v} }},
		{"banner.fr.title", false, func(s *registry.Site, v string) { s.Banner = map[string]registry.BannerText{"fr": {Title: v}} }},
		{"banner.fr.message", true, func(s *registry.Site, v string) { s.Banner = map[string]registry.BannerText{"fr": {Message: v}} }},
		{"categories[1].name.fr", false, func(s *registry.Site, v string) { s.Categories[1].Name["fr"] = v }},
		{"categories[1].description.en", true, func(s *registry.Site, v string) {
			s.Categories[1].Description = registry.Text{"en": v}
		}},
		{"cookies[0].provider", false, func(s *registry.Site, v string) { s.Cookies[0].Provider = v }},
		{"cookies[0].service.fr", true, func(s *registry.Site, v string) { s.Cookies[0].Service = registry.Text{"fr": v} }},
		{"cookies[2].purpose.fr", true, func(s *registry.Site, v string) { s.Cookies[2].Purpose["fr"] = v }},
	}
	for _, f := range fields {
		for _, c := range append(append([]hostile.Case{}, hostile.Texts...), hostile.Lines...) {
			refused := !f.multiline || !slicesContains(hostile.Lines, c)
			t.Run(f.field+"/"+c.Name, func(t *testing.T) {
				s := site(t)
				f.set(s, c.Value)
				var named bool
				for _, p := range s.Validate() {
					if p.Field == f.field && p.Severity == registry.Error {
						named = true
					}
				}
				if named != refused {
					t.Errorf("%s = %q: error naming the field %v, want %v; problems %v", f.field, c.Value, named, refused, s.Validate())
				}
			})
		}
	}
}

func slicesContains(cs []hostile.Case, c hostile.Case) bool {
	for _, x := range cs {
		if x == c {
			return true
		}
	}
	return false
}
