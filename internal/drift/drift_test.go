package drift_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/charte/charte/internal/drift"
	"github.com/charte/charte/internal/scan"
)

// report is a report of this version's scanner, which looks for every kind.
func report(findings ...scan.Finding) *scan.Report {
	return &scan.Report{Findings: findings, Checks: scan.Kinds}
}

// oldReport is a report made before reports listed their checks, when the
// scanner did not look for scripts left free before consent.
func oldReport(findings ...scan.Finding) *scan.Report { return &scan.Report{Findings: findings} }

func cookie(kind, name, domain string, passes ...string) scan.Finding {
	return scan.Finding{Kind: kind, Subject: "cookie", Name: name, Domain: domain, Passes: passes}
}

var (
	ga      = cookie(scan.KindUndeclared, "_ga", ".example.org", "accept")
	gaEarly = cookie(scan.KindPreconsent, "_ga", ".example.org", "arrival")
	gaLate  = cookie(scan.KindPreconsent, "_ga", ".example.org", "refuse")
	host    = scan.Finding{Kind: scan.KindThirdParty, Subject: "host", Domain: "tracker.example.net"}
	unseen  = scan.Finding{Kind: scan.KindUnseen, Subject: "cookie", Name: "csrftoken"}
	life    = cookie(scan.KindLifetime, "sessionid", "example.org", "accept")

	gtag      = script("google-analytics", "https://www.googletagmanager.com/gtag/js?id=G-1", "https://example.org/", false, "arrival", "refuse")
	gtagOther = script("google-analytics", "https://www.googletagmanager.com/gtag/js?id=G-1", "https://example.org/contact", false, "refuse")
	// gtagNext is the same file with another version parameter, now above
	// the banner tag.
	gtagNext = script("google-analytics", "https://www.googletagmanager.com/gtag/js?v=2#x", "https://example.org/", true, "arrival")
	gtmTag   = script("google-tag-manager", "", "https://example.org/", true, "arrival")
	gtmOther = script("google-tag-manager", "", "https://example.org/news", false, "refuse")
	pixel    = script("meta-pixel", "https://connect.facebook.net/en_US/fbevents.js", "https://example.org/", false, "arrival")
)

// script is an early-script finding; url is empty for an inline snippet.
func script(service, url, page string, beforeBanner bool, passes ...string) scan.Finding {
	return scan.Finding{Kind: scan.KindEarlyScript, Severity: "high", Subject: "script", Service: service, Name: url,
		Page: page, BeforeBanner: beforeBanner, Passes: passes}
}

