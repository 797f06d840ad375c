package charter

import "github.com/charte/charte/internal/i18n"

// messages is the charter's own wording. The registry supplies everything
// specific to a site; these texts explain cookies in general.
var messages = i18n.Catalog{
	"title": {"fr": "Charte cookies", "en": "Cookie charter"},
	"intro": {
		"fr": "Cette page explique quels cookies le site %s dépose dans votre navigateur, pourquoi, pour combien de temps, et lesquels demandent votre accord.",
		"en": "This page explains which cookies the site %s stores in your browser, why, for how long, and which of them need your consent.",
	},
	"what.title": {"fr": "Qu'est-ce qu'un cookie ?", "en": "What is a cookie?"},
	"what.body": {
		"fr": "Un cookie est un petit fichier texte, identifié par un nom, qu'un site web enregistre dans votre navigateur. Votre navigateur le conserve pendant une durée déterminée et le renvoie au site à chacune de vos visites. Les cookies servent par exemple à garder votre session ouverte, à mémoriser votre langue, ou à mesurer l'audience d'un site ; certains permettent aussi de suivre votre navigation à des fins statistiques ou publicitaires.",
		"en": "A cookie is a small named piece of text that a website stores in your browser. Your browser keeps it for a set time and sends it back to the site on each visit. Cookies keep you signed in, remember your language or measure a site's audience; some also make it possible to follow your browsing for statistics or advertising.",
	},
	"kinds.title": {"fr": "Les différents types de cookies", "en": "The kinds of cookies"},
	"kinds.necessary": {
		"fr": "<strong>Les cookies nécessaires</strong> font fonctionner le site : connexion, sécurité des formulaires, langue choisie, mémorisation de votre choix sur les cookies. Ils ne demandent pas votre consentement.",
		"en": "<strong>Necessary cookies</strong> make the site work: signing in, form security, the language you chose, remembering your cookie choice. They do not need your consent.",
	},
	"kinds.statistics": {
		"fr": "<strong>Les cookies statistiques</strong> mesurent la fréquentation du site. Ils sont dispensés de consentement seulement lorsque la mesure est anonyme et réservée au site lui-même ; sinon, ils ne sont déposés qu'avec votre accord.",
		"en": "<strong>Statistics cookies</strong> measure the site's audience. They are exempt from consent only when the measurement is anonymous and kept by the site itself; otherwise they are only set with your consent.",
	},
	"kinds.first": {
		"fr": "<strong>Les cookies internes</strong> (« first-party ») sont déposés par le site que vous visitez. Au-delà des cookies nécessaires, ils peuvent servir à collecter des données, suivre votre comportement ou à des fins publicitaires : ils demandent alors votre consentement.",
		"en": "<strong>First-party cookies</strong> are set by the site you are visiting. Beyond necessary cookies they can collect data, follow your behaviour or serve advertising, and then need your consent.",
	},
	"kinds.third": {
		"fr": "<strong>Les cookies tiers</strong> (« third-party ») sont déposés par un autre acteur (une plateforme vidéo, une régie publicitaire) sur le site que vous visitez. Ils lui permettent de savoir quelles pages vous avez vues et de vous reconnaître d'un site à l'autre : ils demandent toujours votre consentement.",
		"en": "<strong>Third-party cookies</strong> are set by someone else (a video platform, an advertising network) on the site you visit. They tell that party which pages you saw and let it recognise you across sites: they always need your consent.",
	},
	"used.title":     {"fr": "Les cookies utilisés sur %s", "en": "The cookies used on %s"},
	"col.provider":   {"fr": "Nom du prestataire", "en": "Provider"},
	"col.service":    {"fr": "Service et emplacement", "en": "Service and location"},
	"col.name":       {"fr": "Nom du cookie", "en": "Cookie name"},
	"col.purpose":    {"fr": "Finalités", "en": "Purpose"},
	"col.lifetime":   {"fr": "Durée de vie", "en": "Lifetime"},
	"col.party":      {"fr": "Interne ou tiers", "en": "First or third party"},
	"col.consent":    {"fr": "Consentement", "en": "Consent"},
	"party.first":    {"fr": "Interne", "en": "First party"},
	"party.third":    {"fr": "Tiers", "en": "Third party"},
	"consent.needed": {"fr": "Requis", "en": "Needed"},
	"consent.exempt": {"fr": "Exempté", "en": "Exempt"},
	"prefix":         {"fr": "(et tout cookie dont le nom commence ainsi)", "en": "(and every cookie whose name starts so)"},
	"domain":         {"fr": "domaine", "en": "domain"},
	"category.needed": {
		"fr": "Ces cookies ne sont déposés qu'avec votre consentement.",
		"en": "These cookies are only set with your consent.",
	},
	"category.exempt": {
		"fr": "Ces cookies sont dispensés de consentement.",
		"en": "These cookies are exempt from consent.",
	},
	"services.title": {"fr": "Services utilisés", "en": "Services used"},
	"service.vendor": {"fr": "Éditeur :", "en": "Vendor:"},
	"service.policy": {"fr": "Politique de confidentialité de %s", "en": "Privacy policy of %s"},
	"service.exempt": {
		"fr": "Conditions de l'exemption de consentement :",
		"en": "Conditions of the consent exemption:",
	},
	"partners.title": {"fr": "Nos partenaires", "en": "Our partners"},
	"partners.body": {
		"fr": "Ces tiers peuvent lire les cookies qu'ils déposent :",
		"en": "These third parties can read the cookies they set:",
	},
	"choice.title": {"fr": "Votre choix", "en": "Your choice"},
	"choice.body": {
		"fr": "Vous pouvez accepter ou refuser les cookies qui demandent votre consentement, catégorie par catégorie, et changer d'avis à tout moment. Votre choix est conservé %s, puis nous vous le redemandons.",
		"en": "You can accept or refuse the cookies that need your consent, category by category, and change your mind at any time. Your choice is kept for %s, after which we ask again.",
	},
	"choice.none": {
		"fr": "Aucun cookie de ce site ne demande votre consentement : il n'y a donc rien à accepter ni à refuser.",
		"en": "None of this site's cookies needs your consent, so there is nothing to accept or refuse.",
	},
	"manage":   {"fr": "Gérer mes cookies", "en": "Manage my cookies"},
	"revision": {"fr": "Version %s de la charte, publiée le %s.", "en": "Charter version %s, published on %s."},
	"revision.draft": {
		"fr": "Version %s de la charte (brouillon, non publiée).",
		"en": "Charter version %s (draft, not published).",
	},
	"lang.label":  {"fr": "Langue", "en": "Language"},
	"lang.submit": {"fr": "Changer", "en": "Change"},
	"lang.other":  {"fr": "Read in English", "en": "Lire en français"},
}
