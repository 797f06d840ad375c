package admin

import (
	"strings"
	"testing"

	"github.com/charte/charte/internal/demo"
	"github.com/charte/charte/internal/i18n"
	"github.com/charte/charte/registry"
)

// Every kind of translatable text has a label in every language of the
// back office, naming what it belongs to: the key is built from the field,
// so the test of keys written in the code does not see it.
func TestEveryTranslatableIsLabelled(t *testing.T) {
	s := demo.Site("demo")
	s.Banner = map[string]registry.BannerText{"fr": {Title: "Vos cookies", Message: "Bienvenue"}}
	for _, lang := range i18n.AdminLanguages() {
		for _, tr := range s.Translatables() {
			label := translationLabel(lang, tr)
			if strings.HasPrefix(label, "admin.") || strings.Contains(label, "{{") || !strings.Contains(label, tr.Of) {
				t.Errorf("%s: %s is labelled %q", lang, tr.Field, label)
			}
		}
	}
}
