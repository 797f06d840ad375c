package services

import (
	"net/url"
	"regexp"
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
