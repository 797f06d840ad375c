package scan

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/charte/charte/internal/i18n"
	"github.com/charte/charte/registry"
	"github.com/charte/charte/services"
)

// messages is every word of a report, in English and French. A missing
// translation shows the key, which a test catches.
var messages = map[string][2]string{ // key → {en, fr}
	"title":            {"Cookie scan of %s", "Analyse des cookies de %s"},
	"site":             {"Registry", "Registre"},
	"no-registry":      {"none: cookies checked against charte's built-in list only", "aucun : cookies comparés à la seule liste intégrée de charte"},
	"scanned-at":       {"Scanned", "Analysé le"},
	"duration":         {"Duration", "Durée"},
	"browser":          {"Browser", "Navigateur"},
	"pages":            {"Pages visited", "Pages visitées"},
	"banner":           {"Banner", "Bandeau"},
	"banner-charte":    {"charte's banner", "bandeau de charte"},
	"banner-other":     {"another banner, found by its buttons", "un autre bandeau, trouvé par ses boutons"},
	"banner-none":      {"none found", "aucun trouvé"},
	"banner-shot":      {"The page as a visitor first sees it", "La page telle qu'un visiteur la voit en arrivant"},
	"findings":         {"Findings", "Constats"},
	"no-findings":      {"No finding: the site matches its registry.", "Aucun constat : le site est conforme à son registre."},
	"summary":          {"Summary", "Synthèse"},
	"pass":             {"Pass", "Passage"},
	"pass-arrival":     {"Arrival (no choice made)", "Arrivée (aucun choix)"},
	"pass-refuse":      {"After \"reject all\"", "Après « Tout refuser »"},
	"pass-accept":      {"After \"accept all\"", "Après « Tout accepter »"},
	"consent-by":       {"Choice made with", "Choix fait avec"},
	"consent-none":     {"no button to choose was found", "aucun bouton pour choisir n'a été trouvé"},
	"cookies":          {"Cookies", "Cookies"},
	"storage":          {"Web storage", "Stockage web"},
	"hosts":            {"Third-party hosts contacted", "Hôtes tiers contactés"},
	"none":             {"none", "aucun"},
	"col-severity":     {"Severity", "Gravité"},
	"col-kind":         {"Kind", "Type"},
	"col-finding":      {"Finding", "Constat"},
	"col-name":         {"Name", "Nom"},
	"col-domain":       {"Domain", "Domaine"},
	"col-lifetime":     {"Lifetime", "Durée de vie"},
	"col-flags":        {"Flags", "Attributs"},
	"col-party":        {"Party", "Origine"},
	"col-vendor":       {"Vendor", "Fournisseur"},
	"col-category":     {"Category", "Catégorie"},
	"col-source":       {"Known from", "Connu par"},
	"col-note":         {"Note", "Remarque"},
	"set-removed":      {"set then removed (by %s, on %s)", "déposé puis supprimé (par %s, sur %s)"},
	"by-response":      {"a response", "une réponse"},
	"by-script":        {"script", "script"},
	"col-origin":       {"Origin", "Origine"},
	"col-storage-kind": {"Storage", "Stockage"},
	"col-key":          {"Key", "Clé"},
	"col-host":         {"Host", "Hôte"},
	"col-requests":     {"Requests", "Requêtes"},
	"col-declared":     {"Declared", "Déclaré"},
	"col-status":       {"Status", "Statut"},
	"col-page":         {"Page", "Page"},
	"yes":              {"yes", "oui"},
	"no":               {"no", "non"},
	"first":            {"first", "interne"},
	"third":            {"third", "tiers"},
	"session":          {"session", "session"},
	"local":            {"localStorage", "localStorage"},
	"sessionstorage":   {"sessionStorage", "sessionStorage"},
	"high":             {"high", "élevée"},
	"medium":           {"medium", "moyenne"},
	"info":             {"info", "info"},
	"src-registry":     {"registry", "registre"},
	"src-builtin":      {"charte's list", "liste de charte"},
	"src-cookie-db":    {"Open Cookie Database", "Open Cookie Database"},
	"src-unknown":      {"unknown", "inconnu"},
	"in-passes":        {"passes", "passages"},
	"unknown-vendor":   {"unknown vendor", "fournisseur inconnu"},
	// Finding messages: %[1]s subject name, %[2]s domain, %[3]s passes,
	// %[4]s vendor/category, %[5]s lifetime, %[6]s declared lifetime,
	// %[7]s page, %[8]s dialog text, %[9]d count, %[10]s address. Explicit indexes
	// let a message leave arguments out without fmt complaining.
	"preconsent-cookie":           {"Cookie %[1]s (%[2]s, %[4]s) needs consent but is present %[3]s.", "Le cookie %[1]s (%[2]s, %[4]s) requiert un consentement mais est présent %[3]s."},
	"preconsent-cookie-transient": {"Cookie %[1]s (%[2]s, %[4]s) needs consent but was set %[3]s, then removed before the end of the pass: it was stored, sent and readable all the same.", "Le cookie %[1]s (%[2]s, %[4]s) requiert un consentement mais a été déposé %[3]s, puis supprimé avant la fin du passage : il a bien été stocké, envoyé et lisible entre-temps."},
	"transient-note":              {" It was set then removed during the pass.", " Il a été déposé puis supprimé pendant le passage."},
	"preconsent-storage":          {"Storage key %[1]s (%[2]s, %[4]s) needs consent but is present %[3]s.", "La clé de stockage %[1]s (%[2]s, %[4]s) requiert un consentement mais est présente %[3]s."},
	"undeclared":                  {"Cookie %[1]s (%[2]s, %[4]s) is not declared in the registry; seen %[3]s.", "Le cookie %[1]s (%[2]s, %[4]s) n'est pas déclaré dans le registre ; vu %[3]s."},
	"lifetime-max":                {"Cookie %[1]s (%[2]s) lives %[5]s, more than the 13 months the CNIL allows.", "Le cookie %[1]s (%[2]s) dure %[5]s, plus que les 13 mois admis par la CNIL."},
	"lifetime-declared":           {"Cookie %[1]s (%[2]s) lives %[5]s, longer than the %[6]s declared.", "Le cookie %[1]s (%[2]s) dure %[5]s, plus que les %[6]s déclarés."},
	"unseen":                      {"Declared cookie %[1]s (%[4]s) was not observed in any pass (it may need a login or a choice).", "Le cookie déclaré %[1]s (%[4]s) n'a été observé dans aucun passage (il peut exiger une connexion ou un choix)."},
	"third-party":                 {"Third-party host %[2]s was contacted %[3]s and is not named in the registry.", "L'hôte tiers %[2]s a été contacté %[3]s et n'est pas nommé dans le registre."},
	"no-banner":                   {"No button to refuse cookies was found: the refuse pass made no choice.", "Aucun bouton pour refuser les cookies n'a été trouvé : le passage « refus » n'a fait aucun choix."},
	"unresponsive-load":           {"Page %[7]s did not finish loading in time (%[3]s); it was read as it stood and the scan went on.", "La page %[7]s n'a pas fini de se charger à temps (%[3]s) ; elle a été lue en l'état et l'analyse a continué."},
	"unresponsive-script":         {"Page %[7]s stopped answering (a script kept it busy, %[3]s); what it stores may be missing from this report. The scan went on in a new tab.", "La page %[7]s a cessé de répondre (un script l'occupait, %[3]s) ; ce qu'elle stocke peut manquer à ce rapport. L'analyse a continué dans un nouvel onglet."},
	"dialog":                      {"Page %[7]s opened a JavaScript %[1]s dialog (%[3]s, %[9]d times): “%[8]s”. The scanner dismissed it.", "La page %[7]s a ouvert une boîte de dialogue JavaScript %[1]s (%[3]s, %[9]d fois) : « %[8]s ». L'analyseur l'a fermée."},
	"blocked":                     {"A request to %[2]s (%[10]s, a %[1]s address) was blocked %[3]s (%[9]d times): scans from the back office reach only public addresses.", "Une requête vers %[2]s (%[10]s, adresse %[1]s) a été bloquée %[3]s (%[9]d fois) : les analyses du back-office n'atteignent que des adresses publiques."},
	"early-script":                {"The script %[1]s (%[4]s) needs consent but was left free to run %[3]s on %[7]s: hold it with type=\"text/plain\" data-charte, have the banner block it (blocking: observe in the registry) or serve the site through charte proxy.", "Le script %[1]s (%[4]s) requiert un consentement mais a pu s'exécuter %[3]s sur %[7]s : retenez-le avec type=\"text/plain\" data-charte, faites-le bloquer par le bandeau (blocking: observe dans le registre) ou servez le site à travers charte proxy."},
	"early-script-banner":         {"The script %[1]s (%[4]s) needs consent but ran %[3]s on %[7]s, before the banner: it stands before charte's banner tag, and nothing can stop what the browser ran before that tag. Move the banner tag first in <head>, or serve the site through charte proxy.", "Le script %[1]s (%[4]s) requiert un consentement mais s'est exécuté %[3]s sur %[7]s, avant le bandeau : il précède la balise du bandeau de charte, et rien ne peut arrêter ce que le navigateur a exécuté avant elle. Placez la balise du bandeau en premier dans <head>, ou servez le site à travers charte proxy."},
	"inline-snippet":              {"an inline snippet", "un extrait en ligne"},
	"addr-loopback":               {"loopback", "de boucle locale"},
	"addr-private":                {"private", "privée"},
	"addr-link-local":             {"link-local", "lien-local"},
	"addr-unique-local":           {"unique-local", "locale unique"},
	"addr-unspecified":            {"unspecified", "non spécifiée"},
	"addr-multicast":              {"multicast", "multicast"},
	"addr-reserved":               {"reserved", "réservée"},
	"service-note":                {" Recognised service: %s (charte services show %s).", " Service reconnu : %s (charte services show %s)."},
	"services":                    {"Services recognised", "Services reconnus"},
	"col-service":                 {"Service", "Service"},
	"col-url":                     {"First matching URL", "Première URL reconnue"},
	"src-service":                 {"service catalogue", "catalogue de services"},
	"when-arrival":                {"on arrival, before any choice", "à l'arrivée, avant tout choix"},
	"when-refuse":                 {"after \"reject all\"", "après « Tout refuser »"},
	"when-accept":                 {"after \"accept all\"", "après « Tout accepter »"},
}

