package admin

import (
	"net/http"

	"github.com/charte/charte/internal/httpx"
	"github.com/charte/charte/registry"
)

// apiTranslation is one text of the translations API.
type apiTranslation struct {
	Field       string `json:"field"`
	Source      string `json:"source"`
	Translation string `json:"translation"`
	Missing     bool   `json:"missing"`
	Multiline   bool   `json:"multiline"`
}

type apiTranslations struct {
	Language        string           `json:"language"`
	DefaultLanguage string           `json:"default_language"`
	Missing         int              `json:"missing"`
	Texts           []apiTranslation `json:"texts"`
}

func translationsJSON(s *registry.Site, lang string) apiTranslations {
	rows, missing := translationRows("en", s, lang)
	out := apiTranslations{Language: lang, DefaultLanguage: s.DefaultLanguage, Missing: missing, Texts: []apiTranslation{}}
	for _, r := range rows {
		out.Texts = append(out.Texts, apiTranslation{Field: r.Field, Source: r.Source, Translation: r.Translation, Missing: r.Missing, Multiline: r.Multiline})
	}
	return out
}

func (a *Admin) APITranslations(w http.ResponseWriter, r *http.Request) error {
	s, err := a.draft(r)
	if err != nil {
		return err
	}
	lang, err := translationLang(r, s)
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, translationsJSON(s, lang))
}

// APIPutTranslations sets the texts the body names, and only those.
func (a *Admin) APIPutTranslations(w http.ResponseWriter, r *http.Request) error {
	s, err := a.draft(r)
	if err != nil {
		return err
	}
	lang, err := translationLang(r, s)
	if err != nil {
		return err
	}
	var texts map[string]string
	if err := readJSON(r, &texts); err != nil {
		return err
	}
	e, err := a.putTranslations(r, s, lang, texts, viaAPI)
	if err != nil {
		return err
	}
	if e.Problems != nil {
		return problemsError(e.Problems)
	}
	return httpx.WriteJSON(w, http.StatusOK, translationsJSON(s, lang))
}
