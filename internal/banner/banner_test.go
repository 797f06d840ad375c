package banner

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/charte/charte/internal/demo"
	"github.com/charte/charte/registry"
)

// sizeBudget is the budget for the demo site's script, gzipped, in each of
// its languages: JS, CSS and the texts of one language. Issue 3 set it at
// 5,120 bytes; issue 14's accessibility fixes and issue 11's languages took
// the script to 5,597 (ar) and the budget to 5,700, until the preferences
// dialog left the script (issue 11's budgets): charte renders it and the
// script fetches it when it first opens (dialog.go), so the first layer,
// all that most visitors use, carries neither its markup, its texts, nor
// the categories' descriptions and cookie lists. Back to issue 3's figure;
// BENCHMARKS.md has the per-language sizes.
const sizeBudget = 5120

// withoutConfig is a script without its configuration.
func withoutConfig(t *testing.T, script string) string {
	t.Helper()
	i := strings.Index(script, `{"r":`)
	if i < 0 {
		t.Fatal("no configuration in the script")
	}
	d := json.NewDecoder(strings.NewReader(script[i:]))
	var v any
	if err := d.Decode(&v); err != nil {
		t.Fatal(err)
	}
	return script[:i] + script[i+int(d.InputOffset()):]
}

func gzipped(t testing.TB, b []byte) int {
	t.Helper()
	var z bytes.Buffer
	w := gzip.NewWriter(&z) // default level, as the budget says
	w.Write(b)
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return z.Len()
}

// TestBannerSizeBudget measures what the demo site's visitors download. The
// figure goes to BENCHMARKS.md.
func TestBannerSizeBudget(t *testing.T) {
	site := demo.Site("demo")
	for _, lang := range site.Languages {
		body, err := Build(site, site.Revision(), lang, Options{APIBase: "https://charte.example"})
		if err != nil {
			t.Fatal(err)
		}
		n := gzipped(t, body)
		t.Logf("demo site, %s: %d bytes minified, %d bytes gzipped (budget %d)", lang, len(body), n, sizeBudget)
		if n > sizeBudget {
			t.Errorf("%s: the banner is %d bytes gzipped, over the budget of %d", lang, n, sizeBudget)
		}
	}
}

// withDialog is a site's script and its dialog (the details it fetches),
// as one text: what a visitor who opens the preferences gets.
func withDialog(t *testing.T, site *registry.Site, lang string, opts Options) string {
	t.Helper()
	body, err := Build(site, site.Revision(), lang, opts)
	if err != nil {
		t.Fatal(err)
	}
	more, err := Details(site, site.Revision(), lang, opts)
	if err != nil {
		t.Fatal(err)
	}
	return string(body) + dialogOf(t, more)
}

// dialogOf is the dialog's markup in the details.
func dialogOf(t *testing.T, more []byte) string {
	t.Helper()
	var d details
	if err := json.Unmarshal(more, &d); err != nil || d.Dialog == "" {
		t.Fatalf("details %.80q: %v", more, err)
	}
	return d.Dialog
}

// TestBannerBuild checks what each site's script and its dialog carry: the
// wording of its language only, its cookies, its settings.
func TestBannerBuild(t *testing.T) {
	custom := demo.Site("demo")
	custom.Banner = map[string]registry.BannerText{"fr": {Title: "Cookies & <vous>", Message: "Nos cookies."}}
	custom.IgnoreGPC = true
	custom.CookieDomain = ".pau.fr"
	tests := []struct {
		name, lang string
		site       *registry.Site
		want, not  []string
	}{
		{"demo in French", "fr", demo.Site("demo"),
			[]string{`"A":"Tout accepter"`, `"R":"Tout refuser"`, `"C":"Personnaliser"`, `"X":"Continuer sans accepter"`,
				`"_pk_id*"`, `"_pk_ses*"`, `"YSC"`, "Mesure d'audience", "Partenaires tiers : YouTube (Google).",
				"conservé 6 mois", `"g":true`, `"t":15778476`, `"analytics_storage":"denied"`, `"security_storage":"granted"`,
				`"q":{"ad_personalization":["marketing"]`, `"wait_for_update":500`,
				`"a":"https://charte.example/api/v1/sites/demo/consents"`, `"h":"https://charte.example/sites/demo/charter?lang=fr"`,
				"data-charte-action", "adoptedStyleSheets", "globalPrivacyControl", "keepalive"},
			[]string{"Accept all", "Reject all", "CHARTE_CONFIG", "CHARTE_CSS"}},
		{"demo in English", "en", demo.Site("demo"),
			[]string{`"A":"Accept all"`, `"R":"Reject all"`, `"C":"Customise"`, `"X":"Continue without accepting"`,
				"Audience measurement", "Third parties: YouTube (Google).", "kept for 6 months", `"l":"en"`},
			[]string{"Tout accepter", "Tout refuser"}},
		{"no consent needed", "fr", demo.Site("opendata-pau"),
			[]string{`"c":[]`, `<b>sessionid</b>`, `<b>cookies_preferences</b>`, "aucun ne requiert votre consentement"},
			[]string{`"m":`, `"q":`, "Partenaires tiers"}},
		{"site overrides, escaped", "fr", custom,
			[]string{`"T":"Cookies &amp; &lt;vous&gt;"`, `"M":"Nos cookies."`, `"g":false`, `"d":"pau.fr"`},
			[]string{"<vous>", "Vos choix sur les cookies"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := withDialog(t, tt.site, tt.lang, Options{APIBase: "https://charte.example/"})
			for _, w := range tt.want {
				if !strings.Contains(s, w) {
					t.Errorf("the script lacks %s", w)
				}
			}
			for _, n := range tt.not {
				if strings.Contains(s, n) {
					t.Errorf("the script holds %s", n)
				}
			}
			if !strings.Contains(s, `"r":"`+tt.site.Revision()+`"`) {
				t.Errorf("the script lacks its revision %s", tt.site.Revision())
			}
		})
	}
}

