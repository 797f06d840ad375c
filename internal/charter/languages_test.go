package charter

import (
	"slices"
	"strings"
	"testing"

	"github.com/charte/charte/internal/demo"
	"github.com/charte/charte/internal/i18n"
	"github.com/charte/charte/registry"
)

// A site listing every language renders its charter in each of them: the
// page says its language (and direction, right to left for Arabic, Hebrew
// and Persian), its headings and table come from that language's file, its
// lifetimes and date are written in it, and no message id or argument is
// left unfilled.
func TestCharterInEveryLanguage(t *testing.T) {
	site := demo.Site("demo")
	site.Languages = slices.Clone(registry.Languages)
	for _, lang := range registry.Languages {
		t.Run(lang, func(t *testing.T) {
			html := render(t, "html", Page{Site: site, Revision: "r1", PublishedAt: published, Lang: lang})
			want := []string{
				`<html lang="` + lang + `"`,
				"<title>" + escape(i18n.T(lang, "charter.title")) + " — ",
				// charte's own texts go out as they are (they may hold <strong>).
				i18n.T(lang, "charter.what.title"),
				i18n.T(lang, "charter.col.lifetime"),
				escape(i18n.Lifetime(lang, 13, "month")),
				escape(i18n.Date(lang, published)),
			}
			if i18n.Dir(lang) == "rtl" {
				want = append(want, `<html lang="`+lang+`" dir="rtl">`)
			} else if strings.Contains(html, `dir="rtl"`) {
				t.Error(`a left-to-right page has dir="rtl"`)
			}
			for _, w := range want {
				if !strings.Contains(html, w) {
					t.Errorf("missing %q", w)
				}
			}
			for _, leak := range []string{"{{", "charter.", "lifetime.", "date."} {
				if strings.Contains(html, leak) {
					t.Errorf("the page holds %q: a message id or argument was not filled", leak)
				}
			}
			md := render(t, "md", Page{Site: site, Revision: "r1", PublishedAt: published, Lang: lang})
			if !strings.HasPrefix(md, "# "+i18n.T(lang, "charter.title")) {
				t.Errorf("Markdown starts %q", md[:min(len(md), 80)])
			}
		})
	}
}

// escape is html/template's escaping of text, for the few characters the
// catalogue's texts hold.
var escape = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&#34;", "'", "&#39;", "+", "&#43;").Replace

// The language selector names each language in itself, and marks the
// right-to-left ones.
func TestLanguageSelectorNames(t *testing.T) {
	site := demo.Site("demo")
	site.Languages = []string{"fr", "de", "ar", "oc"}
	html := render(t, "html", Page{Site: site, Revision: "r1", Lang: "de",
		LanguageForm: &LanguageForm{Action: "/i18n/setlang", Next: "/", Languages: site.Languages}})
	for _, w := range []string{
		`<option value="fr" lang="fr">Français</option>`,
		`<option value="de" lang="de" selected>Deutsch</option>`,
		`<option value="ar" lang="ar" dir="rtl">العربية</option>`,
		`<option value="oc" lang="oc">Occitan</option>`,
		`<label>Sprache <select`,
	} {
		if !strings.Contains(html, w) {
			t.Errorf("missing %q", w)
		}
	}
}

// A text the operator did not translate comes in the site's default
// language, marked with its lang (and dir, when the page reads the other
// way): never an empty cell, never French passed off as Polish.
func TestCharterFallbackTextsMarked(t *testing.T) {
	site := demo.Site("demo") // fr default; texts in fr, en, de, es, oc, ar
	site.Languages = append(site.Languages, "pl", "he")
	delete(site.Cookies[0].Purpose, "de")
	tests := []struct {
		lang      string
		want, not []string
	}{
		{"pl", []string{
			`<h3 id="cat-necessary" lang="fr">Cookies nécessaires au bon fonctionnement de la plateforme / cookies fonctionnels</h3>`,
			`<caption lang="fr">Mesure d&#39;audience</caption>`,
			`<td data-label="Cel" lang="fr">Se souvenir de l&#39;utilisateur d&#39;une page à une autre.</td>`,
		}, []string{`dir="ltr"`}},
		{"he", []string{
			`<html lang="he" dir="rtl">`,
			`<h3 id="cat-statistics" lang="fr" dir="ltr">Mesure d&#39;audience</h3>`,
		}, nil},
		{"de", []string{
			`<h3 id="cat-statistics">Reichweitenmessung</h3>`,
			`<td data-label="Zweck" lang="fr">Se souvenir de l&#39;utilisateur d&#39;une page à une autre.</td>`,
			`<td data-label="Zweck">Die Sprache des Besuchers speichern</td>`,
		}, []string{`<h3 id="cat-necessary" lang=`}},
	}
	for _, tt := range tests {
		t.Run(tt.lang, func(t *testing.T) {
			html := render(t, "html", Page{Site: site, Revision: "r1", Lang: tt.lang})
			for _, w := range tt.want {
				if !strings.Contains(html, w) {
					t.Errorf("missing %s", w)
				}
			}
			for _, n := range tt.not {
				if strings.Contains(html, n) {
					t.Errorf("unexpected %s", n)
				}
			}
		})
	}
}
