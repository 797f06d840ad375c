package drift_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/charte/charte/internal/drift"
	"github.com/charte/charte/internal/scan"
)

func report(findings ...scan.Finding) *scan.Report { return &scan.Report{Findings: findings} }

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
)

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
	c := drift.Compare(report(), report(ga, gaEarly, host))
	for _, tt := range []struct {
		lang    string
		subject string
		lines   []string
	}{
		{"en", "charte: demo no longer matches its cookie charter", []string{
			"The scheduled scan of demo (https://example.org/) found changes since the previous one:",
			"New cookies set before consent:\n  - _ga (.example.org)\n",
			"New cookies the registry does not declare:\n  - _ga (.example.org)\n",
			"New third-party hosts the registry does not name:\n  - tracker.example.net\n",
			"Full report: https://charte.example/admin/sites/demo/scans/7",
		}},
		{"fr", "charte\u00a0: la réalité de demo ne suit plus sa charte cookies", []string{
			"L'analyse programmée de demo (https://example.org/) a trouvé des changements depuis la précédente\u00a0:",
			"Nouveaux cookies déposés avant le consentement\u00a0:\n  - _ga (.example.org)\n",
			"Nouveaux cookies absents du registre\u00a0:",
			"Nouveaux hôtes tiers non déclarés\u00a0:\n  - tracker.example.net\n",
			"Rapport complet\u00a0: https://charte.example/admin/sites/demo/scans/7",
		}},
		{"de", "charte: demo entspricht nicht mehr seiner Cookie-Richtlinie", []string{
			"Der geplante Scan von demo (https://example.org/) hat seit dem vorherigen Änderungen festgestellt:",
			"Neue Cookies, die vor der Einwilligung gesetzt werden:\n  - _ga (.example.org)\n",
			"Vollständiger Bericht: https://charte.example/admin/sites/demo/scans/7",
		}},
		{"it", "charte: demo non corrisponde più alla sua informativa sui cookie", []string{
			"Nuovi host di terze parti non indicati nel registro:\n  - tracker.example.net\n",
		}},
		{"es", "charte: demo ya no se ajusta a su política de cookies", []string{
			"Nuevas cookies que el registro no declara:\n  - _ga (.example.org)\n",
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
