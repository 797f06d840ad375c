// Package charter renders a site's cookie charter — the policy page visitors
// read — as HTML, Markdown or JSON, in French or English, from its registry.
package charter

import (
	"fmt"
	"net/url"
	"time"

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
	// OtherLangURL links to the same charter in the other language.
	OtherLangURL string
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
	Lang, Title, Intro, SiteName, UsedTitle string
	Categories                              []categoryView
	Partners                                []string
	ChoiceText                              string
	Revision                                string
	PublishedAt                             string
	RevisionLine                            string
	BannerURL, OtherLangURL                 string
	LanguageForm                            *LanguageForm
	// DSFR adds the DSFR's classes (theme: dsfr), so the page takes the
	// official look wherever the DSFR's CSS is loaded.
	DSFR bool
	t    func(string) string
}

type categoryView struct {
	ID, Name, Description string
	NeedsConsent          bool
	ConsentNote           string
	Services              []serviceView
	Cookies               []cookieView
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
}

func newView(p Page) view {
	s, lang := p.Site, p.Lang
	t := func(key string) string { return messages.T(lang, key) }
	v := view{
		Lang: lang, Title: t("title"), SiteName: s.Name,
		Intro: fmt.Sprintf(t("intro"), s.Name), UsedTitle: fmt.Sprintf(t("used.title"), s.Name),
		Partners: s.Providers(), Revision: p.Revision,
		BannerURL: p.BannerURL, OtherLangURL: p.OtherLangURL, LanguageForm: p.LanguageForm, t: t,
		DSFR: s.Theme == registry.ThemeDSFR,
	}
	if p.PublishedAt.IsZero() {
		v.RevisionLine = fmt.Sprintf(t("revision.draft"), p.Revision)
	} else {
		v.PublishedAt = p.PublishedAt.UTC().Format(time.RFC3339)
		v.RevisionLine = fmt.Sprintf(t("revision"), p.Revision, formatDate(p.PublishedAt, lang))
	}
	if len(s.ConsentCategories()) == 0 {
		v.ChoiceText = t("choice.none")
	} else {
		v.ChoiceText = fmt.Sprintf(t("choice.body"), s.ChoiceDuration().Localized(lang))
	}
	for _, c := range s.Categories {
		cv := categoryView{
			ID: c.ID, Name: c.Name.In(lang, s.DefaultLanguage),
			Description:  c.Description.In(lang, s.DefaultLanguage),
			NeedsConsent: !c.Exempt,
		}
		cv.ConsentNote = t("category.exempt")
		if cv.NeedsConsent {
			cv.ConsentNote = t("category.needed")
		}
		for _, sv := range s.ServicesIn(c.ID) {
			cv.Services = append(cv.Services, newServiceView(sv, lang, s.DefaultLanguage, t))
		}
		for _, k := range s.CookiesIn(c.ID) {
			kv := cookieView{
				Provider: k.Provider, Service: k.Service.In(lang, s.DefaultLanguage),
				Name: k.BaseName(), Prefix: k.IsPrefix(), Domain: k.Domain,
				Purpose:  k.Purpose.In(lang, s.DefaultLanguage),
				Lifetime: k.Lifetime.Localized(lang), ThirdParty: k.Party == registry.ThirdParty,
				Party: t("party.first"), Consent: t("consent.exempt"), NeedsConsent: cv.NeedsConsent,
			}
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

func newServiceView(sv registry.Service, lang, def string, t func(string) string) serviceView {
	name := sv.Name.In(lang, def)
	if name == "" {
		name = sv.ID // a draft not yet expanded
	}
	v := serviceView{ID: sv.ID, Name: name, Description: sv.Description.In(lang, def), Vendor: sv.Vendor,
		CountryCode: sv.Country, Exemption: sv.Exemption.In(lang, def), Version: sv.Version,
		PolicyLabel: fmt.Sprintf(t("service.policy"), name)}
	if sv.Country != "" {
		v.Country = services.CountryName(sv.Country, lang)
	}
	if u, err := url.Parse(sv.PrivacyPolicy); err == nil && u.Scheme == "https" && u.Host != "" {
		v.PrivacyPolicy = u.String()
	}
	return v
}

var frMonths = [...]string{"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"}

func formatDate(t time.Time, lang string) string {
	t = t.UTC()
	if lang == "fr" {
		return fmt.Sprintf("%d %s %d", t.Day(), frMonths[t.Month()-1], t.Year())
	}
	return t.Format("2 January 2006")
}
