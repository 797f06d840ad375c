package main

import (
	"bytes"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/charte/charte/internal/demo"
	"github.com/charte/charte/registry"
)

// operator is a back-office user's browser: a cookie jar, forms posted
// with the CSRF token of the page they come from, redirects not followed.
type operator struct {
	t    *testing.T
	base string
	c    *http.Client
}

var (
	csrfField    = regexp.MustCompile(`name="csrfmiddlewaretoken" value="([A-Za-z0-9]+)"`)
	versionField = regexp.MustCompile(`name="version" value="([0-9a-f]+)"`)
)

func (o *operator) get(path string) string {
	o.t.Helper()
	res, err := o.c.Get(o.base + path)
	if err != nil {
		o.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusOK {
		o.t.Fatalf("GET %s: %d %.500s", path, res.StatusCode, b)
	}
	return string(b)
}

// submit posts the form of the page at path to action, with the page's
// CSRF token and version, as the operator's browser does.
func (o *operator) submit(path, action string, form url.Values) {
	o.t.Helper()
	page := o.get(path)
	tok := csrfField.FindStringSubmatch(page)
	if tok == nil {
		o.t.Fatalf("no form in %s", path)
	}
	form.Set("csrfmiddlewaretoken", tok[1])
	if v := versionField.FindStringSubmatch(page); v != nil {
		form.Set("version", v[1])
	}
	req, _ := http.NewRequest("POST", o.base+action, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", o.base)
	res, err := o.c.Do(req)
	if err != nil {
		o.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusSeeOther {
		o.t.Fatalf("POST %s: %d %.800s", action, res.StatusCode, b)
	}
}

// TestSiteTranslationsRoundTrip: a site with translations goes in by
// charte site import, an editor translates in the back office and
// publishes, and charte site export gives every language's texts back,
// which import reads unchanged.
func TestSiteTranslationsRoundTrip(t *testing.T) {
	db := tempDB(t)
	if code, _, errOut := charte(t, "", nil, "db", "--db", db, "migrate"); code != 0 {
		t.Fatal(errOut)
	}
	site := demo.Site("demo")
	site.Languages = append(site.Languages, "it")
	site.Categories[1].Name["it"] = "Statistiche"
	delete(site.Cookies[2].Purpose, "de")
	site.Banner = map[string]registry.BannerText{"fr": {Title: "Vos cookies", Message: "Nous mesurons l'audience.\nAvec votre accord."}, "en": {Title: "Your cookies"}}
	var file bytes.Buffer
	if err := registry.EncodeYAML(&file, site); err != nil {
		t.Fatal(err)
	}
	if code, out, errOut := charte(t, file.String(), nil, "site", "--db", db, "import", "-"); code != 0 {
		t.Fatalf("import: %d %s %s", code, out, errOut)
	}
	if code, _, errOut := charte(t, "an editor's long password\n", nil, "user", "add", "--db", db, "--email", "editor@example.org", "--role", "editor", "--site", "demo"); code != 0 {
		t.Fatal(errOut)
	}

	jar, _ := cookiejar.New(nil)
	o := &operator{t: t, base: serveDB(t, db, nil), c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	o.submit("/admin/login", "/admin/login", url.Values{"email": {"editor@example.org"}, "password": {"an editor's long password"}})
	o.submit("/admin/sites/demo/translations/de", "/admin/sites/demo/translations/de", url.Values{
		"t.cookies[2].purpose": {"Daten über API-Aufrufe abrufen"},
		"t.banner.title":       {"Ihre Cookies"},
		"t.banner.message":     {"Wir messen die Reichweite.\nMit Ihrer Zustimmung."},
	})
	o.submit("/admin/sites/demo/translations/it", "/admin/sites/demo/translations/it", url.Values{
		"t.categories[1].name":        {""}, // back to the French, for now
		"t.categories[1].description": {"Matomo conta le visite."},
	})
	o.submit("/admin/sites/demo/translations/en", "/admin/sites/demo/translations/en", url.Values{"t.banner.title": {""}})
	o.submit("/admin/sites/demo/publish", "/admin/sites/demo/publish", url.Values{})

	// What the editor did, applied to the imported site: the export must be
	// exactly that.
	site.SetTranslation("cookies[2].purpose", "de", "Daten über API-Aufrufe abrufen")
	site.SetTranslation("banner.title", "de", "Ihre Cookies")
	site.SetTranslation("banner.message", "de", "Wir messen die Reichweite.\nMit Ihrer Zustimmung.")
	site.SetTranslation("categories[1].name", "it", "")
	site.SetTranslation("categories[1].description", "it", "Matomo conta le visite.")
	site.SetTranslation("banner.title", "en", "")
	var want bytes.Buffer
	if err := registry.EncodeYAML(&want, site); err != nil {
		t.Fatal(err)
	}
	code, exported, errOut := charte(t, "", nil, "site", "--db", db, "export", "demo")
	if code != 0 {
		t.Fatalf("export: %d %s", code, errOut)
	}
	if exported != want.String() {
		t.Errorf("export after the back office's edits:\n%s\nwant\n%s", exported, want.String())
	}
	_, published, _ := charte(t, "", nil, "site", "--db", db, "list")
	if !strings.Contains(published, site.Revision()) {
		t.Errorf("the published revision is not the edited site's %s:\n%s", site.Revision(), published)
	}

	// Into another database and out again: nothing lost, nothing added.
	other := tempDB(t)
	charte(t, "", nil, "db", "--db", other, "migrate")
	if code, out, errOut := charte(t, exported, nil, "site", "--db", other, "import", "-"); code != 0 {
		t.Fatalf("import of the export: %d %s %s", code, out, errOut)
	}
	if _, again, _ := charte(t, "", nil, "site", "--db", other, "export", "demo"); again != exported {
		t.Errorf("import → export changed the registry:\n%s\n---\n%s", exported, again)
	}
	// The JSON export keeps them as well.
	_, asJSON, _ := charte(t, "", nil, "site", "--db", db, "--format", "json", "export", "demo")
	third := tempDB(t)
	charte(t, "", nil, "db", "--db", third, "migrate")
	if code, out, errOut := charte(t, asJSON, nil, "site", "--db", third, "import", "-"); code != 0 {
		t.Fatalf("import of the JSON export: %d %s %s", code, out, errOut)
	}
	if _, again, _ := charte(t, "", nil, "site", "--db", third, "export", "demo"); again != exported {
		t.Errorf("JSON export → import changed the registry:\n%s\n---\n%s", exported, again)
	}
}
