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

// Translatable is one text the operator wrote that a site translates into
// its languages: the banner's title and message, each category's name and
// description, each declared cookie's service and purpose.
type Translatable struct {
	// Field is where the text lives, as Problem.Field names it without the
	// language: "categories[0].name", "banner.title".
	Field string
	// Of names what the text belongs to: the category's id, the cookie's
	// name; empty for the banner.
	Of   string
	Text Text
	// Multiline texts may hold line breaks (descriptions, purposes, the
	// banner's message); the others are one line.
	Multiline bool
	// OwnWording is true for the banner's texts: a language without one
	// shows charte's own wording in that language, not the default
	// language's text.
	OwnWording bool

	set func(lang, s string)
}

// FieldIn is where the text's translation in lang lives, as validation
// names it: "categories[0].name.de", "banner.de.title".
func (t Translatable) FieldIn(lang string) string {
	if after, ok := strings.CutPrefix(t.Field, "banner."); ok {
		return "banner." + lang + "." + after
	}
	return t.Field + "." + lang
}

// Missing reports whether the text exists in the default language def but
// not in lang: what a translator has left to do.
func (t Translatable) Missing(lang, def string) bool {
	return strings.TrimSpace(t.Text[def]) != "" && strings.TrimSpace(t.Text[lang]) == ""
}

// Translatables lists the operator's texts in the order a translator reads
// them: the banner, then categories, then cookies. Cookies a catalogue
// service brings (ServiceID set) are left out: their texts are the
// catalogue's, and publishing replaces them.
func (s *Site) Translatables() []Translatable {
	var out []Translatable
	for _, part := range []struct {
		name      string
		multiline bool
		get       func(BannerText) string
		put       func(*BannerText, string)
	}{
		{"title", false, func(b BannerText) string { return b.Title }, func(b *BannerText, v string) { b.Title = v }},
		{"message", true, func(b BannerText) string { return b.Message }, func(b *BannerText, v string) { b.Message = v }},
	} {
		t := Text{}
		for l, b := range s.Banner {
			if v := part.get(b); v != "" {
				t[l] = v
			}
		}
		out = append(out, Translatable{Field: "banner." + part.name, Text: t, Multiline: part.multiline, OwnWording: true,
			set: func(lang, v string) {
				b := s.Banner[lang]
				part.put(&b, v)
				s.setBanner(lang, b)
			}})
	}
	for i := range s.Categories {
		c := &s.Categories[i]
		out = append(out,
			Translatable{Field: fmt.Sprintf("categories[%d].name", i), Of: c.ID, Text: c.Name, set: func(l, v string) { c.Name = c.Name.with(l, v) }},
			Translatable{Field: fmt.Sprintf("categories[%d].description", i), Of: c.ID, Text: c.Description, Multiline: true,
				set: func(l, v string) { c.Description = c.Description.with(l, v) }})
	}
	for i := range s.Cookies {
		c := &s.Cookies[i]
		if c.ServiceID != "" {
			continue
		}
		out = append(out,
			Translatable{Field: fmt.Sprintf("cookies[%d].service", i), Of: c.Name, Text: c.Service, Multiline: true,
				set: func(l, v string) { c.Service = c.Service.with(l, v) }},
			Translatable{Field: fmt.Sprintf("cookies[%d].purpose", i), Of: c.Name, Text: c.Purpose, Multiline: true,
				set: func(l, v string) { c.Purpose = c.Purpose.with(l, v) }})
	}
	return out
}

// Set sets the text in lang in the site Translatables listed it from; an
// empty text removes the translation. The site's categories and cookies
// must not have been added or removed since.
func (t Translatable) Set(lang, text string) { t.set(lang, text) }

// SetTranslation sets the text at field (as Translatable.Field names it)
// in lang; an empty text removes the translation, so visitors get the
// fallback. It reports false, changing nothing, when the site has no such
// text. It lists the texts each time: to set many, list them once with
// Translatables and Set each (BenchmarkTranslateEveryText: 2,000 texts in
// about 1.4 ms, where 2,000 calls of SetTranslation take 5 s).
func (s *Site) SetTranslation(field, lang, text string) bool {
	for _, t := range s.Translatables() {
		if t.Field == field {
			t.Set(lang, text)
			return true
		}
	}
	return false
}

// with returns t with lang set to s, or removed when s is empty; a text
// left with no language at all is nil, as a registry file without it
// decodes.
func (t Text) with(lang, s string) Text {
	if s == "" {
		delete(t, lang)
		if len(t) == 0 {
			return nil
		}
		return t
	}
	if t == nil {
		t = Text{}
	}
	t[lang] = s
	return t
}

// setBanner stores the banner's texts in lang; a language with neither
// title nor message is dropped, and no language at all leaves no banner
// section, as the banner texts page stores them.
func (s *Site) setBanner(lang string, b BannerText) {
	if b == (BannerText{}) {
		delete(s.Banner, lang)
		if len(s.Banner) == 0 {
			s.Banner = nil
		}
		return
	}
	if s.Banner == nil {
		s.Banner = map[string]BannerText{}
	}
	s.Banner[lang] = b
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
	var fields []Translatable
	for _, t := range s.Translatables() {
		if !t.OwnWording {
			fields = append(fields, t)
		}
	}
	for i, lang := range s.Languages {
		if lang == s.DefaultLanguage {
			continue
		}
		var missing []string
		for _, f := range fields {
			if f.Missing(lang, s.DefaultLanguage) {
				missing = append(missing, f.Field)
			}
		}
		if len(missing) == 0 {
			continue
		}
		// Count picks the plural form of the message where it is worded.
		field := fmt.Sprintf("languages[%d]", i)
		format := "%d texts have no %q translation and will be shown in %q: %s"
		if len(missing) == 1 {
			format = "%d text has no %q translation and will be shown in %q: %s"
		}
		args := []any{"Count", len(missing), "Language", lang, "Default", s.DefaultLanguage,
			"Fields", strings.Join(missing[:min(len(missing), maxNamed)], ", ")}
		if len(missing) <= maxNamed {
			v.warnf(field, CodeTranslationsMissing, format, args...)
		} else {
			v.warnf(field, CodeTranslationsMissingMore, format+" and %d more", append(args, "More", len(missing)-maxNamed)...)
		}
	}
}
