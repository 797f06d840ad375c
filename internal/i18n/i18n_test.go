package i18n

import "testing"

func TestNegotiate(t *testing.T) {
	tests := []struct {
		name      string
		supported []string
		explicit  []string
		accept    string
		want      string
	}{
		{"query wins", nil, []string{"en", "fr"}, "fr", "en"},
		{"cookie when no query", nil, []string{"", "en"}, "fr-FR", "en"},
		{"unsupported explicit ignored", nil, []string{"de"}, "en-GB,en;q=0.9", "en"},
		{"accept-language quality", nil, nil, "de;q=1, en;q=0.5, fr;q=0.8", "fr"},
		{"region stripped", nil, nil, "en-US", "en"},
		{"nothing usable falls back", nil, nil, "de, it", "fr"},
		{"garbage header", nil, nil, ";;;q=x,", "fr"},
		{"case insensitive", nil, []string{"EN"}, "", "en"},
		{"explicit with region", []string{"fr", "pt"}, []string{"pt-BR"}, "", "pt"},
		{"explicit regional variant", []string{"fr", "de"}, []string{"de-AT"}, "", "de"},
		{"explicit Norwegian", []string{"fr", "nb"}, []string{"no"}, "", "nb"},
		{"Brazilian browser", []string{"fr", "pt"}, nil, "pt-BR,pt;q=0.9", "pt"},
		{"no is Norwegian Bokmål", []string{"fr", "nb"}, nil, "no", "nb"},
		{"simplified Chinese", []string{"fr", "zh"}, nil, "zh-Hans-CN", "zh"},
		{"Occitan when listed", []string{"fr", "oc"}, nil, "oc, fr;q=0.5", "oc"},
		{"explicit neighbour refused", []string{"fr", "en"}, []string{"oc"}, "en", "en"},
		{"fallback not listed", []string{"de", "it"}, nil, "", "de"},
		{"nothing supported", []string{}, nil, "de", "fr"},
		{"traditional Chinese reads simplified", []string{"fr", "zh"}, nil, "zh-TW", "zh"},
		{"Serbian in Latin script", []string{"fr", "sr"}, nil, "sr-Latn", "sr"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sup := tt.supported
			if sup == nil {
				sup = []string{"fr", "en"}
			}
			if got := Negotiate(sup, "fr", tt.explicit, tt.accept); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func FuzzNegotiate(f *testing.F) {
	for _, s := range []string{"fr", "de;q=1, en;q=0.5", ";;;", "zh-Hans-CN", "*", "x-klingon"} {
		f.Add(s, s)
	}
	sup := []string{"fr", "en", "ar"}
	f.Fuzz(func(t *testing.T, explicit, accept string) {
		got := Negotiate(sup, "fr", []string{explicit}, accept)
		if got != "fr" && got != "en" && got != "ar" {
			t.Errorf("Negotiate(%q, %q) = %q, not a supported language", explicit, accept, got)
		}
	})
}

func TestCatalogFallback(t *testing.T) {
	c := Catalog{"hello": {"fr": "bonjour", "en": "hello"}, "only": {"en": "only en"}}
	for _, tt := range []struct{ lang, key, want string }{
		{"fr", "hello", "bonjour"}, {"fr", "only", "only en"}, {"en", "missing", "missing"},
	} {
		if got := c.T(tt.lang, tt.key); got != tt.want {
			t.Errorf("T(%q,%q) = %q, want %q", tt.lang, tt.key, got, tt.want)
		}
	}
}

// A Matcher made once answers as Match does, whatever the tag; and it is
// tied to its languages, not to the caller's slice.
func FuzzMatcher(f *testing.F) {
	for _, s := range []string{"fr", "de-AT", "es_MX", "FR", "", "oc", "zh-Hant-TW", "no", "i-default", " en "} {
		f.Add(s)
	}
	langs := []string{"fr", "en", "de", "nb", "zh", "ar"}
	m := NewMatcher(langs)
	f.Fuzz(func(t *testing.T, tag string) {
		if got, want := m.Match(tag), Match(langs, tag); got != want {
			t.Fatalf("Matcher.Match(%q) = %q, Match gives %q", tag, got, want)
		}
	})
}

func TestMatcherFor(t *testing.T) {
	langs := []string{"fr", "en"}
	m := NewMatcher(langs)
	langs[0] = "de"
	tests := []struct {
		name  string
		langs []string
		want  bool
	}{
		{"the same languages", []string{"fr", "en"}, true},
		{"the caller's slice changed after", langs, false},
		{"another order", []string{"en", "fr"}, false},
		{"one more", []string{"fr", "en", "de"}, false},
	}
	for _, tt := range tests {
		if got := m.For(tt.langs); got != tt.want {
			t.Errorf("%s: For(%q) = %v, want %v", tt.name, tt.langs, got, tt.want)
		}
	}
	if got := m.Match("de"); got != "" {
		t.Errorf("Match(de) = %q after the caller's slice changed; want \"\" (fr, en only)", got)
	}
}