// T returns the text of key in lang ("fr" or anything else for English).
func T(lang, key string) string {
	m, ok := messages[key]
	if !ok {
		return key
	}
	if lang == "fr" {
		return m[1]
	}
	return m[0]
}

// Message is the finding as a sentence an operator reads, in lang.
func (f Finding) Message(lang string) string {
	if f.Kind == KindNoBanner {
		return T(lang, KindNoBanner)
	}
	var whens []string
	for _, p := range f.Passes {
		whens = append(whens, T(lang, "when-"+p))
	}
	and := " and "
	if lang == "fr" {
		and = " et "
	}
	what := f.Vendor
	if what == "" {
		what = T(lang, "unknown-vendor")
	}
	if f.Category != "" {
		what += ", " + f.Category
	}
	life := HumanLifetime(f.LifetimeSeconds, lang)
	declared := f.DeclaredLife.Localize(i18n.Lifetimes(lang))
	key := f.Kind
	note := ""
	name := f.Name
	switch f.Kind {
	case KindBlocked:
		// The kind of address, in the reader's language.
		if _, ok := messages["addr-"+f.Name]; ok {
			name = T(lang, "addr-"+f.Name)
		}
	case KindEarlyScript:
		if f.BeforeBanner {
			key += "-banner"
		}
		if name == "" {
			name = T(lang, "inline-snippet")
		}
	case KindPreconsent:
		key += "-" + f.Subject
		if f.Transient {
			key += "-transient"
		}
	case KindUndeclared:
		if f.Transient {
			note = T(lang, "transient-note")
		}
	case KindUnresponsive:
		// A page that loaded but stopped answering is the general case.
		key += "-" + UnresponsiveScript
		if f.Name == UnresponsiveLoad {
			key = KindUnresponsive + "-" + UnresponsiveLoad
		}
	case KindLifetime:
		if f.Transient {
			note = T(lang, "transient-note")
		}
		key = "lifetime-max"
		observed := time.Duration(f.LifetimeSeconds) * time.Second
		if d, err := f.DeclaredLife.Duration(); err == nil && f.DeclaredLife != "" && observed > d+lifetimeSlack(d) {
			key = "lifetime-declared"
		}
	}
	if f.Service != "" {
		note += fmt.Sprintf(T(lang, "service-note"), ServiceName(f.Service, lang), f.Service)
	}
	return fmt.Sprintf(T(lang, key), name, f.Domain, strings.Join(whens, and), what, life, declared, f.Page, f.Text, f.Count, f.Address) + note
}

