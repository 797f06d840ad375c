package web_test

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/charte/charte/internal/store"
	"github.com/charte/charte/internal/store/storetest"
	"github.com/charte/charte/internal/web"
)

func get(t *testing.T, u string, header map[string]string) (*http.Response, string) {
	t.Helper()
	req, _ := http.NewRequest("GET", u, nil)
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

func TestCharterPage(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, st store.Store) {
		a := startAPIServer(t, st, web.Config{})
		tests := []struct {
			name   string
			query  string
			header map[string]string
			lang   string
			want   string
		}{
			{"site default", "", nil, "fr", "Se souvenir de la langue du visiteur"},
			{"query", "?lang=en", map[string]string{"Accept-Language": "fr"}, "en", "Retrieve data through API calls"},
			{"django_language cookie", "", map[string]string{"Cookie": "django_language=en", "Accept-Language": "fr"}, "en", "Cookie charter"},
			{"query beats cookie", "?lang=fr", map[string]string{"Cookie": "django_language=en"}, "fr", "Charte cookies"},
			{"accept-language", "", map[string]string{"Accept-Language": "en-GB,en;q=0.8"}, "en", "Manage my cookies"},
			{"unsupported language falls back", "?lang=de", map[string]string{"Accept-Language": "de"}, "fr", "Gérer mes cookies"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				resp, body := get(t, a.URL+"/sites/opendata-pau/charter"+tt.query, tt.header)
				if resp.StatusCode != 200 {
					t.Fatalf("status %d", resp.StatusCode)
				}
				if !strings.Contains(body, `<html lang="`+tt.lang+`">`) || !strings.Contains(body, tt.want) {
					t.Errorf("page is not in %s or lacks %q", tt.lang, tt.want)
				}
				if !strings.Contains(body, `src="/sites/opendata-pau/banner.js?lang=`+tt.lang+`"`) {
					t.Errorf("the page loads the banner in another language than %s", tt.lang)
				}
				if !strings.Contains(body, `<form class="lang" method="post" action="/i18n/setlang">`) ||
					!strings.Contains(body, `name="next" value="/sites/opendata-pau/charter"`) {
					t.Error("no language selector posting to /i18n/setlang")
				}
			})
		}
		// ETags name the revision, the language and the CSRF secret the
		// page's token is masked from.
		withSecret := map[string]string{"Cookie": "csrftoken=" + strings.Repeat("a", 32)}
		resp, _ := get(t, a.URL+"/sites/opendata-pau/charter?lang=en", withSecret)
		etag := resp.Header.Get("ETag")
		if !strings.Contains(etag, "-en-") {
			t.Fatalf("ETag %q", etag)
		}
		revalidate := map[string]string{"Cookie": withSecret["Cookie"], "If-None-Match": etag}
		again, body := get(t, a.URL+"/sites/opendata-pau/charter?lang=en", revalidate)
		if again.StatusCode != http.StatusNotModified || body != "" {
			t.Errorf("revalidation: %d with %d bytes", again.StatusCode, len(body))
		}
		other, _ := get(t, a.URL+"/sites/opendata-pau/charter?lang=fr", revalidate)
		if other.StatusCode != 200 {
			t.Errorf("another language answered %d to the English ETag", other.StatusCode)
		}
		rotated, _ := get(t, a.URL+"/sites/opendata-pau/charter?lang=en", map[string]string{
			"Cookie": "csrftoken=" + strings.Repeat("b", 32), "If-None-Match": etag})
		if rotated.StatusCode != 200 {
			t.Errorf("a page whose token no longer matches the secret answered %d", rotated.StatusCode)
		}
		missing, body := get(t, a.URL+"/sites/nope/charter", nil)
		if missing.StatusCode != 404 || !strings.Contains(body, "nope") {
			t.Errorf("unknown site: %d %s", missing.StatusCode, body)
		}
	})
}

func TestCookiesJSON(t *testing.T) {
	a := startAPIServer(t, storetest.New(t), web.Config{})
	var doc struct {
		Revision          string
		ConsentCategories []string `json:"consent_categories"`
		Site              struct {
			ID      string
			Cookies []struct {
				Name    string
				Purpose map[string]string
			}
		}
	}
	getJSON(t, a.URL+"/api/v1/sites/demo/cookies", 200, &doc)
	if doc.Revision != a.rev || doc.Site.ID != "demo" || len(doc.Site.Cookies) != 8 ||
		doc.Site.Cookies[0].Purpose["en"] == "" || strings.Join(doc.ConsentCategories, ",") != "statistics,marketing" {
		t.Errorf("registry JSON: %+v", doc)
	}
	resp, _ := get(t, a.URL+"/api/v1/sites/demo/cookies", nil)
	if resp.Header.Get("Access-Control-Allow-Origin") != "*" {
		t.Error("the open-data registry is not readable cross-origin")
	}
	var e map[string]string
	getJSON(t, a.URL+"/api/v1/sites/nope/cookies", 404, &e)
	if e["error"] == "" {
		t.Errorf("404 body %v", e)
	}
}