func TestCompare(t *testing.T) {
	for _, tt := range []struct {
		name      string
		prev, cur *scan.Report
		want      drift.Changes
	}{
		{"first scan is a baseline", nil, report(ga, gaEarly, host, unseen), drift.Changes{}},
		{"unchanged", report(ga, host, unseen), report(unseen, host, ga), drift.Changes{}},
		{"a new undeclared cookie, also set before consent", report(unseen), report(unseen, ga, gaEarly, gaLate),
			drift.Changes{Undeclared: []string{"_ga (.example.org)"}, Preconsent: []string{"_ga (.example.org)"}}},
		{"the same cookie in another pass is no change", report(gaEarly), report(gaLate), drift.Changes{}},
		{"a new host", report(ga), report(ga, host), drift.Changes{ThirdParty: []string{"tracker.example.net"}}},
		{"a declared cookie no longer seen", report(), report(unseen), drift.Changes{NoLongerSeen: []string{"csrftoken"}}},
		{"what went away is no alert", report(ga, gaEarly, host), report(), drift.Changes{}},
		{"kinds drift does not follow", report(), report(life), drift.Changes{}},
		{"a new script left free to run before consent", report(ga), report(ga, gtag),
			drift.Changes{EarlyScript: []string{"https://www.googletagmanager.com/gtag/js (google-analytics)"}}},
		{"a new inline snippet, and a new script beside a known one", report(gtag), report(pixel, gtmTag, gtag),
			drift.Changes{EarlyScript: []string{"https://connect.facebook.net/en_US/fbevents.js (meta-pixel)", "inline (google-tag-manager)"}}},
		{"the same scripts on other pages, in other passes and order, are no change", report(gtag, gtmTag), report(gtmOther, gtagOther), drift.Changes{}},
		{"the same script with another query, now above the banner tag, is no change", report(gtag), report(gtagNext), drift.Changes{}},
		{"a script that no longer runs is no alert", report(gtag, gtmTag, pixel), report(), drift.Changes{}},
		{"after an upgrade, scripts an older scan did not look for are the baseline", oldReport(ga), report(ga, gtag, gtmTag), drift.Changes{}},
		{"after an upgrade, the other kinds still count", oldReport(unseen), report(unseen, ga, gtag),
			drift.Changes{Undeclared: []string{"_ga (.example.org)"}}},
		{"an older report that found scripts did look for them", oldReport(gtag), report(gtag, pixel),
			drift.Changes{EarlyScript: []string{"https://connect.facebook.net/en_US/fbevents.js (meta-pixel)"}}},
		{"a report whose checks lack a kind is no baseline for it", &scan.Report{Checks: []string{scan.KindUndeclared}}, report(ga, gaEarly),
			drift.Changes{Undeclared: []string{"_ga (.example.org)"}}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := drift.Compare(tt.prev, tt.cur)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Compare: %+v, want %+v", got, tt.want)
			}
			if got.Empty() != reflect.DeepEqual(tt.want, drift.Changes{}) {
				t.Errorf("Empty: %v", got.Empty())
			}
		})
	}
}

func TestText(t *testing.T) {
	c := drift.Compare(report(), report(ga, gaEarly, host, gtag, gtmTag))
	for _, tt := range []struct {
		lang    string
		subject string
		lines   []string
	}{
		{"en", "charte: demo no longer matches its cookie charter", []string{
			"The scheduled scan of demo (https://example.org/) found changes since the previous one:",
			"New cookies set before consent:\n  - _ga (.example.org)\n",
			"New cookies the registry does not declare:\n  - _ga (.example.org)\n",
			"New scripts left free to run before consent:\n  - https://www.googletagmanager.com/gtag/js (google-analytics)\n" +
				"  - script written in the page (google-tag-manager)\n" +
				"These scripts belong to services that need consent, yet the browser ran them before the visitor chose or after a refusal. " +
				"Put charte's banner tag first in <head>, turn on blocking: observe in the registry so the banner holds the scripts back, " +
				"or serve the site through charte proxy.",
			"New third-party hosts the registry does not name:\n  - tracker.example.net\n",
			"Full report: https://charte.example/admin/sites/demo/scans/7",
		}},
		{"fr", "charte\u00a0: la réalité de demo ne suit plus sa charte cookies", []string{
			"L'analyse programmée de demo (https://example.org/) a trouvé des changements depuis la précédente\u00a0:",
			"Nouveaux cookies déposés avant le consentement\u00a0:\n  - _ga (.example.org)\n",
			"Nouveaux cookies absents du registre\u00a0:",
			"Nouveaux scripts qui ont pu s'exécuter avant le consentement\u00a0:\n  - https://www.googletagmanager.com/gtag/js (google-analytics)\n" +
				"  - script écrit dans la page (google-tag-manager)\n" +
				"Ces scripts appartiennent à des services qui requièrent un consentement, mais le navigateur les a exécutés avant le choix du visiteur ou après un refus. " +
				"Placez la balise du bandeau de charte en premier dans <head>, activez blocking: observe dans le registre",
			"Nouveaux hôtes tiers non déclarés\u00a0:\n  - tracker.example.net\n",
			"Rapport complet\u00a0: https://charte.example/admin/sites/demo/scans/7",
		}},
		{"de", "charte: demo entspricht nicht mehr seiner Cookie-Richtlinie", []string{
			"Der geplante Scan von demo (https://example.org/) hat seit dem vorherigen Änderungen festgestellt:",
			"Neue Cookies, die vor der Einwilligung gesetzt werden:\n  - _ga (.example.org)\n",
			"Vollständiger Bericht: https://charte.example/admin/sites/demo/scans/7",
			"Neue Skripte, die vor der Einwilligung ausgeführt werden konnten:\n  - https://www.googletagmanager.com/gtag/js (google-analytics)\n" +
				"  - in die Seite geschriebenes Skript (google-tag-manager)\n" +
				"Diese Skripte gehören zu Diensten, die eine Einwilligung erfordern",
		}},
		{"it", "charte: demo non corrisponde più alla sua informativa sui cookie", []string{
			"Nuovi host di terze parti non indicati nel registro:\n  - tracker.example.net\n",
			"Nuovi script che hanno potuto essere eseguiti prima del consenso:\n  - https://www.googletagmanager.com/gtag/js (google-analytics)\n" +
				"  - script scritto nella pagina (google-tag-manager)\n" +
				"Questi script appartengono a servizi che richiedono il consenso",
		}},
		{"es", "charte: demo ya no se ajusta a su política de cookies", []string{
			"Nuevas cookies que el registro no declara:\n  - _ga (.example.org)\n",
			"Nuevos scripts que pudieron ejecutarse antes del consentimiento:\n  - https://www.googletagmanager.com/gtag/js (google-analytics)\n" +
				"  - script escrito en la página (google-tag-manager)\n" +
				"Estos scripts pertenecen a servicios que requieren consentimiento",
		}},
	} {
		if got := drift.Subject(tt.lang, "demo"); got != tt.subject {
			t.Errorf("%s subject %q, want %q", tt.lang, got, tt.subject)
		}
		text := c.Text(tt.lang, "demo", "https://example.org/", "https://charte.example/admin/sites/demo/scans/7")
		for _, l := range tt.lines {
			if !strings.Contains(text, l) {
				t.Errorf("%s text lacks %q:\n%s", tt.lang, l, text)
			}
		}
	}
}