// ServiceName is a recipe's name in lang, or its id for a recipe the
// catalogue no longer has (an old stored report).
func ServiceName(id, lang string) string {
	if r, ok := services.Builtin().Get(id); ok {
		return r.Name.In(lang, "en")
	}
	return id
}

// lifetimeUnits are the units a lifetime is written in, largest first, with
// the smallest length from which each is used.
var lifetimeUnits = []struct {
	unit string
	size time.Duration
	from time.Duration
}{
	{"year", 365*24*time.Hour + 6*time.Hour, 2 * 365 * 24 * time.Hour},
	{"month", (365*24*time.Hour + 6*time.Hour) / 12, 60 * 24 * time.Hour},
	{"week", 7 * 24 * time.Hour, 14 * 24 * time.Hour},
	{"day", 24 * time.Hour, 48 * time.Hour},
	{"hour", time.Hour, 2 * time.Hour},
	{"minute", time.Minute, 0},
}

// LifetimeOf writes a duration as a registry lifetime. roundUp is for drafts,
// where the declared lifetime must not be shorter than what was observed.
func LifetimeOf(d time.Duration, roundUp bool) registry.Lifetime {
	if d <= 0 {
		return registry.Session
	}
	for _, u := range lifetimeUnits {
		if d < u.from {
			continue
		}
		n := float64(d) / float64(u.size)
		if roundUp {
			// Observed lifetimes are a little short of what was set (read
			// after being written), so rounding up lands on the set value.
			n = math.Ceil(n - 1e-9)
		} else {
			n = math.Round(n)
		}
		n = max(n, 1)
		unit := u.unit
		if n > 1 {
			unit += "s"
		}
		return registry.Lifetime(fmt.Sprintf("%d %s", int(n), unit))
	}
	return "1 minute"
}

// HumanLifetime is an observed lifetime in words, in lang.
func HumanLifetime(seconds int64, lang string) string {
	if seconds <= 0 {
		return T(lang, "session")
	}
	return LifetimeOf(time.Duration(seconds)*time.Second, false).Localize(i18n.Lifetimes(lang))
}
