package scan

import (
	"strings"

	"github.com/charte/charte/registry"
)

// Known is one entry of charte's own list of well-known cookies: what the
// scanner can say about a cookie the registry does not declare, without any
// external database.
type Known struct {
	// Name is exact, or a prefix with a trailing star, as in a registry.
	Name   string
	Vendor string
	// Category is one of charte's category ids.
	Category string
	// Domain, when set, must match the cookie's domain too: short or generic
	// names ("fr", "PREF", "IDE") mean something only on their owner's domain.
	Domain  string
	Purpose registry.Text
}

// The category ids the built-in list and the cookie database map to.
const (
	catNecessary   = "necessary"
	catStatistics  = "statistics"
	catPreferences = "preferences"
	catMarketing   = "marketing"
)

func txt(en, fr string) registry.Text { return registry.Text{"en": en, "fr": fr} }

// knownCookies is deliberately short: the cookies a public site meets most,
// each with a purpose an operator can paste into a registry draft.
var knownCookies = []Known{
	// Analytics.
	{Name: "_ga", Vendor: "Google Analytics", Category: catStatistics, Purpose: txt("Distinguish visitors to measure audience.", "Distinguer les visiteurs pour mesurer l'audience.")},
	{Name: "_ga_*", Vendor: "Google Analytics", Category: catStatistics, Purpose: txt("Keep the state of a Google Analytics 4 session.", "Conserver l'état d'une session Google Analytics 4.")},
	{Name: "_gid", Vendor: "Google Analytics", Category: catStatistics, Purpose: txt("Distinguish visitors over one day.", "Distinguer les visiteurs sur une journée.")},
	{Name: "_gat*", Vendor: "Google Analytics", Category: catStatistics, Purpose: txt("Throttle the request rate to Google Analytics.", "Limiter le débit des requêtes vers Google Analytics.")},
	{Name: "_pk_id*", Vendor: "Matomo", Category: catStatistics, Purpose: txt("Recognise a returning visitor to count unique visits.", "Reconnaître un visiteur qui revient pour compter les visites uniques.")},
	{Name: "_pk_ses*", Vendor: "Matomo", Category: catStatistics, Purpose: txt("Group the pages viewed during one visit.", "Regrouper les pages vues pendant une même visite.")},
	{Name: "_pk_ref*", Vendor: "Matomo", Category: catStatistics, Purpose: txt("Remember the site the visitor came from.", "Retenir le site d'où vient le visiteur.")},
	{Name: "MATOMO_SESSID", Vendor: "Matomo", Category: catNecessary, Purpose: txt("Protect Matomo's opt-out form and back office.", "Protéger le formulaire d'opposition et l'administration de Matomo.")},
	{Name: "_hjSession*", Vendor: "Hotjar", Category: catStatistics, Purpose: txt("Group the recordings of one visit.", "Regrouper les enregistrements d'une même visite.")},
	{Name: "_hjid", Vendor: "Hotjar", Category: catStatistics, Purpose: txt("Recognise a returning visitor.", "Reconnaître un visiteur qui revient.")},
	{Name: "_hjSessionUser*", Vendor: "Hotjar", Category: catStatistics, Purpose: txt("Recognise a returning visitor.", "Reconnaître un visiteur qui revient.")},
	// Advertising and social networks.
	{Name: "_fbp", Vendor: "Meta (Facebook)", Category: catMarketing, Purpose: txt("Identify the browser for Meta advertising.", "Identifier le navigateur pour la publicité de Meta.")},
	{Name: "fr", Vendor: "Meta (Facebook)", Domain: "facebook.com", Category: catMarketing, Purpose: txt("Target and measure Meta advertising.", "Cibler et mesurer la publicité de Meta.")},
	{Name: "IDE", Vendor: "Google Ads (DoubleClick)", Domain: "doubleclick.net", Category: catMarketing, Purpose: txt("Target and measure advertising across sites.", "Cibler et mesurer la publicité d'un site à l'autre.")},
	{Name: "test_cookie", Vendor: "Google Ads (DoubleClick)", Domain: "doubleclick.net", Category: catMarketing, Purpose: txt("Check whether the browser accepts cookies.", "Vérifier que le navigateur accepte les cookies.")},
	{Name: "_gcl_au", Vendor: "Google Ads", Category: catMarketing, Purpose: txt("Measure conversions from Google Ads.", "Mesurer les conversions issues de Google Ads.")},
	{Name: "bcookie", Vendor: "LinkedIn", Domain: "linkedin.com", Category: catMarketing, Purpose: txt("Identify the browser across LinkedIn services.", "Identifier le navigateur sur les services de LinkedIn.")},
	{Name: "li_gc", Vendor: "LinkedIn", Domain: "linkedin.com", Category: catNecessary, Purpose: txt("Store the visitor's consent for LinkedIn cookies.", "Conserver le consentement du visiteur aux cookies de LinkedIn.")},
	{Name: "lidc", Vendor: "LinkedIn", Domain: "linkedin.com", Category: catMarketing, Purpose: txt("Route requests to a LinkedIn data centre.", "Orienter les requêtes vers un centre de données de LinkedIn.")},
	{Name: "__hstc", Vendor: "HubSpot", Category: catMarketing, Purpose: txt("Track visits for HubSpot marketing.", "Suivre les visites pour le marketing de HubSpot.")},
	{Name: "hubspotutk", Vendor: "HubSpot", Category: catMarketing, Purpose: txt("Identify the visitor for HubSpot forms and marketing.", "Identifier le visiteur pour les formulaires et le marketing de HubSpot.")},
	// Embedded video.
	{Name: "VISITOR_INFO1_LIVE", Vendor: "YouTube (Google)", Domain: "youtube.com", Category: catMarketing, Purpose: txt("Estimate bandwidth and profile the visitor for advertising.", "Estimer la bande passante et profiler le visiteur à des fins publicitaires.")},
	{Name: "YSC", Vendor: "YouTube (Google)", Domain: "youtube.com", Category: catMarketing, Purpose: txt("Count the videos the visitor watched.", "Compter les vidéos regardées par le visiteur.")},
	{Name: "PREF", Vendor: "YouTube (Google)", Domain: "youtube.com", Category: catMarketing, Purpose: txt("Remember the player's preferences.", "Retenir les préférences du lecteur.")},
	{Name: "vuid", Vendor: "Vimeo", Domain: "vimeo.com", Category: catStatistics, Purpose: txt("Measure the videos watched for Vimeo.", "Mesurer les vidéos regardées pour Vimeo.")},
	// Chat and support.
	{Name: "intercom-*", Vendor: "Intercom", Category: catPreferences, Purpose: txt("Keep the support chat's conversation.", "Conserver la conversation du chat d'assistance.")},
	{Name: "crisp-client*", Vendor: "Crisp", Category: catPreferences, Purpose: txt("Keep the support chat's conversation.", "Conserver la conversation du chat d'assistance.")},
	// CDN, protection and payment.
	{Name: "__cf_bm", Vendor: "Cloudflare", Category: catNecessary, Purpose: txt("Tell humans from bots.", "Distinguer les humains des robots.")},
	{Name: "cf_clearance", Vendor: "Cloudflare", Category: catNecessary, Purpose: txt("Remember a passed security challenge.", "Retenir un contrôle de sécurité réussi.")},
	{Name: "__stripe_mid", Vendor: "Stripe", Category: catNecessary, Purpose: txt("Prevent payment fraud.", "Prévenir la fraude au paiement.")},
	{Name: "__stripe_sid", Vendor: "Stripe", Category: catNecessary, Purpose: txt("Prevent payment fraud during one visit.", "Prévenir la fraude au paiement pendant une visite.")},
	// Web frameworks.
	{Name: "sessionid", Vendor: "Django", Category: catNecessary, Purpose: txt("Remember the user from one page to the next.", "Se souvenir de l'utilisateur d'une page à une autre.")},
	{Name: "csrftoken", Vendor: "Django", Category: catNecessary, Purpose: txt("Protect forms and API calls against cross-site request forgery.", "Protéger les formulaires et les appels API contre la falsification de requêtes.")},
	{Name: "django_language", Vendor: "Django", Category: catNecessary, Purpose: txt("Remember the language the visitor chose.", "Se souvenir de la langue choisie par le visiteur.")},
	{Name: "PHPSESSID", Vendor: "PHP", Category: catNecessary, Purpose: txt("Keep the visitor's server-side session.", "Conserver la session du visiteur côté serveur.")},
	{Name: "JSESSIONID", Vendor: "Java (servlet)", Category: catNecessary, Purpose: txt("Keep the visitor's server-side session.", "Conserver la session du visiteur côté serveur.")},
	{Name: "ASP.NET_SessionId", Vendor: "ASP.NET", Category: catNecessary, Purpose: txt("Keep the visitor's server-side session.", "Conserver la session du visiteur côté serveur.")},
	{Name: "laravel_session", Vendor: "Laravel", Category: catNecessary, Purpose: txt("Keep the visitor's server-side session.", "Conserver la session du visiteur côté serveur.")},
	{Name: "XSRF-TOKEN", Vendor: "Laravel / Angular", Category: catNecessary, Purpose: txt("Protect forms against cross-site request forgery.", "Protéger les formulaires contre la falsification de requêtes.")},
	// Consent tools: storing the choice itself is exempt.
	{Name: "cookies_preferences", Vendor: "charte", Category: catNecessary, Purpose: txt("Remember the visitor's cookie choice.", "Se souvenir du choix du visiteur concernant les cookies.")},
	{Name: "tarteaucitron", Vendor: "tarteaucitron.js", Category: catNecessary, Purpose: txt("Remember the visitor's cookie choice.", "Se souvenir du choix du visiteur concernant les cookies.")},
	{Name: "cc_cookie", Vendor: "CookieConsent (orestbida)", Category: catNecessary, Purpose: txt("Remember the visitor's cookie choice.", "Se souvenir du choix du visiteur concernant les cookies.")},
	{Name: "CookieConsent", Vendor: "Cookiebot", Category: catNecessary, Purpose: txt("Remember the visitor's cookie choice.", "Se souvenir du choix du visiteur concernant les cookies.")},
	{Name: "didomi_token", Vendor: "Didomi", Category: catNecessary, Purpose: txt("Remember the visitor's cookie choice.", "Se souvenir du choix du visiteur concernant les cookies.")},
	{Name: "axeptio_*", Vendor: "Axeptio", Category: catNecessary, Purpose: txt("Remember the visitor's cookie choice.", "Se souvenir du choix du visiteur concernant les cookies.")},
	{Name: "euconsent-v2", Vendor: "IAB TCF", Category: catNecessary, Purpose: txt("Remember the visitor's advertising consent (TCF string).", "Conserver le consentement publicitaire du visiteur (chaîne TCF).")},
}

// lookupKnown finds a built-in entry the way registry.Site.Match does: an
// exact name wins over a prefix, a longer prefix over a shorter one, and an
// entry with a domain only matches cookies of that domain.
func lookupKnown(name, domain string) (Known, bool) {
	best, bestLen := Known{}, -1
	for _, k := range knownCookies {
		if k.Domain != "" && !domainWithin(domain, k.Domain) {
			continue
		}
		base, prefix := strings.CutSuffix(k.Name, "*")
		switch {
		case !prefix && base == name:
			return k, true
		case prefix && strings.HasPrefix(name, base) && len(base) > bestLen:
			best, bestLen = k, len(base)
		}
	}
	return best, bestLen >= 0
}

// domainWithin reports whether host is domain or one of its subdomains,
// ignoring leading dots and case. Unlike registry.DomainMatches, an empty
// host matches nothing: a database entry tied to a domain must not claim a
// cookie whose domain is unknown.
func domainWithin(host, domain string) bool {
	h := strings.ToLower(strings.TrimPrefix(host, "."))
	d := strings.ToLower(strings.TrimPrefix(domain, "."))
	if h == "" || d == "" {
		return false
	}
	return h == d || strings.HasSuffix(h, "."+d)
}
