package services

import (
	"slices"
	"strings"
	"testing"
)

// TestSnippetsMatch shows which recipes the catalogue recognises in inline
// scripts a site may carry: the loader snippets of the services that have
// one, and none in scripts that must keep running before consent (Consent
// Mode's defaults, the site's own code).
func TestSnippetsMatch(t *testing.T) {
	ix := Builtin().Snippets()
	tests := []struct {
		name, script string
		want         []string
	}{
		{"GTM", `(function(w,d,s,l,i){w[l]=w[l]||[];j.src='https://www.googletagmanager.com/gtm.js?id='+i+dl;})(window,document,'script','dataLayer','GTM-XYZ');`, []string{"google-tag-manager"}},
		{"GA4 config", "function gtag(){dataLayer.push(arguments);}\ngtag('js', new Date());\ngtag('config', 'G-12345');", []string{"google-analytics"}},
		{"Google Ads config", "gtag('config', 'AW-1');", []string{"google-ads"}},
		{"GA4 and Ads in one", "gtag('config', 'G-1'); gtag('config', 'AW-2');", []string{"google-analytics", "google-ads"}},
		{"Matomo", "_paq.push(['setTrackerUrl', u+'matomo.php']);", []string{"matomo"}},
		{"Meta Pixel", "t.src=v;}(window,document,'script','https://connect.facebook.net/fr_FR/fbevents.js');fbq('init','1');", []string{"meta-pixel"}},
		{"Hotjar", "h._hjSettings={hjid:1,hjsv:6};", []string{"hotjar"}},
		{"Clarity", `t.src="https://www.clarity.ms/tag/"+i;`, []string{"microsoft-clarity"}},
		{"LinkedIn", `_linkedin_partner_id = "1";`, []string{"linkedin-insight"}},
		{"Plausible", "window.plausible=window.plausible||function(){(plausible.q=plausible.q||[]).push(arguments)}", []string{"plausible"}},
		{"Consent Mode defaults", "window.dataLayer=window.dataLayer||[];function gtag(){dataLayer.push(arguments);}gtag('consent','default',{ad_storage:'denied'});", nil},
		{"site code", "document.querySelector('nav').addEventListener('click', () => menu.toggle());", nil},
		{"empty", "", nil},
		{"signature cut in two", "googletagmanager.com/gt" + "\n" + "m.js", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := recipeIDs(ix.Match([]byte(tt.script))); !slices.Equal(got, tt.want) {
				t.Errorf("Match = %v, want %v", got, tt.want)
			}
		})
	}
	if ix.Len() < 10 {
		t.Errorf("the catalogue has %d signatures; the common loaders alone have more", ix.Len())
	}
}

// TestCheckRefusesSnippets: a signature too short to be distinctive, or one
// missing from its own examples, is refused with the field named.
func TestCheckRefusesSnippets(t *testing.T) {
	base := `id: demo
version: 1
name: {fr: Démo, en: Demo}
description: {fr: Démo, en: Demo}
vendor: {name: Demo SAS, country: FR, privacy_policy: "https://demo.example/privacy"}
category: marketing
placeholder: none
urls:
- {kind: script, pattern: "cdn.demo.example/tag.js", examples: ["https://cdn.demo.example/tag.js"]}
snippets:
- {signature: "cdn.demo.example/tag.js", examples: ["s.src='https://cdn.demo.example/tag.js'"]}
`
	if err := parseOne(t, base); err != nil {
		t.Fatalf("the good recipe is refused: %v", err)
	}
	for _, tt := range []struct{ from, to, want string }{
		{`signature: "cdn.demo.example/tag.js"`, `signature: "tag.js"`, "snippets[0].signature"},
		{`signature: "cdn.demo.example/tag.js"`, `signature: " cdn.demo.example/tag.js"`, "snippets[0].signature"},
		{`["s.src='https://cdn.demo.example/tag.js'"]`, `["s.src='https://cdn.demo.example/tog.js'"]`, "snippets[0].examples"},
		{`["s.src='https://cdn.demo.example/tag.js'"]`, `[]`, "snippets[0].examples"},
	} {
		bad := strings.Replace(base, tt.from, tt.to, 1)
		if bad == base {
			t.Fatalf("test edit %q not applied", tt.from)
		}
		if err := parseOne(t, bad); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("with %q: err = %v, want one mentioning %q", tt.to, err, tt.want)
		}
	}
}

// FuzzSnippetIndex checks the automaton against the obvious definition:
// a recipe matches when one of its signatures is a substring.
func FuzzSnippetIndex(f *testing.F) {
	recipes := []*Recipe{
		{ID: "a", Snippets: []Snippet{{Signature: "abcab"}, {Signature: "bca"}}},
		{ID: "b", Snippets: []Snippet{{Signature: "cabx"}}},
		{ID: "c", Snippets: []Snippet{{Signature: "aaaa"}, {Signature: "ab"}}},
		{ID: "d", Snippets: []Snippet{{Signature: "b"}}},
	}
	ix := NewSnippetIndex(recipes)
	for _, s := range []string{"", "abcabx", "aaab", "xxxx", "cabcabx", "aaaaa"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := recipeIDs(ix.Match([]byte(s)))
		slices.Sort(got)
		var want []string
		for _, r := range recipes {
			if slices.ContainsFunc(r.Snippets, func(sn Snippet) bool { return strings.Contains(s, sn.Signature) }) {
				want = append(want, r.ID)
			}
		}
		if !slices.Equal(got, want) {
			t.Errorf("Match(%q) = %v, want %v", s, got, want)
		}
	})
}

func BenchmarkSnippetMatch(b *testing.B) {
	ix := Builtin().Snippets()
	script := []byte(strings.Repeat("document.querySelector('nav').addEventListener('click', () => menu.toggle());\n", 20))
	b.SetBytes(int64(len(script)))
	for b.Loop() {
		ix.Match(script)
	}
}
