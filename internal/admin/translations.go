package admin

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"
	"slices"
	"strings"

	"github.com/charte/charte/internal/i18n"
	"github.com/charte/charte/registry"
)

// The translations page: for one language of the site, every text the
// operator wrote beside its default-language original, the missing ones
// flagged. The texts themselves are the registry's (registry.Translatables,
// the same list validation warns about); this file only shows and edits
// them.

// translationLang is the URL's {lang} when the site translates into it:
// one of its languages, not the default one (which is edited where the
// text is, on the category, cookie and banner pages).
func translationLang(r *http.Request, s *registry.Site) (string, error) {
	l := r.PathValue("lang")
	if l == s.DefaultLanguage || !slices.Contains(s.Languages, l) {
		return "", &httpError{status: http.StatusNotFound, key: "translations.nolang", args: []any{"Lang", l}, field: "lang"}
	}
	return l, nil
}

// translationEdit is what putTranslations did: how many texts changed, and
// the problems that kept them from being stored.
type translationEdit struct {
	draftEdit
	Changed int
}

// putTranslations sets the texts of the draft s in lang, field by field
// (fields as registry.Translatable names them); an empty text removes the
// translation, so visitors get the fallback. Other languages are left as
// they are. An unknown field changes nothing and names it; texts equal to
// the stored ones store nothing and log nothing.
func (a *Admin) putTranslations(r *http.Request, s *registry.Site, lang string, texts map[string]string, detail map[string]any) (translationEdit, error) {
	// One list for every text set: a site may have two thousand of them.
	byField := map[string]registry.Translatable{}
	for _, t := range s.Translatables() {
		byField[t.Field] = t
	}
	e := translationEdit{draftEdit: draftEdit{Index: -1}}
	fields := make([]string, 0, len(texts))
	for f := range texts {
		fields = append(fields, f)
	}
	slices.Sort(fields) // the first unknown field named is always the same one
	for _, f := range fields {
		if _, ok := byField[f]; !ok {
			return e, &httpError{status: http.StatusUnprocessableEntity, key: "translations.nofield", args: []any{"Field", f}, field: f}
		}
	}
	for _, f := range fields {
		t, v := byField[f], strings.TrimSpace(texts[f])
		if v == t.Text[lang] {
			continue
		}
		t.Set(lang, v)
		e.Changed++
	}
	if e.Changed == 0 {
		return e, nil
	}
	var err error
	e.Problems, err = a.saveDraft(r, s, "translations.update", with(with(detail, "lang", lang), "changed", e.Changed))
	return e, err
}

// translationRow is one text of the table.
type translationRow struct {
	Field, Label        string
	Source, Translation string
	// ErrField is where validation names a problem of the translation.
	ErrField              string
	Multiline, Missing    bool
	OwnWording, HasSource bool
}

// languageCount is one of the site's other languages, with how many texts
// it lacks.
type languageCount struct {
	Lang, Name, Dir string
	Missing         int
	Current         bool
}

type translationsData struct {
	Default, DefaultName, DefaultDir string
	Lang, LangName, Dir              string // the language shown; "" on the overview
	Languages                        []languageCount
	Rows                             []translationRow
	Missing                          int
	// Version fingerprints what the form was made from, so a save over
	// texts someone changed meanwhile is refused, not applied to them.
	Version string
}

// countMissing lists the site's languages but the default one, each with
// its number of untranslated texts.
func countMissing(s *registry.Site, current string) []languageCount {
	texts := s.Translatables()
	var out []languageCount
	for _, l := range s.Languages {
		if l == s.DefaultLanguage {
			continue
		}
		c := languageCount{Lang: l, Name: i18n.Name(l), Dir: i18n.Dir(l), Current: l == current}
		for _, t := range texts {
			if t.Missing(l, s.DefaultLanguage) {
				c.Missing++
			}
		}
		out = append(out, c)
	}
	return out
}

