package scan

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/charte/charte/internal/testenv"
)

// needChromium skips a browser test with -short, and when Chromium is absent
// (a failure when CHARTE_TEST_REQUIRE lists chromium).
func needChromium(t *testing.T) {
	t.Helper()
	if testing.Short() {
		t.Skip("drives Chromium; skipped with -short")
	}
	testenv.Chromium(t)
}

// TestScanFixture scans the fixture web with charte's API and with a banner
// known only by its buttons' text, and checks every pass and finding.
func TestScanFixture(t *testing.T) {
	needChromium(t)
	tests := []struct {
		name           string
		charteAPI      bool
		banner, method string
		refuse, accept string
	}{
		{"charte banner", true, BannerCharte, BannerCharte, "Tout refuser", "Tout accepter"},
		{"other banner", false, BannerOther, BannerOther, "Reject all", "Accept all"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, tt.charteAPI)
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
			defer cancel()
			var ticks int
			r, err := Run(ctx, Options{URL: f.site.URL, Site: fixtureRegistry(t), Settle: 300 * time.Millisecond,
				Progress: func(Progress) { ticks++ }})
			if err != nil {
				t.Fatal(err)
			}
			checkFixtureReport(t, f, r)
			if r.Banner.Kind != tt.banner {
				t.Errorf("banner kind = %q, want %q", r.Banner.Kind, tt.banner)
			}
			for pass, label := range map[string]string{PassRefuse: tt.refuse, PassAccept: tt.accept} {
				if c := r.Pass(pass).Consent; c == nil || c.Method != tt.method || c.Label != label {
					t.Errorf("%s pass consent = %+v, want %s %q", pass, c, tt.method, label)
				}
			}
			if ticks != 3*len(r.Pages) {
				t.Errorf("progress called %d times, want %d (one per page per pass)", ticks, 3*len(r.Pages))
			}
		})
	}
}