// One early script is worded in the singular, in every back-office
// language, and its list comes right after the cookies set before consent:
// both are what the law forbids outright.
func TestEarlyScriptList(t *testing.T) {
	c := drift.Compare(report(), report(unseen, gtag, gaEarly))
	for _, tt := range []struct{ lang, heading, note string }{
		{"en", "New script left free to run before consent", "This script belongs to a service that needs consent"},
		{"fr", "Nouveau script qui a pu s'exécuter avant le consentement", "Ce script appartient à un service qui requiert un consentement"},
		{"de", "Neues Skript, das vor der Einwilligung ausgeführt werden konnte", "Dieses Skript gehört zu einem Dienst"},
		{"es", "Nuevo script que pudo ejecutarse antes del consentimiento", "Este script pertenece a un servicio"},
		{"it", "Nuovo script che ha potuto essere eseguito prima del consenso", "Questo script appartiene a un servizio"},
	} {
		lists := c.Lists(tt.lang)
		var keys []string
		for _, l := range lists {
			keys = append(keys, l.Key)
		}
		if strings.Join(keys, ",") != "preconsent,early_script,no_longer_seen" {
			t.Fatalf("%s lists %v", tt.lang, keys)
		}
		l := lists[1]
		if l.Heading != tt.heading || !strings.HasPrefix(l.Note, tt.note) || !strings.Contains(l.Note, "charte proxy") ||
			!reflect.DeepEqual(l.Items, []string{"https://www.googletagmanager.com/gtag/js (google-analytics)"}) {
			t.Errorf("%s: %q %q %q", tt.lang, l.Heading, l.Items, l.Note)
		}
		if lists[0].Note != "" || lists[2].Note != "" {
			t.Errorf("%s: a note under a list that needs none: %+v", tt.lang, lists)
		}
	}
}
