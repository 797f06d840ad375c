// Package charter renders a site's cookie charter — the policy page visitors
// read — as HTML, Markdown or JSON, in any of the catalogue's languages
// (internal/i18n), from its registry.
package charter

import (
	"net/url"
	"time"

	"github.com/charte/charte/internal/i18n"
	"github.com/charte/charte/registry"
	"github.com/charte/charte/services"
)

// Page is what a charter is rendered from.
type Page struct {
	Site *registry.Site
	// Revision is the published revision shown; PublishedAt is zero for a
	// draft preview.
	Revision    string
	PublishedAt time.Time
	Lang        string
	// BannerURL, when set, loads the banner so "Manage my cookies" works.
	BannerURL string
	// OtherLangURL links to the same charter in OtherLang (French or
	// English, whichever Lang is not, when OtherLang is empty).
	OtherLangURL string
	OtherLang    string
	// LanguageForm, when set, replaces that link by a language selector
	// posting to charte's /i18n/setlang, which remembers the choice in
	// django_language.
	LanguageForm *LanguageForm
}

// LanguageForm is the language selector of a charter served by charte.
type LanguageForm struct {
	Action    string   // /i18n/setlang
	Next      string   // the page to come back to
	CSRFToken string   // the csrfmiddlewaretoken field
	Languages []string // the site's languages
}

// view is the localized, render-ready form of a Page shared by every format.
type view struct {
	Lang, Dir, Title, Intro, SiteName, UsedTitle string
	Categories                                   []categoryView
	Partners                                     []string
	ChoiceText                                   string
	Revision                                     string
	PublishedAt                                  string
	RevisionLine                                 string
	BannerURL, OtherLangURL, OtherLang           string
	LanguageForm                                 *LanguageForm
	// DSFR adds the DSFR's classes (theme: dsfr), so the page takes the
	// official look wherever the DSFR's CSS is loaded.
	DSFR bool
	t    func(string) string
}

type categoryView struct {
	ID, Name, Description string
	NeedsConsent          bool
	ConsentNote           string
	// NameLang and DescriptionLang are set when the text is not in the
	// page's language (a fallback to the site's default): its lang.
	NameLang, DescriptionLang string
	Services                  []serviceView
	Cookies                   []cookieView
}

// serviceView is one ready-made service of the category: who receives the
// data, where, and the conditions of an exemption.
type serviceView struct {
	ID, Name, Description, Vendor, Country, CountryCode string
	// PrivacyPolicy is empty unless it is an https URL; PolicyLabel names
	// the service so every link on the page says where it leads.
	PrivacyPolicy, PolicyLabel string
	Exemption                  string
	Version                    int
}

type cookieView struct {
	Provider, Service, Name, Domain, Purpose, Lifetime, Party, Consent string
	Prefix, ThirdParty, NeedsConsent                                   bool
	// ServiceLang and PurposeLang are set for a fallback, as in
	// categoryView.
	ServiceLang, PurposeLang string
}

// text is an operator's text in lang, else in the site's default language,
// and the language it came in when that is not lang (for its lang
// attribute): never an empty cell for a missing translation.
func text(t registry.Text, lang, def string) (string, string) {
	s, in := t.InLang(lang, def)
	if in == lang {
		in = ""
	}
	return s, in
}

func newView(p Page) view {
	s, lang := p.Site, p.Lang
	t := func(key string) string { return i18n.T(lang, "charter."+key) }
	v := view{
		Lang: lang, Dir: i18n.Dir(lang), Title: t("title"), SiteName: s.Name,
		Intro:     i18n.T(lang, "charter.intro", "Site", s.Name),
		UsedTitle: i18n.T(lang, "charter.used.title", "Site", s.Name),
		Partners:  s.Providers(), Revision: p.Revision,
		BannerURL: p.BannerURL, OtherLangURL: p.OtherLangURL, OtherLang: p.OtherLang,
		LanguageForm: p.LanguageForm, t: t,
		DSFR: s.Theme == registry.ThemeDSFR,
	}
	if v.OtherLang == "" {
		v.OtherLang = map[bool]string{true: "en", false: "fr"}[lang == "fr"]
	}
	if p.PublishedAt.IsZero() {
		v.RevisionLine = i18n.T(lang, "charter.revision.draft", "Version", p.Revision)
	} else {
		v.PublishedAt = p.PublishedAt.UTC().Format(time.RFC3339)
		v.RevisionLine = i18n.T(lang, "charter.revision", "Version", p.Revision, "Date", i18n.Date(lang, p.PublishedAt))
	}
	if len(s.ConsentCategories()) == 0 {
		v.ChoiceText = t("choice.none")
	} else {
		v.ChoiceText = i18n.T(lang, "charter.choice.body", "Lifetime", s.ChoiceDuration().Localize(i18n.Lifetimes(lang)))
	}
	for _, c := range s.Categories {
		cv := categoryView{ID: c.ID, NeedsConsent: !c.Exempt}
		cv.Name, cv.NameLang = text(c.Name, lang, s.DefaultLanguage)
		cv.Description, cv.DescriptionLang = text(c.Description, lang, s.DefaultLanguage)
		cv.ConsentNote = t("category.exempt")
		if cv.NeedsConsent {
			cv.ConsentNote = t("category.needed")
		}
		for _, sv := range s.ServicesIn(c.ID) {
			cv.Services = append(cv.Services, newServiceView(sv, lang, s.DefaultLanguage))
		}
		for _, k := range s.CookiesIn(c.ID) {
			kv := cookieView{
				Provider: k.Provider, Name: k.BaseName(), Prefix: k.IsPrefix(), Domain: k.Domain,
				Lifetime: k.Lifetime.Localize(i18n.Lifetimes(lang)), ThirdParty: k.Party == registry.ThirdParty,
				Party: t("party.first"), Consent: t("consent.exempt"), NeedsConsent: cv.NeedsConsent,
			}
			kv.Service, kv.ServiceLang = text(k.Service, lang, s.DefaultLanguage)
			kv.Purpose, kv.PurposeLang = text(k.Purpose, lang, s.DefaultLanguage)
			if kv.ThirdParty {
				kv.Party = t("party.third")
			}
			if kv.NeedsConsent {
				kv.Consent = t("consent.needed")
			}
			cv.Cookies = append(cv.Cookies, kv)
		}
		if len(cv.Cookies) > 0 || len(cv.Services) > 0 {
			v.Categories = append(v.Categories, cv)
		}
	}
	return v
}
func newServiceView(sv registry.Service, lang, def string) serviceView {
	name := sv.Name.In(lang, def)
	if name == "" {
		name = sv.ID // a draft not yet expanded
	}
	v := serviceView{ID: sv.ID, Name: name, Description: sv.Description.In(lang, def), Vendor: sv.Vendor,
		CountryCode: sv.Country, Exemption: sv.Exemption.In(lang, def), Version: sv.Version,
		PolicyLabel: i18n.T(lang, "charter.service.policy", "Name", name)}
	if sv.Country != "" {
		v.Country = services.CountryName(sv.Country, lang)
	}
	if u, err := url.Parse(sv.PrivacyPolicy); err == nil && u.Scheme == "https" && u.Host != "" {
		v.PrivacyPolicy = u.String()
	}
	return v
}
