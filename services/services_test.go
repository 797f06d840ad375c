package services

import (
	"encoding/csv"
	"net/url"
	"os"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
)

// TestCatalogue loads the embedded catalogue, which checks every recipe
// (Check) and fails on the first broken file, then asserts what the issue
// promises: at least 150 recipes, the services French public sites embed,
// and an exempt variant beside each tool that can run exempt.
func TestCatalogue(t *testing.T) {
	c, err := builtin()
	if err != nil {
		t.Fatal(err)
	}
	if n := len(c.All()); n < 150 {
		t.Errorf("%d recipes, want at least 150", n)
	}
	for _, id := range []string{
		"youtube", "youtube-nocookie", "dailymotion", "vimeo", "peertube",
		"matomo", "piano-analytics", "at-internet", "eulerian", "wysistat", "plausible", "google-analytics",
		"google-tag-manager", "microsoft-clarity", "hotjar", "google-maps", "openstreetmap", "umap",
		"calameo", "issuu", "soundcloud", "spotify", "deezer", "ausha", "x", "facebook", "instagram",
		"linkedin", "mastodon", "tiktok", "bluesky", "addtoany", "typeform", "tally", "framaforms", "crisp",
		"zendesk", "intercom", "hubspot", "recaptcha", "hcaptcha", "friendly-captcha", "turnstile",
		"google-ads", "meta-pixel", "linkedin-insight", "criteo", "microsoft-ads", "mailchimp", "brevo-forms",
		"google-fonts", "jsdelivr",
	} {
		if _, ok := c.Get(id); !ok {
			t.Errorf("recipe %q is missing", id)
		}
	}
	for _, id := range []string{"matomo", "piano-analytics", "at-internet", "eulerian", "wysistat", "plausible"} {
		ex, ok := c.Get(id + "-exempt")
		if !ok || ex.Exemption == nil || ex.Exemption.Of != id {
			t.Errorf("%s has no exempt variant %s-exempt pointing back to it", id, id)
		}
	}
	for _, r := range c.All() {
		for _, s := range r.Cookies {
			if r.Exempt() && s.Lifetime.Exceeds("13 months") {
				t.Errorf("%s: exempt cookie %s lives %s", r.ID, s.Name, s.Lifetime)
			}
		}
	}
}

// TestURLMatch is what the proxy and the scanner will ask: which service a
// URL a page loads belongs to.
func TestURLMatch(t *testing.T) {
	ix := Builtin().URLs()
	tests := []struct {
		url  string
		want string // first recipe, "" for none
	}{
		{"https://www.youtube.com/embed/dQw4w9WgXcQ?autoplay=1", "youtube"},
		{"https://youtube.com/embed/dQw4w9WgXcQ", "youtube"},
		{"https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ", "youtube-nocookie"},
		{"https://www.googletagmanager.com/gtm.js?id=GTM-ABCD", "google-tag-manager"},
		{"https://www.googletagmanager.com/gtag/js?id=G-XYZ", "google-analytics"},
		{"https://www.googletagmanager.com/gtag/js?id=AW-123", "google-ads"},
		{"https://stats.ville.fr/matomo.js", "matomo"},
		{"https://STATS.ville.fr/piwik.js", "matomo"},
		{"https://connect.facebook.net/fr_FR/fbevents.js", "meta-pixel"},
		{"https://connect.facebook.net/fr_FR/sdk.js", "facebook"},
		{"https://a.tile.openstreetmap.org/1/2/3.png", "openstreetmap"},
		{"https://peertube.example/videos/embed/abc", "peertube"},
		{"https://mastodon.social/@someone/123/embed", "mastodon"},
		{"https://www.google.com/maps/embed?pb=1", "google-maps"},
		{"https://www.google.com/recaptcha/api.js", "recaptcha"},
		// Look-alikes and other schemes match nothing.
		{"https://www.youtube.com.evil.example/embed/x", ""},
		{"https://notyoutube.com/embed/x", ""},
		{"https://www.youtube.com/watch?v=x", ""},
		{"javascript:alert(1)", ""},
		{"ftp://www.youtube.com/embed/x", ""},
		{"https://www.example.org/", ""},
		{"not a url at all", ""},
	}
	for _, tt := range tests {
		got := ix.Match(tt.url)
		first := ""
		if len(got) > 0 {
			first = got[0].Recipe.ID
		}
		if first != tt.want {
			t.Errorf("Match(%q) = %q, want %q (all: %v)", tt.url, first, tt.want, ids(got))
		}
	}
}

