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
