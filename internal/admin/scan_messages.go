package admin

import "github.com/charte/charte/internal/i18n"

// scanMessages is the wording of the scan pages, kept beside them rather
// than in the shared catalog; the pages get it as .Data.T, a test checks
// that every key has both languages.
var scanMessages = i18n.Catalog{
	"title":          {"fr": "Analyses de cookies", "en": "Cookie scans"},
	"title_one":      {"fr": "Analyse n° %d", "en": "Scan #%d"},
	"intro":          {"fr": "Une analyse parcourt le site dans Chromium sans interface, trois fois (à l'arrivée, après « Tout refuser », après « Tout accepter »), et compare les cookies réellement déposés au registre publié.", "en": "A scan browses the site in headless Chromium three times (on arrival, after \"reject all\", after \"accept all\") and compares the cookies really set with the published registry."},
	"url":            {"fr": "Page de départ (http ou https)", "en": "Start page (http or https)"},
	"pages":          {"fr": "Pages visitées au plus, par passage", "en": "Most pages visited per pass"},
	"start":          {"fr": "Lancer l'analyse", "en": "Start the scan"},
	"one_at_once":    {"fr": "Une seule analyse à la fois sur ce serveur ; elle dure de quelques secondes à quelques minutes.", "en": "One scan at a time on this server; it takes from a few seconds to a few minutes."},
	"none":           {"fr": "Aucune analyse pour l'instant.", "en": "No scan yet."},
	"started":        {"fr": "Lancée le", "en": "Started"},
	"by":             {"fr": "Par", "en": "By"},
	"status":         {"fr": "État", "en": "Status"},
	"findings":       {"fr": "Constats", "en": "Findings"},
	"running":        {"fr": "en cours", "en": "running"},
	"done":           {"fr": "terminée", "en": "done"},
	"failed":         {"fr": "échouée", "en": "failed"},
	"interrupted":    {"fr": "interrompue (le serveur s'est arrêté pendant l'analyse)", "en": "interrupted (the server stopped during the scan)"},
	"refreshes":      {"fr": "Cette page se recharge toutes les 3 secondes jusqu'à la fin de l'analyse.", "en": "This page reloads every 3 seconds until the scan ends."},
	"waiting":        {"fr": "Démarrage du navigateur…", "en": "Starting the browser…"},
	"progress":       {"fr": "Passage %d sur 3 — %s : %s pages", "en": "Pass %d of 3 — %s: %s pages"},
	"error":          {"fr": "L'analyse a échoué :", "en": "The scan failed:"},
	"report":         {"fr": "Rapport", "en": "Report"},
	"download":       {"fr": "Télécharger :", "en": "Download:"},
	"summary":        {"fr": "%d constats graves, %d moyens, %d pour information.", "en": "%d high, %d medium and %d information findings."},
	"back":           {"fr": "Toutes les analyses", "en": "All scans"},
	"bad_url":        {"fr": "Adresse invalide : %q. Donnez une adresse http:// ou https:// complète.", "en": "Invalid address: %q. Give a full http:// or https:// address."},
	"bad_pages":      {"fr": "Nombre de pages invalide : entre 1 et %d.", "en": "Invalid number of pages: between 1 and %d."},
	"busy":           {"fr": "Une autre analyse est en cours sur ce serveur : relancez quand elle sera terminée.", "en": "Another scan is running on this server: start again once it has finished."},
	"busy_node":      {"fr": "Une analyse de ce site est en cours sur un autre serveur charte : relancez quand elle sera terminée.", "en": "A scan of this site is running on another charte server: start again once it has finished."},
	"schedule":       {"fr": "Analyse programmée", "en": "Scheduled scan"},
	"schedule_intro": {"fr": "Une analyse programmée est comparée à la précédente : un nouveau cookie non déclaré ou déposé avant le consentement, un nouvel hôte tiers non déclaré ou un cookie déclaré qui n'est plus observé lève une alerte, affichée ici et envoyée par webhook et courriel quand le serveur les a configurés.", "en": "A scheduled scan is compared with the previous one: a new undeclared cookie, a new cookie set before consent, a new undeclared third-party host or a declared cookie no longer seen raises an alert, shown here and sent by webhook and e-mail when the server has them configured."},
	"frequency":      {"fr": "Fréquence", "en": "Frequency"},
	"freq_off":       {"fr": "Aucune", "en": "None"},
	"freq_daily":     {"fr": "Chaque jour", "en": "Daily"},
	"freq_weekly":    {"fr": "Chaque semaine", "en": "Weekly"},
	"freq_monthly":   {"fr": "Chaque mois", "en": "Monthly"},
	"save_schedule":  {"fr": "Enregistrer la programmation", "en": "Save the schedule"},
	"schedule_saved": {"fr": "Programmation enregistrée.", "en": "Schedule saved."},
	"next_run":       {"fr": "Prochaine analyse : %s.", "en": "Next scan: %s."},
	"history":        {"fr": "Analyses passées", "en": "Past scans"},
	"alerts":         {"fr": "Alertes", "en": "Alerts"},
	"no_alerts":      {"fr": "Aucune alerte : les analyses programmées n'ont rien trouvé de changé.", "en": "No alert: scheduled scans found nothing changed."},
	"alert_of":       {"fr": "Le %s, analyse n° %d", "en": "On %s, scan #%d"},
	"busy_here":      {"fr": "Une analyse de ce site est déjà en cours :", "en": "A scan of this site is already running:"},
	"private_url":    {"fr": "Adresse refusée : %q mène à une adresse locale ou privée (boucle locale, réseau privé, métadonnées du cloud). Ce serveur n'analyse que des adresses publiques ; son administrateur peut l'autoriser avec charte serve --scan-private-networks.", "en": "Address refused: %q leads to a local or private address (loopback, private network, cloud metadata). This server scans only public addresses; its administrator can allow them with charte serve --scan-private-networks."},
	"no_chromium":    {"fr": "Chromium n'est pas installé sur ce serveur : installez le paquet Debian chromium (apt-get install chromium) pour lancer des analyses.", "en": "Chromium is not installed on this server: install the Debian package chromium (apt-get install chromium) to run scans."},
}

// scanWording is the catalog in one language, for a template.
func scanWording(lang string) map[string]string {
	out := make(map[string]string, len(scanMessages))
	for k := range scanMessages {
		out[k] = scanMessages.T(lang, k)
	}
	return out
}
