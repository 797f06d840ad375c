package web

import "github.com/charte/charte/internal/i18n"

// messages is the wording of the web pages outside the charter and the back
// office, in every language charte speaks.
var messages = i18n.Catalog{
	"home.title": {"fr": "charte — chartes cookies", "en": "charte — cookie charters"},
	"home.intro": {
		"fr": "Ce serveur charte publie la charte cookies des sites suivants, leur registre en données ouvertes, et recueille les choix de leurs visiteurs.",
		"en": "This charte server publishes the cookie charter of the following sites, their registry as open data, and records their visitors' choices.",
	},
	"home.empty":       {"fr": "Aucun site n'est encore publié.", "en": "No site is published yet."},
	"home.charter":     {"fr": "Charte", "en": "Charter"},
	"home.json":        {"fr": "Registre JSON", "en": "JSON registry"},
	"home.demo":        {"fr": "Page de démonstration", "en": "Demo page"},
	"home.site":        {"fr": "Site", "en": "Site"},
	"home.links":       {"fr": "Liens", "en": "Links"},
	"home.admin":       {"fr": "Back office", "en": "Back office"},
	"notfound":         {"fr": "Cette page n'existe pas.", "en": "This page does not exist."},
	"site.unknown":     {"fr": "Site inconnu ou pas encore publié : %s", "en": "Unknown or not yet published site: %s"},
	"revision.unknown": {"fr": "Site inconnu ou révision jamais publiée : %s, %s", "en": "Unknown site or never published revision: %s, %s"},
	"banner.unknown":   {"fr": "Aucun bandeau %s n'a été servi pour la révision %[3]s de %[2]s", "en": "No banner %s was served for revision %[3]s of %[2]s"},
	"ready.database":   {"fr": "La base de données ne répond pas.", "en": "The database does not answer."},
	"ready.pending":    {"fr": "La base de données attend des migrations (charte db migrate) : %s", "en": "The database has pending migrations (charte db migrate): %s"},
	"error.back":       {"fr": "Retour à l'accueil", "en": "Back to the home page"},
}
