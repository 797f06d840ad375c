package registry

import (
	"fmt"
	"strings"
)

// InLang is In, also saying which language the text came in, so a page can
// mark a text shown in another language than its own with a lang attribute
// (WCAG 3.1.2).
func (t Text) InLang(lang, fallback string) (string, string) {
	if s := t[lang]; s != "" {
		return s, lang
	}
	if s := t[fallback]; s != "" {
		return s, fallback
	}
	for _, l := range Languages {
		if s := t[l]; s != "" {
			return s, l
		}
	}
	return "", lang
}

// maxNamed is how many untranslated fields a warning names before it counts
// the rest: enough to find them, short enough to read.
const maxNamed = 5

// validateTranslations warns, once per listed language, of the operator's
// texts that exist in the default language but not in that one: visitors
// reading it see them in the default language. (A banner title or message
// missing in a language is not among them: charte's own, in that language,
// stands in.)
func (s *Site) validateTranslations(v *validator) {
	type field struct {
		name string
		text Text
	}
	var fields []field
	for i, c := range s.Categories {
		fields = append(fields, field{fmt.Sprintf("categories[%d].name", i), c.Name},
			field{fmt.Sprintf("categories[%d].description", i), c.Description})
	}
	for i, c := range s.Cookies {
		fields = append(fields, field{fmt.Sprintf("cookies[%d].service", i), c.Service},
			field{fmt.Sprintf("cookies[%d].purpose", i), c.Purpose})
	}
	for i, lang := range s.Languages {
		if lang == s.DefaultLanguage {
			continue
		}
		var missing []string
		for _, f := range fields {
			if strings.TrimSpace(f.text[s.DefaultLanguage]) == "" {
				continue // nothing to translate
			}
			if strings.TrimSpace(f.text[lang]) == "" {
				missing = append(missing, f.name)
			}
		}
		if len(missing) == 0 {
			continue
		}
		named := strings.Join(missing[:min(len(missing), maxNamed)], ", ")
		if len(missing) > maxNamed {
			named += fmt.Sprintf(" and %d more", len(missing)-maxNamed)
		}
		texts := fmt.Sprintf("%d texts have", len(missing))
		if len(missing) == 1 {
			texts = "1 text has"
		}
		v.warnf(fmt.Sprintf("languages[%d]", i), "%s no %q translation and will be shown in %q: %s",
			texts, lang, s.DefaultLanguage, named)
	}
}
