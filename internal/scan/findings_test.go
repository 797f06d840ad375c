package scan

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/charte/charte/registry"
)

const day = 24 * 3600

// handmade builds a report from cookies per pass, classified by the fixture
// registry as a scan would.
func handmade(t *testing.T, site *registry.Site, cookies map[string][]Cookie, hosts []string) *Report {
	t.Helper()
	cl := Classifier{Site: site}
	r := &Report{Version: ReportVersion, URL: "http://127.0.0.1/"}
	for _, name := range Passes {
		p := Pass{Name: name}
		if name != PassArrival {
			p.Consent = &Consent{Method: BannerCharte, Label: "Tout"}
		}
		for _, c := range cookies[name] {
			c.Class = cl.Classify(c.Name, c.Domain)
			p.Cookies = append(p.Cookies, c)
		}
		for _, h := range hosts {
			p.Hosts = append(p.Hosts, ContactHost{Host: h, Requests: 1})
		}
		r.Passes = append(r.Passes, p)
	}
	return r
}

func summary(fs []Finding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, fmt.Sprintf("%s %s %s%v", f.Kind, f.Name+f.Domain, f.Severity, f.Passes))
	}
	return out
}

func TestEvaluate(t *testing.T) {
	site := fixtureRegistry(t)
	ck := func(name string, lifeDays int64) Cookie {
		return Cookie{Name: name, Domain: "127.0.0.1", LifetimeSeconds: lifeDays * day}
	}
	all := func(cs ...Cookie) map[string][]Cookie {
		return map[string][]Cookie{PassArrival: cs, PassRefuse: cs, PassAccept: cs}
	}
	tests := []struct {
		name    string
		site    *registry.Site
		cookies map[string][]Cookie
		hosts   []string
		want    []string
	}{
		{"statistics only after accept: fine", site, map[string][]Cookie{PassAccept: {ck("_pk_id.1.a", 395)}}, nil,
			[]string{"unseen FPID info[]", "unseen _pk_ref* info[]", "unseen _pk_ses* info[]", "unseen _pk_testcookie* info[]", "unseen cookies_preferences info[]", "unseen csrftoken info[]",
				"unseen django_language info[]", "unseen sessionid info[]", "unseen video_id127.0.0.2 info[]"}},
		{"statistics on arrival and after refusal", nil, all(ck("_pk_id.1.a", 30)), nil,
			[]string{"preconsent _pk_id.1.a127.0.0.1 high[arrival]", "preconsent _pk_id.1.a127.0.0.1 high[refuse]"}},
		{"necessary cookies are never preconsent", nil, all(ck("sessionid", 14), ck("cookies_preferences", 180)), nil, nil},
		{"unknown cookies need consent", nil, map[string][]Cookie{PassArrival: {ck("zz", 1)}}, nil,
			[]string{"preconsent zz127.0.0.1 high[arrival]"}},
		{"undeclared only with a registry", site, map[string][]Cookie{PassAccept: {ck("_ga", 390)}, PassRefuse: {ck("_ga", 390)}}, nil,
			[]string{"preconsent _ga127.0.0.1 high[refuse]", "undeclared _ga127.0.0.1 medium[refuse accept]"}},
		{"over 13 months, without a registry", nil, map[string][]Cookie{PassAccept: {ck("sessionid", 400)}}, nil,
			[]string{"lifetime sessionid127.0.0.1 medium[accept]"}},
		{"13 months exactly is allowed", nil, map[string][]Cookie{PassAccept: {ck("sessionid", 395)}}, nil, nil},
		{"longer than declared", site, all(ck("csrftoken", 380)), nil, []string{"lifetime csrftoken127.0.0.1 medium[arrival refuse accept]"}},
		{"a year declared, 365 days or 52 weeks set", site, all(ck("django_language", 365), ck("csrftoken", 364)), nil, nil},
		{"hosts: declared by origins or cookie domains", site, nil, []string{"127.0.0.2", "cdn.tracker.example"},
			[]string{"third-party cdn.tracker.example medium[arrival refuse accept]"}},
	}
	for _, tt := range tests {
		r := handmade(t, tt.site, tt.cookies, tt.hosts)
		Evaluate(r, tt.site)
		got := summary(r.Findings)
		if tt.site != nil && tt.name != "statistics only after accept: fine" {
			got = slices.DeleteFunc(got, func(s string) bool { return s[:6] == "unseen" })
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("%s:\n got %q\nwant %q", tt.name, got, tt.want)
		}
	}
}

