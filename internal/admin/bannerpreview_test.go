package admin_test

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/charte/charte/internal/store/storetest"
)

var inlineScript = regexp.MustCompile(`(?s)<script data-reload="false">(.*?)</script>`)

// TestBannerPreviewPage: the preview page carries the draft's banner in the
// language asked for, under a CSP that sandboxes it, lets it connect nowhere
// and runs exactly its one inline script; an edited text shows there before
// it is published, and visitors still get the published one.
func TestBannerPreviewPage(t *testing.T) {
	e := newEnv(t, storetest.New(t))
	editor := e.signedIn("editor@example.org")
	const draftTitle = "Nos cookies, vos choix"
	if r := editor.post("/admin/sites/demo/texts", url.Values{"title.fr": {draftTitle}}); r.status != http.StatusSeeOther {
		t.Fatalf("saving the texts: %d %s", r.status, r.body)
	}
	tests := []struct {
		name, query string
		want, not   []string
	}{
		{"French, the draft's title", "?lang=fr",
			[]string{`<html lang="fr">`, `"T":"` + draftTitle + `"`, `"A":"Tout accepter"`, `"C":"Personnaliser"`,
				`"h":"/admin/sites/demo/preview?lang=fr"`, "Afficher à nouveau le bandeau", "Gérer mes cookies"},
			[]string{"Vos choix sur les cookies", `"m":`, "analytics_storage"}},
		{"English, charte's default title", "?lang=en",
			[]string{`<html lang="en">`, `"T":"Your cookie choices"`, `"A":"Accept all"`, "Show the banner again"},
			[]string{draftTitle, "Tout accepter"}},
		{"a language the site lacks: its default", "?lang=pl",
			[]string{`<html lang="fr">`, `"T":"` + draftTitle + `"`}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := editor.get("/admin/sites/demo/banner-preview" + tt.query)
			if r.status != http.StatusOK {
				t.Fatalf("%d %s", r.status, r.body)
			}
			for _, w := range tt.want {
				if !strings.Contains(r.body, w) {
					t.Errorf("the preview lacks %s", w)
				}
			}
			for _, n := range tt.not {
				if strings.Contains(r.body, n) {
					t.Errorf("the preview holds %s", n)
				}
			}
			m := inlineScript.FindStringSubmatch(r.body)
			if m == nil || strings.Count(r.body, "<script") != 1 {
				t.Fatalf("want exactly one inline script, data-reload=\"false\":\n%s", r.body)
			}
			sum := sha256.Sum256([]byte(m[1]))
			csp := r.header.Get("Content-Security-Policy")
			for _, w := range []string{"script-src 'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "';",
				"connect-src 'none'", "frame-ancestors 'self'", "sandbox allow-scripts", "default-src 'none'"} {
				if !strings.Contains(csp, w) {
					t.Errorf("CSP %q lacks %s", csp, w)
				}
			}
			if strings.Contains(csp, "allow-same-origin") {
				t.Errorf("CSP %q gives the preview charte's origin", csp)
			}
		})
	}
	// Visitors still get the published texts.
	rev, err := e.st.Published(context.Background(), "demo")
	if err != nil {
		t.Fatal(err)
	}
	if got := rev.Site.Banner["fr"].Title; got == draftTitle {
		t.Error("saving the texts published them")
	}
	// The texts page frames one sandboxed preview per language.
	page := editor.get("/admin/sites/demo/texts").body
	for _, l := range []string{"fr", "en"} {
		if !strings.Contains(page, `sandbox="allow-scripts" title="Aperçu du bandeau (brouillon) (`+l+`)" src="/admin/sites/demo/banner-preview?lang=`+l+`"`) {
			t.Errorf("the texts page does not frame the %s banner preview:\n%s", l, page)
		}
	}
}
