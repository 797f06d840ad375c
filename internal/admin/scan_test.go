package admin_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/charte/charte/internal/scan"
	"github.com/charte/charte/internal/store"
	"github.com/charte/charte/internal/store/storetest"
	"github.com/charte/charte/internal/testenv"
	"github.com/charte/charte/internal/web"
)

// withChromium serves e's back office again with another Chromium setting;
// sessions live in the store, so signed-in browsers stay signed in.
func (e *env) withChromium(path string) {
	e.t.Helper()
	e.serve(web.Config{BaseURL: e.base, PasswordParams: cheap, Chromium: path})
}

// finishedScan stores a done scan of site whose report has one finding of
// each severity, as the runner would.
func finishedScan(t *testing.T, st store.Store, site string) store.Scan {
	t.Helper()
	ctx := context.Background()
	s, err := st.CreateScan(ctx, store.Scan{SiteID: site, URL: "https://" + site + ".example/", StartedBy: "editor@example.org"})
	if err != nil {
		t.Fatal(err)
	}
	rep := scan.Report{Version: scan.ReportVersion, URL: s.URL, SiteID: site, StartedAt: s.StartedAt, FinishedAt: s.StartedAt.Add(time.Minute),
		Passes: []scan.Pass{{Name: scan.PassArrival}, {Name: scan.PassRefuse}, {Name: scan.PassAccept}},
		Findings: []scan.Finding{
			{Kind: scan.KindPreconsent, Severity: scan.SeverityHigh, Subject: "cookie", Passes: []string{scan.PassArrival}, Name: "_pk_id.1.1fff", Domain: site + ".example", Category: "statistics"},
			{Kind: "undeclared", Severity: scan.SeverityMedium, Subject: "cookie", Passes: []string{scan.PassAccept}, Name: "YSC", Domain: site + ".example"},
			{Kind: "unseen", Severity: scan.SeverityInfo, Subject: "cookie", Name: "sessionid"},
		}}
	data, err := json.Marshal(rep)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.FinishScan(ctx, s.ID, store.ScanDone, time.Now(), data, ""); err != nil {
		t.Fatal(err)
	}
	return s
}