func TestEvaluateNoBanner(t *testing.T) {
	for _, tt := range []struct {
		cookies map[string][]Cookie
		sev     string
	}{
		{nil, SeverityInfo},
		{map[string][]Cookie{PassAccept: {{Name: "_ga", Domain: "x"}}}, SeverityMedium},
	} {
		r := handmade(t, nil, tt.cookies, nil)
		r.Pass(PassRefuse).Consent = &Consent{Method: BannerNone}
		Evaluate(r, nil)
		var got []string
		for _, f := range r.Findings {
			if f.Kind == KindNoBanner {
				got = append(got, f.Severity)
			}
		}
		if !slices.Equal(got, []string{tt.sev}) {
			t.Errorf("cookies %v: no-banner findings %v, want one of severity %s", tt.cookies, got, tt.sev)
		}
	}
}

func TestLifetimeOf(t *testing.T) {
	tests := []struct {
		d       time.Duration
		roundUp bool
		want    registry.Lifetime
	}{
		{0, false, "session"},
		{30 * time.Minute, false, "30 minutes"},
		{1800*time.Second - time.Second, true, "30 minutes"},
		{14 * 24 * time.Hour, false, "2 weeks"},
		{365 * 24 * time.Hour, false, "12 months"},
		{400 * 24 * time.Hour, false, "13 months"},
		{400 * 24 * time.Hour, true, "14 months"},
		{730 * 24 * time.Hour, false, "2 years"},
		{45 * time.Second, false, "1 minute"},
	}
	for _, tt := range tests {
		if got := LifetimeOf(tt.d, tt.roundUp); got != tt.want {
			t.Errorf("LifetimeOf(%v, %v) = %q, want %q", tt.d, tt.roundUp, got, tt.want)
		}
		if got := LifetimeOf(tt.d, true); tt.d > time.Minute {
			if d, _ := got.Duration(); d < tt.d-time.Minute {
				t.Errorf("LifetimeOf(%v, true) = %q is shorter than observed", tt.d, got)
			}
		}
	}
}

// A cookie needing consent set then removed before the end of the arrival or
// refuse pass is a preconsent finding all the same, saying so; a finding over
// several passes is transient only when the cookie was gone in each.
func TestEvaluateTransient(t *testing.T) {
	site := fixtureRegistry(t)
	gone := func(name string, lifeDays int64) Cookie {
		return Cookie{Name: name, Domain: "127.0.0.1", LifetimeSeconds: lifeDays * day, Transient: true, SetBy: SetByScript}
	}
	kept := gone("_ga", 390)
	kept.Transient = false
	r := handmade(t, site, map[string][]Cookie{
		PassArrival: {gone("_pk_id.1.a", 395), gone("sessionid", 14)},
		PassRefuse:  {gone("_ga", 390)},
		PassAccept:  {kept},
	}, nil)
	Evaluate(r, site)
	var got []string
	for _, f := range r.Findings {
		if f.Kind == KindUnseen {
			continue
		}
		got = append(got, fmt.Sprintf("%s %s %v transient=%v", f.Kind, f.Name, f.Passes, f.Transient))
	}
	want := []string{
		"preconsent _pk_id.1.a [arrival] transient=true",
		"preconsent _ga [refuse] transient=true",
		"undeclared _ga [refuse accept] transient=false",
	}
	if !slices.Equal(got, want) {
		t.Errorf("findings:\n got %q\nwant %q", got, want)
	}
	for lang, words := range map[string]string{"en": "was set on arrival, before any choice, then removed", "fr": "a été déposé à l'arrivée, avant tout choix, puis supprimé"} {
		if msg := r.Findings[0].Message(lang); !strings.Contains(msg, words) {
			t.Errorf("%s: %q does not say %q", lang, msg, words)
		}
	}
	l := Finding{Kind: KindLifetime, Name: "x", LifetimeSeconds: 400 * day, Transient: true, Passes: []string{PassAccept}}
	if msg := l.Message("en"); !strings.HasSuffix(msg, "It was set then removed during the pass.") {
		t.Errorf("lifetime of a transient cookie: %q", msg)
	}
}