func checkFixtureReport(t *testing.T, f *fixture, r *Report) {
	t.Helper()
	wantPages := []string{f.site.URL + "/", f.site.URL + "/page2", f.site.URL + "/transient", f.site.URL + "/page4", f.site.URL + "/page3"}
	if !slices.Equal(r.Pages, wantPages) {
		t.Errorf("pages = %v, want %v (links breadth-first, the sitemap's page4, no PDF, no other site)", r.Pages, wantPages)
	}
	if !bytes.HasPrefix(r.Banner.Screenshot, []byte("\x89PNG")) {
		t.Errorf("banner screenshot is not a PNG (%d bytes)", len(r.Banner.Screenshot))
	}
	// cookie name → classification source, and "transient" for a cookie set
	// then removed during the pass, per pass. /transient's two cookies are
	// written in every pass, whatever the choice, and gone by its end.
	first := map[string]string{"sessionid": SourceRegistry, "csrftoken": SourceRegistry, "django_language": SourceRegistry, "_pk_ses.1.f1x": SourceRegistry,
		"FPID": SourceRegistry + " transient", "_pk_testcookie.1.f1x": SourceRegistry + " transient", "_pk_testcookie.2.f1x": SourceRegistry + " transient"}
	withChoice := merge(first, map[string]string{"cookies_preferences": SourceRegistry})
	want := map[string]map[string]string{
		PassArrival: first,
		PassRefuse:  withChoice,
		PassAccept:  merge(withChoice, map[string]string{"_pk_id.1.f1x": SourceRegistry, "_ga": SourceBuiltin, "video_id": SourceRegistry}),
	}
	for _, p := range r.Passes {
		got := map[string]string{}
		for _, c := range p.Cookies {
			got[c.Name] = c.Class.Source
			if c.Transient {
				got[c.Name] += " transient"
			}
			switch c.Name {
			case "FPID":
				// By header, HttpOnly: invisible to any script, seen in the response.
				if !c.HTTPOnly || c.SetBy != SetByResponse || c.Page != f.site.URL+"/transient" || c.Class.Category != "statistics" ||
					c.Lifetime() != 30*24*time.Hour || c.Path != "/" || c.Domain != "127.0.0.1" {
					t.Errorf("%s: FPID = %+v, want HttpOnly statistics set by a response on /transient for 30 days", p.Name, c)
				}
			case "_pk_testcookie.1.f1x", "_pk_testcookie.2.f1x":
				if c.HTTPOnly || c.SetBy != SetByScript || c.Page != f.site.URL+"/transient" || c.LifetimeSeconds != 0 ||
					c.SameSite != "Lax" || c.Domain != "127.0.0.1" {
					t.Errorf("%s: %s = %+v, want a session cookie set by script on /transient", p.Name, c.Name, c)
				}
			case "sessionid":
				if !c.HTTPOnly || c.ThirdParty || c.Class.Category != "necessary" {
					t.Errorf("%s: sessionid = %+v, want HttpOnly first-party necessary", p.Name, c)
				}
			case "video_id":
				if !c.HTTPOnly || !c.ThirdParty || c.Domain != "127.0.0.2" || c.Class.Category != "marketing" {
					t.Errorf("%s: video_id = %+v, want HttpOnly third-party marketing on 127.0.0.2", p.Name, c)
				}
			case "_ga":
				if c.Class.Vendor != "Google Analytics" || c.Class.Category != "statistics" {
					t.Errorf("%s: _ga classified %+v", p.Name, c.Class)
				}
			case "django_language":
				// Asked for 2 years; Chromium caps expiry at 400 days.
				if d := c.Lifetime(); d < 399*24*time.Hour || d > 400*24*time.Hour {
					t.Errorf("%s: django_language lives %v, want 400 days (2 years capped by Chromium)", p.Name, d)
				}
			}
		}
		if fmt.Sprint(got) != fmt.Sprint(want[p.Name]) {
			t.Errorf("%s pass cookies:\n got %v\nwant %v", p.Name, got, want[p.Name])
		}
		for _, v := range p.Visits {
			if v.Status != 200 || v.Error != "" {
				t.Errorf("%s pass visit %+v", p.Name, v)
			}
		}
		var keys []string
		for _, s := range p.Storage {
			keys = append(keys, s.Kind+":"+s.Key+"@"+strings.Split(s.Origin, ":")[1])
		}
		wantKeys := []string{"local:fixture-theme@//127.0.0.1"}
		if p.Name == PassAccept {
			wantKeys = append(wantKeys, "local:player-volume@//127.0.0.2")
		}
		if !slices.Equal(keys, wantKeys) {
			t.Errorf("%s pass storage = %v, want %v", p.Name, keys, wantKeys)
		}
		var hosts []string
		for _, h := range p.Hosts {
			hosts = append(hosts, fmt.Sprintf("%s declared=%v", h.Host, h.Declared))
		}
		wantHosts := []string{"localhost declared=false"}
		if p.Name == PassAccept {
			wantHosts = []string{"127.0.0.2 declared=true", "localhost declared=false"}
		}
		if !slices.Equal(hosts, wantHosts) {
			t.Errorf("%s pass hosts = %v, want %v", p.Name, hosts, wantHosts)
		}
	}
	var findings []string
	for _, f := range r.Findings {
		s := fmt.Sprintf("%s %s %s%s %v", f.Severity, f.Kind, f.Name, "@"+f.Domain, f.Passes)
		if f.Transient {
			s += " transient"
		}
		findings = append(findings, s)
	}
	wantFindings := []string{
		"high preconsent FPID@127.0.0.1 [arrival] transient",
		"high preconsent _pk_ses.1.f1x@127.0.0.1 [arrival]",
		"high preconsent _pk_testcookie.1.f1x@127.0.0.1 [arrival] transient",
		"high preconsent _pk_testcookie.2.f1x@127.0.0.1 [arrival] transient",
		"high preconsent FPID@127.0.0.1 [refuse] transient",
		"high preconsent _pk_ses.1.f1x@127.0.0.1 [refuse]",
		"high preconsent _pk_testcookie.1.f1x@127.0.0.1 [refuse] transient",
		"high preconsent _pk_testcookie.2.f1x@127.0.0.1 [refuse] transient",
		"medium undeclared _ga@127.0.0.1 [accept]",
		"medium lifetime django_language@127.0.0.1 [arrival refuse accept]",
		"medium third-party @localhost [arrival refuse accept]",
		"info unseen _pk_ref*@ []",
	}
	if !slices.Equal(findings, wantFindings) {
		t.Errorf("findings:\n got %q\nwant %q", findings, wantFindings)
	}
}

func merge(a, b map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range a {
		out[k] = v
	}
	for k, v := range b {
		out[k] = v
	}
	return out
}