// TestScanPages reads stored scans as operators do: a site's scans only
// through that site, the report in each format, a running scan that
// reloads itself, a failed one that says why.
func TestScanPages(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, st store.Store) {
		e := newEnv(t, st)
		ctx := context.Background()
		done := finishedScan(t, st, "demo")
		other := finishedScan(t, st, "opendata-pau")
		running, err := st.CreateScan(ctx, store.Scan{SiteID: "demo", URL: "https://demo.example/", StartedBy: "owner@example.org"})
		if err != nil {
			t.Fatal(err)
		}
		if err := st.ScanProgress(ctx, running.ID, 40, "refuse 1/3"); err != nil {
			t.Fatal(err)
		}
		failed, err := st.CreateScan(ctx, store.Scan{SiteID: "demo", URL: "https://demo.example/", StartedBy: "owner@example.org"})
		if err != nil {
			t.Fatal(err)
		}
		if err := st.FinishScan(ctx, failed.ID, store.ScanFailed, time.Now(), nil, "navigate: net::ERR_NAME_NOT_RESOLVED"); err != nil {
			t.Fatal(err)
		}
		viewer := e.signedIn("viewer@example.org")
		path := func(site string, id int64, rest string) string {
			return fmt.Sprintf("/admin/sites/%s/scans/%d%s", site, id, rest)
		}
		tests := []struct {
			name, lang, path string
			status           int
			want, not        []string
			header           map[string]string
		}{
			{"list", "en", "/admin/sites/demo/scans", 200,
				[]string{"Cookie scans", path("demo", done.ID, ""), "done", "running", "Pass 2 of 3", "failed", "ERR_NAME_NOT_RESOLVED"},
				[]string{"opendata-pau.example", "Start the scan"}, nil},
			{"list in French", "fr", "/admin/sites/demo/scans", 200,
				[]string{"Analyses de cookies", "terminée", "en cours", "Passage 2 sur 3", "Après « Tout refuser »", "échouée"}, nil, nil},
			{"done", "en", path("demo", done.ID, ""), 200,
				[]string{"1 high, 1 medium and 1 information findings.", path("demo", done.ID, "/report.json"), path("demo", done.ID, "/report.md"),
					`<iframe class="preview scan-report" src="` + path("demo", done.ID, "/report.html")},
				[]string{`http-equiv="refresh"`}, nil},
			{"running reloads itself", "en", path("demo", running.ID, ""), 200,
				[]string{`<meta http-equiv="refresh" content="3">`, `<progress max="100" value="40">`, "Pass 2 of 3 — After &#34;reject all&#34;: 1/3 pages", "reloads every 3 seconds"},
				[]string{"report.json"}, nil},
			{"failed says why", "fr", path("demo", failed.ID, ""), 200,
				[]string{"L&#39;analyse a échoué : navigate: net::ERR_NAME_NOT_RESOLVED"}, []string{"refresh", "report.json"}, nil},
			{"html report, framed by the back office only", "en", path("demo", done.ID, "/report.html"), 200,
				[]string{"<!doctype html>", "Cookie scan of https://demo.example/", "_pk_id.1.1fff"}, []string{"<script"},
				map[string]string{"X-Frame-Options": "SAMEORIGIN", "Content-Security-Policy": "style-src 'sha256-", "Content-Disposition": ""}},
			{"html report download", "fr", path("demo", done.ID, "/report.html?download"), 200,
				[]string{"Analyse des cookies de"}, nil,
				map[string]string{"Content-Disposition": fmt.Sprintf(`attachment; filename="scan-demo-%d.html"`, done.ID)}},
			{"json report", "en", path("demo", done.ID, "/report.json"), 200,
				[]string{`"kind": "preconsent"`, `"lang": "en"`}, nil,
				map[string]string{"Content-Type": "application/json", "Content-Disposition": "attachment"}},
			{"markdown report", "fr", path("demo", done.ID, "/report.md"), 200,
				[]string{"# Analyse des cookies de", `\_pk\_id.1.1fff`}, nil,
				map[string]string{"Content-Type": "text/markdown"}},
			{"no report while running", "en", path("demo", running.ID, "/report.json"), 404, nil, nil, nil},
			{"another site's scan through this site", "en", path("demo", other.ID, ""), 404, nil, []string{"opendata-pau.example"}, nil},
			{"another site's report through this site", "en", path("demo", other.ID, "/report.json"), 404, nil, []string{"opendata-pau.example"}, nil},
			{"another site's scan", "en", path("opendata-pau", other.ID, ""), 403, nil, []string{"opendata-pau.example"}, nil},
			{"not a number", "en", "/admin/sites/demo/scans/x", 404, nil, nil, nil},
		}
		for _, tt := range tests {
			viewer.lang = tt.lang
			r := viewer.get(tt.path)
			if r.status != tt.status {
				t.Errorf("%s: GET %s: %d, want %d", tt.name, tt.path, r.status, tt.status)
			}
			for _, w := range tt.want {
				if !strings.Contains(r.body, w) {
					t.Errorf("%s: the page lacks %q", tt.name, w)
				}
			}
			for _, w := range tt.not {
				if strings.Contains(r.body, w) {
					t.Errorf("%s: the page shows %q", tt.name, w)
				}
			}
			for k, v := range tt.header {
				if got := r.header.Get(k); (v == "" && got != "") || !strings.Contains(got, v) {
					t.Errorf("%s: %s = %q, want %q", tt.name, k, got, v)
				}
			}
		}
	})
}

