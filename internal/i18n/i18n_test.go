package i18n

import "testing"

func TestNegotiate(t *testing.T) {
	sup := []string{"fr", "en"}
	tests := []struct {
		name     string
		explicit []string
		accept   string
		want     string
	}{
		{"query wins", []string{"en", "fr"}, "fr", "en"},
		{"cookie when no query", []string{"", "en"}, "fr-FR", "en"},
		{"unsupported explicit ignored", []string{"de"}, "en-GB,en;q=0.9", "en"},
		{"accept-language quality", nil, "de;q=1, en;q=0.5, fr;q=0.8", "fr"},
		{"region stripped", nil, "en-US", "en"},
		{"nothing usable falls back", nil, "de, it", "fr"},
		{"garbage header", nil, ";;;q=x,", "fr"},
		{"case insensitive", []string{"EN"}, "", "en"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Negotiate(sup, "fr", tt.explicit, tt.accept); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
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