func TestMatchHost(t *testing.T) {
	ix := Builtin().URLs()
	tests := []struct {
		host string
		want []string
	}{
		{"www.youtube.com", []string{"youtube"}},
		{"i.ytimg.com", []string{"youtube"}},
		{"player.vimeo.com", []string{"vimeo"}},
		{"bat.bing.com", []string{"microsoft-ads"}},
		{"www.example.org", nil},
	}
	for _, tt := range tests {
		if got := ids(ix.MatchHost(tt.host)); !slices.Equal(got, tt.want) {
			t.Errorf("MatchHost(%q) = %v, want %v", tt.host, got, tt.want)
		}
	}
	// GTM's host also serves GA4 and Google Ads: the host names all three.
	got := ids(ix.MatchHost("www.googletagmanager.com"))
	for _, id := range []string{"google-tag-manager", "google-analytics", "google-ads"} {
		if !slices.Contains(got, id) {
			t.Errorf("MatchHost(www.googletagmanager.com) = %v, want %s among them", got, id)
		}
	}
}

func TestMatchCookie(t *testing.T) {
	c := Builtin()
	tests := []struct {
		name, domain string
		want         string
	}{
		{"_pk_id.1.abcd", "www.ville.fr", "matomo"},
		{"VISITOR_INFO1_LIVE", ".youtube.com", "youtube"},
		{"_ga", "www.ville.fr", "google-analytics"},
		{"_ga_ABC123", "www.ville.fr", "google-analytics"},
		{"_fbp", "www.ville.fr", "meta-pixel"},
		{"IDE", ".doubleclick.net", "google-ad-manager"},
		// A name on another owner's domain is not theirs.
		{"VISITOR_INFO1_LIVE", "www.ville.fr", ""},
		{"sessionid", "www.ville.fr", ""},
	}
	for _, tt := range tests {
		got := c.MatchCookie(tt.name, tt.domain)
		first := ""
		if len(got) > 0 {
			first = got[0].ID
		}
		if first != tt.want && !(tt.want != "" && slices.ContainsFunc(got, func(r *Recipe) bool { return r.ID == tt.want })) {
			t.Errorf("MatchCookie(%q, %q) = %v, want %q", tt.name, tt.domain, recipeIDs(got), tt.want)
		}
	}
}

func TestMatchStorage(t *testing.T) {
	c := Builtin()
	for key, want := range map[string]string{"yt-remote-device-id": "youtube", "ZD-buid": "zendesk", "SL_C_23361dd035530_SID": "smartlook", "theme": ""} {
		got := recipeIDs(c.MatchStorage(key))
		if (want == "" && len(got) > 0) || (want != "" && !slices.Contains(got, want)) {
			t.Errorf("MatchStorage(%q) = %v, want %q", key, got, want)
		}
	}
}