// TestPageFindings: unresponsive pages, dialogs and blocked requests become
// one finding each across the passes, with the sentence an operator reads
// in both languages.
func TestPageFindings(t *testing.T) {
	visits := []Visit{
		{URL: "https://ex.org/", Status: 200},
		{URL: "https://ex.org/busy", Status: 200, Unresponsive: UnresponsiveScript},
		{URL: "https://ex.org/slow", Unresponsive: UnresponsiveLoad},
		{URL: "https://ex.org/alert", Status: 200, Dialogs: []Dialog{{Type: "alert", Message: "Bienvenue !", Count: 2}}},
	}
	blocked := []BlockedRequest{{Host: "intranet.ex.org", Address: "10.0.0.8", Reason: "private", Requests: 3}}
	r := &Report{}
	for _, p := range Passes {
		r.Passes = append(r.Passes, Pass{Name: p, Visits: visits, Blocked: blocked})
	}
	Evaluate(r, nil)
	tests := []struct {
		kind, page, en, fr string
	}{
		{KindBlocked, "", "A request to intranet.ex.org (10.0.0.8, a private address) was blocked on arrival, before any choice and after \"reject all\" and after \"accept all\" (9 times)",
			"Une requête vers intranet.ex.org (10.0.0.8, adresse privée) a été bloquée à l'arrivée, avant tout choix"},
		{KindUnresponsive, "https://ex.org/busy", "Page https://ex.org/busy stopped answering (a script kept it busy",
			"La page https://ex.org/busy a cessé de répondre"},
		{KindUnresponsive, "https://ex.org/slow", "Page https://ex.org/slow did not finish loading in time",
			"La page https://ex.org/slow n'a pas fini de se charger à temps"},
		{KindDialog, "https://ex.org/alert", "Page https://ex.org/alert opened a JavaScript alert dialog (on arrival, before any choice and after \"reject all\" and after \"accept all\", 6 times): “Bienvenue !”. The scanner dismissed it.",
			"La page https://ex.org/alert a ouvert une boîte de dialogue JavaScript alert"},
	}
	if len(r.Findings) != len(tests) {
		t.Errorf("%d findings, want %d: %+v", len(r.Findings), len(tests), r.Findings)
	}
	for _, tt := range tests {
		var f *Finding
		for i := range r.Findings {
			if r.Findings[i].Kind == tt.kind && r.Findings[i].Page == tt.page {
				f = &r.Findings[i]
			}
		}
		if f == nil {
			t.Errorf("no %s finding for %q", tt.kind, tt.page)
			continue
		}
		if !slices.Equal(f.Passes, Passes) {
			t.Errorf("%s %s: passes %v", tt.kind, tt.page, f.Passes)
		}
		if got := f.Message("en"); !strings.Contains(got, tt.en) {
			t.Errorf("en: %q, want %q", got, tt.en)
		}
		if got := f.Message("fr"); !strings.Contains(got, tt.fr) {
			t.Errorf("fr: %q, want %q", got, tt.fr)
		}
	}
	var text strings.Builder
	if err := Render(&text, r, "text", "en"); err != nil || !strings.Contains(text.String(), "was blocked") {
		t.Errorf("text report (err %v) lacks the blocked finding:\n%s", err, text.String())
	}
}