// TestScanStartChecks: what an editor types is checked before any browser
// starts, and a server without Chromium says which package to install.
func TestScanStartChecks(t *testing.T) {
	e := newEnv(t, storetest.New(t))
	e.withChromium("/nonexistent/chromium")
	editor := e.signedIn("editor@example.org")
	tests := []struct {
		name, lang string
		form       url.Values
		status     int
		want       string
	}{
		{"not http", "en", url.Values{"url": {"ftp://demo.example/"}}, 400, "Invalid address: &#34;ftp://demo.example/&#34;"},
		{"no host", "fr", url.Values{"url": {"https:///x"}}, 400, "Adresse invalide"},
		{"javascript", "en", url.Values{"url": {"javascript:alert(1)"}}, 400, "Give a full http:// or https:// address."},
		{"pages zero", "en", url.Values{"url": {"https://demo.example/"}, "pages": {"0"}}, 400, "between 1 and 100"},
		{"pages text", "fr", url.Values{"url": {"https://demo.example/"}, "pages": {"vingt"}}, 400, "entre 1 et 100"},
		{"no chromium", "en", url.Values{"url": {"https://demo.example/"}}, 503, "install the Debian package chromium (apt-get install chromium)"},
		{"no chromium, site URL", "fr", url.Values{}, 503, "installez le paquet Debian chromium (apt-get install chromium)"},
	}
	for _, tt := range tests {
		editor.lang = tt.lang
		r := editor.post("/admin/sites/demo/scans", tt.form)
		if r.status != tt.status || !strings.Contains(r.body, tt.want) {
			t.Errorf("%s: %d, want %d with %q\n%s", tt.name, r.status, tt.status, tt.want, r.body)
		}
	}
	if list, err := e.st.ListScans(context.Background(), "demo", 10); err != nil || len(list) != 0 {
		t.Errorf("refused starts stored scans: %+v, %v", list, err)
	}
	// The list page says it too, and offers no form that cannot work.
	editor.lang = "en"
	r := editor.get("/admin/sites/demo/scans")
	if !strings.Contains(r.body, "apt-get install chromium") || strings.Contains(r.body, "Start the scan") {
		t.Errorf("scans page without Chromium:\n%s", r.body)
	}
}

// TestScanAddressPolicy: by default an editor cannot point the scanner at
// the server's own network, however the address is written; the server's
// opt-in lets the same addresses through.
func TestScanAddressPolicy(t *testing.T) {
	chromium := testenv.Chromium(t)
	e := newEnv(t, storetest.New(t))
	editor := e.signedIn("editor@example.org")
	urls := []string{
		"http://127.0.0.1:1/",
		"http://localhost:1/admin/",
		"http://[::1]:1/",
		"http://[::ffff:127.0.0.1]:1/",
		"http://169.254.169.254/latest/meta-data/",
		"http://10.0.0.8/",
		"http://192.168.1.1/",
		"http://[fd00::1]/",
		"http://0.0.0.0:1/",
	}
	tests := []struct {
		name   string
		cfg    web.Config
		lang   string
		status int
		want   string
	}{
		{"refused by default", web.Config{Chromium: chromium}, "en", http.StatusBadRequest, "This server scans only public addresses"},
		{"refused, in French", web.Config{Chromium: chromium}, "fr", http.StatusBadRequest, "analyse que des adresses publiques"},
		{"allowed by the opt-in", web.Config{Chromium: chromium, ScanPrivateNetworks: true}, "en", http.StatusSeeOther, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := tt.cfg
			cfg.BaseURL, cfg.PasswordParams = e.base, cheap
			e.serve(cfg)
			editor.lang = tt.lang
			for _, u := range urls {
				if tt.status == http.StatusSeeOther {
					// One scan at a time: only the first is started, and
					// its start is what the opt-in is about.
					u = urls[0]
				}
				r := editor.post("/admin/sites/demo/scans", url.Values{"url": {u}, "pages": {"1"}})
				if r.status != tt.status || !strings.Contains(r.body, tt.want) {
					t.Errorf("%s: %d, want %d with %q\n%s", u, r.status, tt.status, tt.want, r.body)
				}
				if tt.status == http.StatusSeeOther {
					break
				}
			}
		})
	}
	list, err := e.st.ListScans(context.Background(), "demo", 10)
	if err != nil || len(list) != 1 || list[0].URL != urls[0] {
		t.Errorf("stored scans: %+v, %v; want only the opt-in's", list, err)
	}
}
