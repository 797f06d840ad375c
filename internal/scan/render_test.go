package scan

import (
	"bytes"
	"encoding/json"
	"github.com/charte/charte/internal/i18n"
	"strings"
	"testing"
	"time"
)

// sampleReport is a classified, evaluated report with a hostile cookie name,
// as a scanned page could set, to check every format escapes it.
func sampleReport(t *testing.T) *Report {
	t.Helper()
	site := fixtureRegistry(t)
	exp := time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
	r := handmade(t, site, map[string][]Cookie{
		PassArrival: {{Name: "_pk_ses.1.f1x", Domain: "127.0.0.1", LifetimeSeconds: 1800, Expires: &exp, SameSite: "Lax"},
			{Name: "FPID", Domain: "127.0.0.1", Path: "/", LifetimeSeconds: 30 * day, HTTPOnly: true, Transient: true, SetBy: SetByResponse, Page: "http://127.0.0.1/transient"}},
		PassAccept: {
			{Name: "<script>alert(1)</script>", Domain: "127.0.0.1", LifetimeSeconds: 400 * day},
			{Name: "video_id", Domain: "127.0.0.2", HTTPOnly: true, Secure: true, ThirdParty: true, LifetimeSeconds: 180 * day},
		},
	}, []string{"pixel.tracker.example"})
	r.SiteID, r.SiteName, r.Revision = site.ID, site.Name, "abc123"
	r.StartedAt = time.Date(2026, 11, 28, 10, 0, 0, 0, time.UTC)
	r.FinishedAt = r.StartedAt.Add(8300 * time.Millisecond)
	r.Browser, r.Pages = "Chrome/156", []string{"http://127.0.0.1/", "http://127.0.0.1/page2"}
	r.Banner = Banner{Kind: BannerCharte, Screenshot: []byte("\x89PNG\r\n\x1a\nfake")}
	r.Passes[0].Storage = []StorageKey{{Origin: "http://127.0.0.1", Kind: "local", Key: "fixture-theme", Class: Class{Source: SourceUnknown}}}
	Evaluate(r, site)
	return r
}

func TestRender(t *testing.T) {
	r := sampleReport(t)
	tests := []struct {
		format, lang string
		want         []string
		not          []string
	}{
		{"text", "en", []string{"Cookie scan of http://127.0.0.1/", "Findings (", "needs consent but is present on arrival, before any choice",
			"Third-party host pixel.tracker.example", "Arrival (no choice made)", "After \"accept all\"", "HttpOnly Secure",
			"13 months", "fixture (Fixture), revision abc123", "SEVERITY", "NOTE",
			"set then removed (by a response, on http://127.0.0.1/transient)", "Cookie FPID (127.0.0.1, Fixture, statistics) needs consent but was set on arrival"}, nil},
		{"text", "fr", []string{"Analyse des cookies de http://127.0.0.1/", "Constats (", "requiert un consentement mais est présent à l'arrivée",
			"Après « Tout accepter »", "30 minutes", "tiers", "GRAVITÉ", "déposé puis supprimé (par une réponse, sur http://127.0.0.1/transient)",
			"mais a été déposé à l'arrivée"}, []string{"Findings"}},
		{"md", "en", []string{"# Cookie scan of http://127.0.0.1/", "| Severity | Kind | Finding |", `\_pk\_ses.1.f1x`, "### Cookies (2)", "| Note |", "set then removed (by a response, on http://127.0.0.1/transient)",
			"&lt;script>alert(1)&lt;/script>", "- <http://127.0.0.1/page2>"}, []string{"<script>"}},
		{"html", "fr", []string{`<html lang="fr">`, "Constats", `<tr class="high">`, "data:image/png;base64,iVBORw0KGgpmYWtl",
			"&lt;script&gt;alert(1)&lt;/script&gt;", "Hôtes tiers contactés", "Après « Tout refuser »",
			">déposé puis supprimé (par une réponse, sur http://127.0.0.1/transient)</td>", "<main>"}, []string{"<script>alert"}},
		{"json", "fr", []string{`"version": 1`, `"kind": "preconsent"`, `"message": "Le cookie _pk_ses.1.f1x`, `"lang": "fr"`,
			`"http_only": true`, `"third_party_hosts"`, `"transient": true`, `"set_by": "response"`, `"page": "http://127.0.0.1/transient"`}, nil},
	}
	for _, tt := range tests {
		var buf bytes.Buffer
		if err := Render(&buf, r, tt.format, tt.lang); err != nil {
			t.Fatalf("%s/%s: %v", tt.format, tt.lang, err)
		}
		out := buf.String()
		for _, w := range tt.want {
			if !strings.Contains(out, w) {
				t.Errorf("%s/%s: missing %q in:\n%s", tt.format, tt.lang, w, out)
			}
		}
		for _, n := range tt.not {
			if strings.Contains(out, n) {
				t.Errorf("%s/%s: must not contain %q", tt.format, tt.lang, n)
			}
		}
	}
	if err := Render(&bytes.Buffer{}, r, "pdf", "en"); err == nil {
		t.Error("unknown format accepted")
	}
}

