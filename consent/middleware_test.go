package consent

import (
	"bytes"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/charte/charte/internal/demo"
	"github.com/charte/charte/registry"
	"github.com/prometheus/client_golang/prometheus"
)

// The upstream of every case sets the four kinds of cookie the issue names.
var upstreamCookies = []string{
	"sessionid=s1; Path=/; HttpOnly; SameSite=Lax",
	"_pk_id.1.abcd=p1; Path=/; Max-Age=33696000; HttpOnly",
	"tracker=t1; Path=/",
	"YSC=y1; Path=/",
}

var now = time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)

// choiceCookie builds a cookies_preferences request cookie.
func choiceCookie(revision string, at time.Time, stats, marketing bool) string {
	c := Choice{ConsentID: "q7R3x_Yb-2KdF0aZ8mNwVg", Revision: revision, Time: at,
		Decisions: []Decision{{"statistics", stats}, {"marketing", marketing}}}
	return CookieName + "=" + c.Encode()
}

func TestMiddlewareDecisions(t *testing.T) {
	site := demo.Site("demo")
	rev := site.Revision()
	tests := []struct {
		name       string
		cookie     string // request Cookie header
		gpc        bool
		undeclared Policy
		want       []string // Set-Cookie lines the visitor receives, in order
	}{
		{name: "no choice: only the necessary cookie", want: upstreamCookies[:1]},
		{name: "GPC without a choice refuses", gpc: true, want: upstreamCookies[:1]},
		{name: "statistics granted", cookie: choiceCookie(rev, now, true, false), want: upstreamCookies[:2]},
		{name: "everything granted", cookie: choiceCookie(rev, now, true, true),
			want: []string{upstreamCookies[0], upstreamCookies[1], upstreamCookies[3]}},
		{name: "everything refused", cookie: choiceCookie(rev, now, false, false), want: upstreamCookies[:1]},
		{name: "marketing only", cookie: choiceCookie(rev, now, false, true),
			want: []string{upstreamCookies[0], upstreamCookies[3]}},
		{name: "GPC with an explicit choice keeps the choice", gpc: true, cookie: choiceCookie(rev, now, true, false),
			want: upstreamCookies[:2]},
		{name: "malformed choice is no choice", cookie: CookieName + "=1.garbage.statistics=1", want: upstreamCookies[:1]},
		{name: "quoted choice is no choice", cookie: CookieName + `="` + strings.TrimPrefix(choiceCookie(rev, now, true, true), CookieName+"=") + `"`,
			want: upstreamCookies[:1]},
		{name: "choice for an older revision", cookie: choiceCookie("0123456789abcdef", now, true, true), want: upstreamCookies[:1]},
		{name: "expired choice", cookie: choiceCookie(rev, now.AddDate(0, -7, 0), true, true), want: upstreamCookies[:1]},
		{name: "choice dated in the future", cookie: choiceCookie(rev, now.Add(time.Hour), true, true), want: upstreamCookies[:1]},
		{name: "stale choice then a valid one", cookie: choiceCookie("ab", now, false, false) + "; " + choiceCookie(rev, now, true, false),
			want: upstreamCookies[:2]},
		{name: "undeclared reported", undeclared: Report, want: []string{upstreamCookies[0], upstreamCookies[2]}},
		{name: "undeclared allowed", undeclared: Allow, cookie: choiceCookie(rev, now, true, true), want: upstreamCookies},
		{name: "withdrawal expires the carried statistics cookie", cookie: "_pk_id.1.abcd=old; sessionid=s0; " + choiceCookie(rev, now, false, false),
			want: []string{upstreamCookies[0], "_pk_id.1.abcd=; Path=/; Max-Age=0"}},
		{name: "no choice and a leftover marketing cookie", cookie: "YSC=old; YSC=older",
			want: []string{upstreamCookies[0], "YSC=; Path=/; Max-Age=0"}},
		{name: "granted cookies carried are left alone", cookie: "_pk_id.1.abcd=old; " + choiceCookie(rev, now, true, false),
			want: upstreamCookies[:2]},
		{name: "undeclared carried cookies are not expired", cookie: "tracker=old", want: upstreamCookies[:1]},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, err := New(Static(site), Options{Undeclared: tt.undeclared, Now: func() time.Time { return now }, Logger: discard})
			if err != nil {
				t.Fatal(err)
			}
			srv := httptest.NewServer(e.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				for _, c := range upstreamCookies {
					w.Header().Add("Set-Cookie", c)
				}
				io.WriteString(w, "hello")
			})))
			defer srv.Close()
			req, _ := http.NewRequest("GET", srv.URL+"/page", nil)
			if tt.cookie != "" {
				req.Header.Set("Cookie", tt.cookie)
			}
			if tt.gpc {
				req.Header.Set("Sec-GPC", "1")
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if got := resp.Header.Values("Set-Cookie"); !slices.Equal(got, tt.want) {
				t.Errorf("Set-Cookie:\n got %q\nwant %q", got, tt.want)
			}
			if string(body) != "hello" {
				t.Errorf("body %q", body)
			}
		})
	}
}