func TestHomeAndHealth(t *testing.T) {
	a := startAPIServer(t, storetest.New(t), web.Config{})
	resp, body := get(t, a.URL+"/", map[string]string{"Accept-Language": "en"})
	if resp.StatusCode != 200 || !strings.Contains(body, "/sites/opendata-pau/charter?lang=en") || !strings.Contains(body, "/api/v1/sites/demo/cookies") {
		t.Errorf("home: %d\n%s", resp.StatusCode, body)
	}
	if resp, body := get(t, a.URL+"/healthz", nil); resp.StatusCode != 200 || body != "ok\n" {
		t.Errorf("healthz: %d %q", resp.StatusCode, body)
	}
	if resp, body := get(t, a.URL+"/nowhere", map[string]string{"Accept-Language": "fr"}); resp.StatusCode != 404 || !strings.Contains(body, "Page introuvable") {
		t.Errorf("404 page: %d %s", resp.StatusCode, body)
	}
	if resp, body := get(t, a.URL+"/metrics", nil); resp.StatusCode != 200 || !strings.Contains(body, "charte_consent_batch_size") {
		t.Errorf("metrics: %d", resp.StatusCode)
	}
}

func BenchmarkCookiesJSON(b *testing.B) {
	a := startAPIServerB(b)
	client := &http.Client{}
	b.ReportAllocs()
	for b.Loop() {
		resp, err := client.Get(a.URL + "/api/v1/sites/demo/cookies")
		if err != nil {
			b.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
}

func BenchmarkCharterPage(b *testing.B) {
	a := startAPIServerB(b)
	client := &http.Client{}
	b.ReportAllocs()
	for b.Loop() {
		resp, err := client.Get(a.URL + "/sites/demo/charter?lang=fr")
		if err != nil {
			b.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
}

// TestCharterLanguageSelector follows the charter page's language form as a
// browser would: the token of the page and the csrftoken cookie it set, a
// POST to /i18n/setlang, and back to the charter in the chosen language.
// The demo's charter in its six languages, and never in another.
func TestCharterDemoLanguages(t *testing.T) {
	a := startAPIServer(t, storetest.New(t), web.Config{})
	tests := []struct {
		query, accept, html, want string
	}{
		{"?lang=de", "", `<html lang="de">`, "<h1>Cookie-Richtlinie — "},
		{"?lang=ar", "", `<html lang="ar" dir="rtl">`, "<h1>سياسة ملفات تعريف الارتباط — "},
		{"?lang=oc", "fr", `<html lang="oc">`, "Qu'es aquò, un cookie ?"},
		{"", "es-ES,es;q=0.9", `<html lang="es">`, "¿Qué es una cookie?"},
		{"?lang=pl", "pl", `<html lang="fr">`, "Charte cookies"},
	}
	for _, tt := range tests {
		t.Run(tt.query+tt.accept, func(t *testing.T) {
			resp, body := get(t, a.URL+"/sites/demo/charter"+tt.query, map[string]string{"Accept-Language": tt.accept})
			if resp.StatusCode != 200 || !strings.Contains(body, tt.html) || !strings.Contains(body, tt.want) {
				t.Errorf("%d, want %s with %q", resp.StatusCode, tt.html, tt.want)
			}
			for _, l := range []string{"fr", "en", "de", "es", "oc", "ar"} {
				if !strings.Contains(body, `<option value="`+l+`" lang="`+l+`"`) {
					t.Errorf("the selector lacks %s", l)
				}
			}
		})
	}
}

func TestCharterLanguageSelector(t *testing.T) {
	a := startAPIServer(t, storetest.New(t), web.Config{})
	base, _ := url.Parse(a.URL)
	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar}
	resp, err := client.Get(a.URL + "/sites/demo/charter")
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	m := regexp.MustCompile(`name="csrfmiddlewaretoken" value="([^"]+)"`).FindSubmatch(page)
	if m == nil || string(m[1]) == "CHARTE-CSRF-TOKEN-PLACEHOLDER" {
		t.Fatalf("no CSRF token in the page")
	}
	var secret *http.Cookie
	for _, c := range jar.Cookies(base) {
		if c.Name == "csrftoken" {
			secret = c
		}
	}
	if secret == nil {
		t.Fatal("the charter page did not set csrftoken")
	}
	post := func(token, origin string) *http.Response {
		form := url.Values{"language": {"de"}, "next": {"/sites/demo/charter"}, "csrfmiddlewaretoken": {token}}
		req, _ := http.NewRequest("POST", a.URL+"/i18n/setlang", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Origin", origin)
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp
	}
	if resp := post("forged", a.URL); resp.StatusCode != http.StatusForbidden {
		t.Errorf("a forged token: %d", resp.StatusCode)
	}
	if resp := post(string(m[1]), "https://evil.example"); resp.StatusCode != http.StatusForbidden {
		t.Errorf("another origin: %d", resp.StatusCode)
	}
	resp = post(string(m[1]), a.URL)
	if resp.StatusCode != 200 || resp.Request.URL.Path != "/sites/demo/charter" {
		t.Fatalf("setlang: %d, ended at %s", resp.StatusCode, resp.Request.URL)
	}
	resp, body := getWith(t, client, a.URL+"/sites/demo/charter")
	if !strings.Contains(body, `<html lang="de">`) || !strings.Contains(body, "Cookie-Richtlinie") || resp.StatusCode != 200 {
		t.Error("the charter is not in German after choosing it")
	}
}

func getWith(t *testing.T, c *http.Client, u string) (*http.Response, string) {
	t.Helper()
	resp, err := c.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}
