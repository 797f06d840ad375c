package web

import "github.com/charte/charte/internal/i18n"

// messages is the wording of the readiness probe, which operators and their
// monitoring read, not visitors: French and English, English for every
// other language. Visitors' wording is in the catalogue (internal/i18n).
var messages = i18n.Catalog{
	"ready.database": {"fr": "La base de données ne répond pas.", "en": "The database does not answer."},
	"ready.pending":  {"fr": "La base de données attend des migrations (charte db migrate) : %s", "en": "The database has pending migrations (charte db migrate): %s"},
}