// The JSON report reads back into a Report: what the back office stores.
func TestJSONRoundTrip(t *testing.T) {
	r := sampleReport(t)
	var buf bytes.Buffer
	if err := Render(&buf, r, "json", "en"); err != nil {
		t.Fatal(err)
	}
	var back Report
	if err := json.Unmarshal(buf.Bytes(), &back); err != nil {
		t.Fatal(err)
	}
	if len(back.Findings) != len(r.Findings) || back.Findings[0].Kind != KindPreconsent || !bytes.Equal(back.Banner.Screenshot, r.Banner.Screenshot) ||
		back.Pass(PassAccept).Cookies[1].Class.Source != r.Pass(PassAccept).Cookies[1].Class.Source {
		t.Errorf("round trip lost data: %+v", back)
	}
}

// The text report aligns its columns: every row of a table starts its
// second column at the same offset.
func TestTextAligned(t *testing.T) {
	var buf bytes.Buffer
	if err := Render(&buf, sampleReport(t), "text", "en"); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(buf.String(), "\n")
	for i, l := range lines {
		if !strings.HasPrefix(l, "NAME ") {
			continue
		}
		col := strings.Index(l, "DOMAIN")
		for _, row := range lines[i+1:] {
			if row == "" {
				break
			}
			if row[col-2:col] != "  " || row[col] == ' ' {
				t.Errorf("row %q is not aligned on column %d", row, col)
			}
		}
	}
}

// Every finding kind renders a sentence in each of the back office's
// languages, not its key, with every argument filled in (the catalogue's
// own test checks each language has every message).
func TestMessagesComplete(t *testing.T) {
	for _, kind := range Kinds {
		for _, lang := range i18n.AdminLanguages() {
			for _, count := range []int{1, 2} {
				f := Finding{Kind: kind, Subject: SubjectCookie, Name: "n", Domain: "d", Passes: []string{PassArrival}, Count: count, Service: "matomo"}
				if msg := f.Message(lang); strings.Contains(msg, "{{") || strings.Contains(msg, "scan.") || strings.Contains(msg, "%!") {
					t.Errorf("%s/%s: %q", kind, lang, msg)
				}
			}
		}
	}
}

func TestProgressBar(t *testing.T) {
	var buf bytes.Buffer
	bar := ProgressBar(&buf, "en")
	bar(Progress{Pass: PassRefuse, PassIndex: 1, Done: 2, Total: 4})
	if got := buf.String(); !strings.Contains(got, "50%") || !strings.Contains(got, "After \"reject all\"") || !strings.HasPrefix(got, "\r[############") {
		t.Errorf("bar = %q", got)
	}
	bar(Progress{Pass: PassAccept, PassIndex: 2, Done: 4, Total: 4})
	if !strings.HasSuffix(buf.String(), "\n") || !strings.Contains(buf.String(), "100%") {
		t.Errorf("the last frame must end the line: %q", buf.String())
	}
}
