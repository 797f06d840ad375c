package web

import (
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"net/url"
	"slices"

	"github.com/charte/charte/internal/i18n"
	"github.com/charte/charte/registry"
)

// demoTexts is the wording of the demo page, which plays a site that embeds
// the banner; the banner brings its own.
var demoTexts = i18n.Catalog{
	"title": {"fr": "Page de démonstration", "en": "Demo page"},
	"intro": {
		"fr": "Cette page joue le rôle d'un site qui intègre la bannière de charte comme le ferait un intégrateur, avec une seule balise. Avant votre choix, elle ne dépose aucun cookie soumis à consentement et n'exécute aucun script bloqué.",
		"en": "This page plays a site that embeds charte's banner as an integrator would, with one tag. Before you choose, it sets no cookie that needs consent and runs no blocked script.",
	},
	"tag":     {"fr": "La balise à copier dans vos pages :", "en": "The tag to copy into your pages:"},
	"manage":  {"fr": "Gérer mes cookies", "en": "Manage my cookies"},
	"charter": {"fr": "Charte cookies", "en": "Cookie charter"},
	"other":   {"fr": "English version", "en": "Version française"},
	"stats_h": {"fr": "Mesure d'audience (script bloqué)", "en": "Audience measurement (blocked script)"},
	"stats_off": {
		"fr": "Le script de mesure d'audience est bloqué : il ne s'exécute qu'avec votre accord.",
		"en": "The audience measurement script is blocked: it runs only with your consent.",
	},
	"stats_on": {
		"fr": "Le script de mesure d'audience s'est exécuté et a déposé ses cookies _pk_id et _pk_ses.",
		"en": "The audience measurement script ran and set its _pk_id and _pk_ses cookies.",
	},
	"video_h":     {"fr": "Vidéo intégrée (contenu tiers bloqué)", "en": "Embedded video (blocked third-party content)"},
	"video_title": {"fr": "Vidéo de démonstration", "en": "Demo video"},
	"video_body": {
		"fr": "Lecteur vidéo simulé. Sans accès à internet, charte joue ici l'hébergeur de la vidéo : ce cadre vient de déposer ses cookies.",
		"en": "Simulated video player. With no internet access, charte plays the video host here: this frame has just set its cookies.",
	},
	"cookies_h": {"fr": "Les cookies de cette page, en direct", "en": "This page's cookies, live"},
	"cookies_none": {
		"fr": "Aucun cookie lisible par script.",
		"en": "No cookie readable by script.",
	},
	"cookies_note": {
		"fr": "La liste suit document.cookie : les cookies HttpOnly, comme sessionid, n'y figurent pas.",
		"en": "The list follows document.cookie: HttpOnly cookies, such as sessionid, are not in it.",
	},
}

func (s *Server) demoPage(w http.ResponseWriter, r *http.Request) error {
	rev, err := s.published(r, s.lang(r, nil))
	if err != nil {
		return err
	}
	site := rev.Site
	lang := s.lang(r, site.Languages)
	base := s.bannerOptions(r).APIBase
	id := url.PathEscape(site.ID)
	banner := base + "/sites/" + id + "/banner.js"
	// The page's own wording is French and English; in the site's other
	// languages it reads in English, said so by its lang, while the banner
	// (which the tag asks for by name) speaks the visitor's language.
	page := wordingLang(lang)
	other := map[string]string{"fr": "en", "en": "fr"}[page]
	h := w.Header()
	// The policy issue 3 asks the banner to work under, with no inline
	// script or style at all: the page proves it does.
	h.Set("Content-Security-Policy", "default-src 'none'; script-src 'self' "+base+"; style-src 'self' "+base+
		"; connect-src 'self' "+base+"; frame-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-cache")
	h.Set("Vary", "Cookie, Accept-Language")
	return s.pages.ExecuteTemplate(w, "demo.html", map[string]any{
		"Lang":       page,
		"Site":       site,
		"T":          demoWording(page),
		"BannerURL":  banner + "?lang=" + lang,
		"Tag":        `<script src="` + banner + `" defer></script>`,
		"CharterURL": "/sites/" + id + "/charter?lang=" + lang,
		"VideoURL":   "/sites/" + id + "/demo/video?lang=" + lang,
		"OtherURL":   "?lang=" + other,
		"Other":      slices.Contains(site.Languages, other),
		"Stats":      asksConsent(site, "statistics"),
		"Video":      asksConsent(site, "marketing"),
	})
}

// demoVideo stands in for a video host: it sets the site's declared
// marketing cookies, as an embedded player would, so the demo shows them
// arrive with consent and leave with its withdrawal.
func (s *Server) demoVideo(w http.ResponseWriter, r *http.Request) error {
	rev, err := s.published(r, s.lang(r, nil))
	if err != nil {
		return err
	}
	lang := s.lang(r, rev.Site.Languages)
	for _, c := range rev.Site.CookiesIn("marketing") {
		life, _ := c.Lifetime.Duration()
		http.SetCookie(w, &http.Cookie{Name: c.BaseName() + demoSuffix(c), Value: demoValue(), Path: "/",
			MaxAge: int(life.Seconds()), SameSite: http.SameSiteLaxMode, Secure: s.secure()})
	}
	h := w.Header()
	h.Del("X-Frame-Options") // framed by the demo page, on this origin only:
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'self'; frame-ancestors 'self'; base-uri 'none'")
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	page := wordingLang(lang)
	return s.pages.ExecuteTemplate(w, "demo-video.html", map[string]any{"Lang": page, "T": demoWording(page)})
}

// demoSuffix completes a prefix-declared cookie's name, as trackers do.
func demoSuffix(c registry.Cookie) string {
	if c.IsPrefix() {
		return ".demo"
	}
	return ""
}

// wordingLang is the language the demo page's own texts come in.
func wordingLang(lang string) string {
	if lang == "fr" {
		return "fr"
	}
	return "en"
}

func demoWording(lang string) map[string]string {
	out := make(map[string]string, len(demoTexts))
	for k := range demoTexts {
		out[k] = demoTexts.T(lang, k)
	}
	return out
}

// asksConsent reports whether the site has that category and it needs
// consent: only then does the demo block content behind it.
func asksConsent(site *registry.Site, category string) bool {
	_, ok := site.Category(category)
	return ok && site.NeedsConsent(category)
}

// demoValue is a random cookie value, like a tracker's visitor id.
func demoValue() string {
	b := make([]byte, 8)
	rand.Read(b)
	return hex.EncodeToString(b)
}