// TestOpenCookieDatabase cross-checks the catalogue against the Open Cookie
// Database (read from the shared data folder, never copied): the cookies it
// lists for the key services are recognised as those services'.
func TestOpenCookieDatabase(t *testing.T) {
	f, err := os.Open("../../shared/data/open-cookie-database.csv")
	if err != nil {
		t.Skipf("Open Cookie Database not found (%v): it lives in shared/data, beside the repository", err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	platforms := map[string]string{"Youtube": "youtube", "Matomo": "matomo", "Hotjar": "hotjar", "Vimeo": "vimeo", "Spotify": "spotify", "Intercom": "intercom"}
	want := map[string][]string{ // the cookies of each platform the recipes declare
		"youtube": {"VISITOR_INFO1_LIVE", "YSC", "PREF", "VISITOR_PRIVACY_METADATA", "__Secure-ROLLOUT_TOKEN"},
		"matomo":  {"_pk_id", "_pk_ses", "_pk_ref"}, "hotjar": {"_hjSession_", "_hjSessionUser_"},
		"vimeo": {"vuid"}, "spotify": {"sp_t", "sp_landing"},
		"intercom": {"intercom-id-", "intercom-session-", "intercom-device-id-"},
	}
	c := Builtin()
	checked := 0
	for _, row := range rows[1:] {
		id, ok := platforms[row[1]]
		if !ok || !slices.Contains(want[id], row[3]) {
			continue
		}
		// The domain column may read "youtube.com (3rd party)": its first word.
		name, domain := row[3], ""
		if f := strings.Fields(row[4]); len(f) > 0 {
			domain = f[0]
		}
		if row[9] == "1" {
			name += "x.1" // any name of the family
		}
		checked++
		if got := recipeIDs(c.MatchCookie(name, domain)); !slices.Contains(got, id) {
			t.Errorf("Open Cookie Database: %s cookie %q (domain %q) matches %v, want %s", row[1], name, domain, got, id)
		}
	}
	if checked < 15 {
		t.Errorf("cross-checked %d cookies, want the 15 or more the database lists for these platforms", checked)
	}
}

// TestCheckRefuses shows Check's errors on broken recipes: each must be
// refused with a message naming the field.
func TestCheckRefuses(t *testing.T) {
	good := `id: demo
version: 1
name: {fr: Démo, en: Demo}
description: {fr: Démo, en: Demo}
vendor: {name: Demo SAS, country: FR, privacy_policy: "https://demo.example/privacy"}
category: marketing
placeholder: video
cookies:
- {name: demo_id, domain: demo.example, lifetime: 1 year, party: third, purpose: {fr: Identifier, en: Identify}}
urls:
- {kind: iframe, pattern: "player.demo.example/embed/", examples: ["https://player.demo.example/embed/1"]}
`
	if err := parseOne(t, good); err != nil {
		t.Fatalf("the good recipe is refused: %v", err)
	}
	tests := []struct{ from, to, want string }{
		{"lifetime: 1 year", "lifetime: forever", "cookies[0].lifetime"},
		{"name: demo_id", "name: demo id", "cookies[0].name"},
		{"en: Identify}", "en: ''}", "cookies[0].purpose.en"},
		{"category: marketing", "category: ads", "category"},
		{"country: FR", "country: ZZ", "vendor.country"},
		{`"https://demo.example/privacy"`, `"http://demo.example/privacy"`, "vendor.privacy_policy"},
		{`["https://player.demo.example/embed/1"]`, `["https://player.demo.example/watch/1"]`, "does not match"},
		{`"player.demo.example/embed/"`, `"*/e/"`, "distinctive path"},
		{`"player.demo.example/embed/"`, `"*.example/embed/"`, "urls[0].pattern"},
		{"placeholder: video", "placeholder: popup", "placeholder"},
		{"version: 1", "version: 0", "version"},
		{"name: {fr: Démo, en: Demo}\n", "name: {fr: Démo, en: Demo}\nunknown: 1\n", "field unknown not found"},
		{"name: {fr: Démo, en: Demo}", "name: {fr: Démo}", "name.en"},
	}
	for _, tt := range tests {
		bad := strings.Replace(good, tt.from, tt.to, 1)
		if bad == good {
			t.Fatalf("test edit %q not applied", tt.from)
		}
		err := parseOne(t, bad)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("with %q: err = %v, want one mentioning %q", tt.to, err, tt.want)
		}
	}
}

func parseOne(t *testing.T, yaml string) error {
	t.Helper()
	_, err := Parse(fstest.MapFS{"r/demo.yaml": {Data: []byte(yaml)}}, "r")
	return err
}

func ids(ms []Match) []string {
	var out []string
	for _, m := range ms {
		out = append(out, m.Recipe.ID)
	}
	return out
}

func recipeIDs(rs []*Recipe) []string {
	var out []string
	for _, r := range rs {
		out = append(out, r.ID)
	}
	return out
}

func FuzzURLMatch(f *testing.F) {
	for _, s := range []string{"https://www.youtube.com/embed/x", "https://a.b/", "http://[::1]/x", "https://x/%zz"} {
		f.Add(s)
	}
	ix := Builtin().URLs()
	f.Fuzz(func(t *testing.T, s string) {
		for _, m := range ix.Match(s) {
			if m.Recipe == nil || m.Pattern == "" {
				t.Fatalf("Match(%q) gave an empty match", s)
			}
		}
	})
}

func BenchmarkURLMatch(b *testing.B) {
	ix := Builtin().URLs()
	urls := []string{"https://www.youtube.com/embed/x", "https://www.example.org/app.js", "https://stats.example.org/matomo.js", "https://fonts.gstatic.com/s/a.woff2"}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		ix.Match(urls[i%len(urls)])
	}
}

// FuzzSplitURL: wherever splitURL cuts a URL without url.Parse, url.Parse
// reads the same host and path: the fast path never changes a match.
func FuzzSplitURL(f *testing.F) {
	for _, s := range []string{"https://www.youtube.com/embed/x", "HTTP://A.b:8080/p?q=%41&r", "https://a.b", "https://a.b?x", "https://a.b/(x)*!'$;", "https://u@a.b/", "https://a.b:x/", "https://a.b/%41", "https://a.b/p#f", "https://-.b:/", "https://a.b/p?", "https://a.b/p??"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		host, target, ok := splitURL(s)
		if !ok {
			return
		}
		u, err := url.Parse(s)
		if err != nil {
			t.Fatalf("splitURL(%q) = %q, %q but url.Parse fails: %v", s, host, target, err)
		}
		want := u.EscapedPath()
		if want == "" {
			want = "/"
		}
		if u.RawQuery != "" {
			want += "?" + u.RawQuery
		}
		if (u.Scheme != "http" && u.Scheme != "https") || host != strings.ToLower(u.Hostname()) || target != want {
			t.Fatalf("splitURL(%q) = %q, %q; url.Parse reads %q, %q, %q", s, host, target, u.Scheme, u.Hostname(), want)
		}
	})
}