// translationVersion fingerprints the texts of the table: their fields, the
// originals and the translations in lang. Other languages are left out, so
// two editors translating into two languages do not refuse each other.
func translationVersion(s *registry.Site, lang string) string {
	h := sha256.New()
	for _, t := range s.Translatables() {
		for _, part := range []string{t.Field, t.Text[s.DefaultLanguage], t.Text[lang]} {
			h.Write([]byte(part))
			h.Write([]byte{0})
		}
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// translationRows lists the texts there are to translate into lang: those
// with an original, and those with a translation still (an original since
// emptied), so it can be cleared.
func translationRows(pageLang string, s *registry.Site, lang string) ([]translationRow, int) {
	var rows []translationRow
	missing := 0
	for _, t := range s.Translatables() {
		src, tr := t.Text[s.DefaultLanguage], t.Text[lang]
		if strings.TrimSpace(src) == "" && tr == "" {
			continue
		}
		row := translationRow{Field: t.Field, Label: translationLabel(pageLang, t), Source: src, Translation: tr,
			ErrField: t.FieldIn(lang), Multiline: t.Multiline, Missing: t.Missing(lang, s.DefaultLanguage),
			OwnWording: t.OwnWording, HasSource: strings.TrimSpace(src) != ""}
		if row.Missing {
			missing++
		}
		rows = append(rows, row)
	}
	return rows, missing
}

// translationLabel says, in the back office's language, what a text is:
// "Catégorie « statistics » — nom".
func translationLabel(lang string, t registry.Translatable) string {
	kind, _, _ := strings.Cut(t.Field, "[")
	kind, _, _ = strings.Cut(kind, ".")
	part := t.Field[strings.LastIndexByte(t.Field, '.')+1:]
	return msg(lang, "translations.part."+kind+"."+part, "Of", t.Of)
}

func (a *Admin) translationsPage(w http.ResponseWriter, r *http.Request) (*page, *translationsData, error) {
	p, err := a.sitePage(w, r, "translations.title")
	if err != nil {
		return nil, nil, err
	}
	s := p.Site
	d := &translationsData{Default: s.DefaultLanguage, DefaultName: i18n.Name(s.DefaultLanguage), DefaultDir: i18n.Dir(s.DefaultLanguage)}
	if r.PathValue("lang") != "" {
		if d.Lang, err = translationLang(r, s); err != nil {
			return nil, nil, err
		}
		d.LangName, d.Dir = i18n.Name(d.Lang), i18n.Dir(d.Lang)
	}
	d.Languages = countMissing(s, d.Lang)
	p.Data = d
	return p, d, nil
}

// Translations shows the site's languages with their missing texts and,
// for one language, the table; readers see it without the form.
func (a *Admin) Translations(w http.ResponseWriter, r *http.Request) error {
	p, d, err := a.translationsPage(w, r)
	if err != nil {
		return err
	}
	if d.Lang != "" {
		d.Rows, d.Missing = translationRows(p.Lang, p.Site, d.Lang)
		d.Version = translationVersion(p.Site, d.Lang)
	}
	return a.render(w, "translations", p)
}

// SaveTranslations stores the form's texts in one language. The form names
// each text by its field ("t.categories[1].name") and carries the version
// of the texts it was made from: a field the site does not have is a
// forged form, another version means someone changed the texts meanwhile;
// either way nothing is stored.
func (a *Admin) SaveTranslations(w http.ResponseWriter, r *http.Request) error {
	p, d, err := a.translationsPage(w, r)
	if err != nil {
		return err
	}
	s := p.Site
	if err := r.ParseForm(); err != nil {
		return errorf(http.StatusBadRequest, "error.badform")
	}
	version := r.PostForm.Get("version")
	if version == "" {
		return errorf(http.StatusBadRequest, "error.badform")
	}
	texts := map[string]string{}
	for k, v := range r.PostForm {
		if f, ok := strings.CutPrefix(k, "t."); ok {
			if len(v) != 1 {
				return errorf(http.StatusBadRequest, "error.badform")
			}
			texts[f] = v[0]
		}
	}
	if version != translationVersion(s, d.Lang) {
		p.Message = msg(p.Lang, "translations.stale")
		d.Rows, d.Missing = translationRows(p.Lang, s, d.Lang)
		d.Version = translationVersion(s, d.Lang)
		return a.renderStatus(w, "translations", http.StatusConflict, p)
	}
	e, err := a.putTranslations(r, s, d.Lang, texts, nil)
	if err != nil {
		var he *httpError
		if errors.As(err, &he) && he.status == http.StatusUnprocessableEntity {
			return errorf(http.StatusBadRequest, "error.badform") // the form only names fields it was given
		}
		return err
	}
	path := sitePath(r, "translations/"+d.Lang)
	switch {
	case e.Problems != nil:
		// The texts as typed, with the problems beside them; the draft is
		// as it was.
		p.Problems = e.Problems
		d.Rows, d.Missing = translationRows(p.Lang, s, d.Lang)
		d.Version = version
		return a.renderStatus(w, "translations", http.StatusUnprocessableEntity, p)
	case e.Changed == 0:
		return seeOther(w, r, path, "flash.translations.unchanged")
	}
	return seeOther(w, r, path, "flash.saved")
}