func TestBannerBuildRejects(t *testing.T) {
	bad := demo.Site("demo")
	bad.Cookies[0].Name = "<img>"
	tests := []struct {
		name, lang string
		site       *registry.Site
	}{
		{"language the site lacks", "pl", demo.Site("demo")},
		{"cookie name with markup", "fr", bad},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := Build(tt.site, "abc", tt.lang, Options{}); err == nil {
				t.Error("Build succeeded")
			}
		})
	}
}

func TestBannerCache(t *testing.T) {
	var mu sync.Mutex
	var built []Built
	c := NewCache(func(b Built) {
		mu.Lock()
		built = append(built, b)
		mu.Unlock()
	})
	site := demo.Site("demo")
	opts := Options{APIBase: "https://charte.example"}
	if _, ok := c.Lookup("demo", site.Revision(), "fr", opts); ok {
		t.Fatal("an empty cache found a script")
	}
	// Concurrent first requests share one build.
	var wg sync.WaitGroup
	firsts := make([]*Script, 8)
	for i := range firsts {
		wg.Go(func() { firsts[i], _ = c.Get(site, site.Revision(), "fr", opts) })
	}
	wg.Wait()
	fr := firsts[0]
	for _, s := range firsts {
		if s == nil || s != fr {
			t.Fatal("concurrent first requests got different scripts or none")
		}
	}
	again, _ := c.Get(site, site.Revision(), "fr", opts)
	en, _ := c.Get(site, site.Revision(), "en", opts)
	if again != fr {
		t.Error("a second Get built the script again")
	}
	if en.ETag == fr.ETag {
		t.Error("French and English share an ETag")
	}
	if got, ok := c.Lookup("demo", site.Revision(), "fr", opts); !ok || got != fr {
		t.Error("Lookup missed a built script")
	}
	z, err := gzip.NewReader(bytes.NewReader(fr.Gzip))
	if err != nil {
		t.Fatal(err)
	}
	var plain bytes.Buffer
	plain.ReadFrom(z)
	if !bytes.Equal(plain.Bytes(), fr.Body) {
		t.Error("the gzipped script is not the script")
	}
	if sum := sha256.Sum256(fr.Body); fr.SHA256 != hex.EncodeToString(sum[:]) {
		t.Errorf("SHA256 %s is not the body's", fr.SHA256)
	}
	// The hook heard of each build once: fr, en; then fr again once forgotten.
	c.Forget("demo", site.Revision(), "fr", opts)
	if rebuilt, _ := c.Get(site, site.Revision(), "fr", opts); rebuilt == fr || !bytes.Equal(rebuilt.Body, fr.Body) {
		t.Error("after Forget, Get did not build the same bytes anew")
	}
	var langs []string
	for _, b := range built {
		langs = append(langs, b.Lang)
		if b.SiteID != "demo" || b.Revision != site.Revision() || b.Options != opts || b.Script == nil {
			t.Errorf("built hook got %+v", b)
		}
	}
	if strings.Join(langs, " ") != "fr en fr" {
		t.Errorf("built hook called for %v, want [fr en fr]", langs)
	}
}