var discard = slog.New(slog.DiscardHandler)

func TestMiddlewareExpiresOnDeclaredDomain(t *testing.T) {
	site := demo.Site("demo")
	site.CookieDomain = "pau.fr"
	site.Cookies = append(site.Cookies, registry.Cookie{Name: "_ga", Provider: "Google", Domain: "pau.fr",
		Purpose: registry.Text{"en": "x"}, Category: "marketing", Lifetime: "13 months", Party: registry.FirstParty})
	e, _ := New(Static(site), Options{Logger: discard})
	tests := []struct {
		host, cookie string
		want         []string
	}{
		{"opendata.pau.fr", "_ga=1", []string{"_ga=; Path=/; Max-Age=0", "_ga=; Path=/; Domain=pau.fr; Max-Age=0"}},
		{"opendata.pau.fr:8443", "_pk_ses.1.x=1", []string{"_pk_ses.1.x=; Path=/; Max-Age=0", "_pk_ses.1.x=; Path=/; Domain=pau.fr; Max-Age=0"}},
		{"localhost:8080", "_ga=1", []string{"_ga=; Path=/; Max-Age=0"}},
		{"notpau.fr", "_ga=1", []string{"_ga=; Path=/; Max-Age=0"}},
	}
	for _, tt := range tests {
		r := httptest.NewRequest("GET", "http://"+tt.host+"/", nil)
		r.Header.Set("Cookie", tt.cookie)
		h := http.Header{}
		e.Enforce(r, h)
		if got := h.Values("Set-Cookie"); !slices.Equal(got, tt.want) {
			t.Errorf("%s %s:\n got %q\nwant %q", tt.host, tt.cookie, got, tt.want)
		}
	}
}

func TestMiddlewareMetricsAndLogs(t *testing.T) {
	site := demo.Site("demo")
	reg := prometheus.NewRegistry()
	var logs bytes.Buffer
	e, err := New(Static(site), Options{Metrics: reg, Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := New(Static(site), Options{Metrics: reg}); err == nil {
		t.Error("registering the metrics twice on one registry should fail")
	}
	for range 3 {
		r := httptest.NewRequest("GET", "/p", nil)
		r.Header.Set("Cookie", "YSC=old")
		h := http.Header{"Set-Cookie": slices.Clone(upstreamCookies)}
		e.Enforce(r, h)
	}
	got := map[string]float64{}
	families, _ := reg.Gather()
	for _, f := range families {
		for _, m := range f.GetMetric() {
			key := f.GetName()
			for _, l := range m.GetLabel() {
				key += " " + l.GetName() + "=" + l.GetValue()
			}
			got[key] = m.GetCounter().GetValue()
		}
	}
	want := map[string]float64{
		"charte_consent_cookies_dropped_total category=statistics site=demo": 3,
		"charte_consent_cookies_dropped_total category=marketing site=demo":  3,
		"charte_consent_cookies_undeclared_total policy=block site=demo":     3,
		"charte_consent_cookies_expired_total category=marketing site=demo":  3,
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %v, want %v (all: %v)", k, got[k], v, got)
		}
	}
	for _, name := range []string{"cookie=tracker", "cookie=_pk_id.1.abcd", "cookie=YSC"} {
		if n := strings.Count(logs.String(), name); n != 1 && !(name == "cookie=YSC" && n == 2) {
			t.Errorf("%s logged %d times:\n%s", name, n, logs.String())
		}
	}
	if !strings.Contains(logs.String(), "path=/p") {
		t.Errorf("logs do not name the path:\n%s", logs.String())
	}
}

func TestParsePolicy(t *testing.T) {
	for _, s := range []string{"block", "report", "allow"} {
		if p, err := ParsePolicy(s); err != nil || string(p) != s {
			t.Errorf("ParsePolicy(%q) = %q, %v", s, p, err)
		}
	}
	for _, s := range []string{"", "Block", "drop"} {
		if _, err := ParsePolicy(s); err == nil {
			t.Errorf("ParsePolicy(%q) accepted", s)
		}
	}
	if _, err := New(Static(demo.Site("demo")), Options{Undeclared: "drop"}); err == nil {
		t.Error("New accepted policy drop")
	}
}
