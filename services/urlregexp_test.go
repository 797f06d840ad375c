package services

import (
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// TestURLRegexpAgreesWithIndex: over every example URL of the catalogue,
// each recipe's expression matches exactly the URLs the index gives that
// recipe for, so the banner blocks what the proxy would.
func TestURLRegexpAgreesWithIndex(t *testing.T) {
	cat := Builtin()
	var examples []string
	for _, r := range cat.All() {
		for _, u := range r.URLs {
			examples = append(examples, u.Examples...)
		}
	}
	examples = append(examples, "https://www.YouTube.com/embed/x", "https://youtube.com/embed/x", "http://example.org/",
		"https://stats.example.org/matomo.js", "https://www.googletagmanager.com/gtag/js?id=AW-1")
	for _, r := range cat.All() {
		re := regexp.MustCompile(r.URLRegexp())
		for _, ex := range examples {
			u, err := url.Parse(ex)
			if err != nil {
				t.Fatal(err)
			}
			target := u.Hostname() + u.EscapedPath()
			if u.EscapedPath() == "" {
				target += "/"
			}
			if u.RawQuery != "" {
				target += "?" + u.RawQuery
			}
			target = lowerHost(target)
			want := false
			for _, m := range cat.URLs().Match(ex) {
				want = want || m.Recipe == r
			}
			if got := re.MatchString(target); got != want {
				t.Errorf("%s: %s on %q: %v, the index says %v", r.ID, re, target, got, want)
			}
		}
	}
}

// lowerHost lowers the host part, as browsers give it.
func lowerHost(s string) string {
	for i := 0; i < len(s) && s[i] != '/'; i++ {
		if 'A' <= s[i] && s[i] <= 'Z' {
			s = s[:i] + string(s[i]+32) + s[i+1:]
		}
	}
	return s
}

func TestURLRegexpEmpty(t *testing.T) {
	if got := (&Recipe{ID: "x"}).URLRegexp(); got != "" {
		t.Errorf("a recipe without URLs: %q, want empty", got)
	}
}

// FuzzURLRegexp: for any URL, each recipe's expression agrees with the
// index on whether the URL is the recipe's.
func FuzzURLRegexp(f *testing.F) {
	cat := Builtin()
	for _, r := range cat.All() {
		for _, u := range r.URLs {
			for _, ex := range u.Examples {
				f.Add(ex)
			}
		}
	}
	f.Add("https://x.youtube.com/embed/a?b=c")
	f.Add("https://stats.example.org/piwik.php?idsite=1")
	res := map[*Recipe]*regexp.Regexp{}
	for _, r := range cat.All() {
		res[r] = regexp.MustCompile(r.URLRegexp())
	}
	f.Fuzz(func(t *testing.T, raw string) {
		u, err := url.Parse(raw)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Hostname() == "" {
			return
		}
		target := strings.ToLower(u.Hostname()) + u.EscapedPath()
		if u.EscapedPath() == "" {
			target += "/"
		}
		if u.RawQuery != "" {
			target += "?" + u.RawQuery
		}
		matched := map[*Recipe]bool{}
		for _, m := range cat.URLs().Match(raw) {
			matched[m.Recipe] = true
		}
		for _, r := range cat.All() {
			if got := res[r].MatchString(target); got != matched[r] {
				t.Errorf("%s: %s on %q (from %q): %v, the index says %v", r.ID, res[r], target, raw, got, matched[r])
			}
		}
	})
}