// TestBannerPreview: the back office's preview runs the visitors' code with
// the draft's configuration, minus Consent Mode, its charter link at the
// draft's charter, its dialog inline (a draft has no published details).
// Apart from the configuration it is the very bytes visitors get, which
// shows that no preview code rides in the public script.
func TestBannerPreview(t *testing.T) {
	public := func(s *registry.Site) string {
		b, err := Build(s, s.Revision(), "fr", Options{APIBase: "https://charte.example"})
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	tests := []struct {
		name      string
		site      *registry.Site
		charter   string
		want, not []string
		same      bool // byte for byte the public script
	}{
		{"Consent Mode left out, charter of the draft", demo.Site("demo"), "/admin/sites/demo/preview?lang=fr",
			[]string{`"h":"/admin/sites/demo/preview?lang=fr"`, `"A":"Tout accepter"`, `"_pk_id*"`},
			[]string{`"m":`, `"q":`, "analytics_storage", "https://charte.example/sites/demo/charter"}, false},
		{"no Consent Mode, no charter given", demo.Site("opendata-pau"), "", nil, nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body, err := Build(tt.site, tt.site.Revision(), "fr", Options{APIBase: "https://charte.example", Preview: true, Charter: tt.charter})
			if err != nil {
				t.Fatal(err)
			}
			s := string(body)
			for _, w := range tt.want {
				if !strings.Contains(s, w) {
					t.Errorf("the preview lacks %s", w)
				}
			}
			for _, n := range tt.not {
				if strings.Contains(s, n) {
					t.Errorf("the preview holds %s", n)
				}
			}
			if same := s == public(tt.site); same != tt.same {
				t.Errorf("preview identical to the public script: %v, want %v", same, tt.same)
			}
			// Only the configuration differs, the dialog inline for the
			// URL of the visitors' details, and the dialog's rules with it.
			all, err := minified()
			if err != nil {
				t.Fatal(err)
			}
			own := strings.Replace(withoutConfig(t, s), all[tt.site.Theme][3], "", 1)
			if a, b := own, withoutConfig(t, public(tt.site)); a != b {
				t.Errorf("the preview's code differs from the visitors':\n%s\n%s", a, b)
			}
			if c := configOf(t, body); c.Details != "" || !strings.Contains(c.Dialog, `role="dialog"`) {
				t.Errorf("the preview's configuration: j %q, o %.40q; want no j and the dialog inline", c.Details, c.Dialog)
			}
		})
	}
}

// TestBannerThemes: each script carries its own theme's markup and style
// sheet only, so charte's own look pays nothing for the DSFR's; an unknown
// theme is refused.
func TestBannerThemes(t *testing.T) {
	site := demo.Site("demo")
	dsfr := demo.Site("demo")
	dsfr.Theme = registry.ThemeDSFR
	tests := []struct {
		name     string
		site     *registry.Site
		has, not []string
	}{
		{"charte", site, []string{"charte-banner", `"charte charte-o"`, "charte-ph", "Enregistrer mes choix"}, []string{"fr-consent", "fr-modal", "Confirmer mes choix"}},
		{"dsfr", dsfr, []string{"fr-consent-banner", "fr-consent-manager", "fr-consent-service", "fr-consent-placeholder", "fr-modal", "fr-btns-group", "Confirmer mes choix", `>Accepter</label>`, `>Refuser</label>`},
			[]string{"charte-banner", `"charte charte-o"`, "place-items"}},
	}
	for _, tt := range tests {
		body := []byte(withDialog(t, tt.site, "fr", Options{APIBase: "https://charte.example"}))
		t.Logf("theme %s, fr: %d bytes gzipped with its dialog", tt.name, gzipped(t, body))
		for _, w := range tt.has {
			if !bytes.Contains(body, []byte(w)) {
				t.Errorf("theme %s: the script lacks %q", tt.name, w)
			}
		}
		for _, n := range tt.not {
			if bytes.Contains(body, []byte(n)) {
				t.Errorf("theme %s: the script carries %q", tt.name, n)
			}
		}
	}
	odd := demo.Site("demo")
	odd.Theme = "material"
	if _, err := Build(odd, odd.Revision(), "fr", Options{}); err == nil {
		t.Error("an unknown theme built")
	}
	if _, problems, err := registry.Check(odd); err == nil || !strings.Contains(fmt.Sprint(problems), "theme") {
		t.Errorf("registry check of theme %q: %v %v", odd.Theme, err, problems)
	}
	if dsfr.Revision() == site.Revision() {
		t.Error("the theme does not change the revision")
	}
}
