package proxy

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

func TestCSPNonce(t *testing.T) {
	tests := []struct {
		name    string
		csp, ro []string // Content-Security-Policy, …-Report-Only
		want    string
	}{
		{"none", nil, nil, ""},
		{"script-src", []string{"script-src 'nonce-r4nd0m' 'strict-dynamic'; object-src 'none'"}, nil, "r4nd0m"},
		{"base64 with padding", []string{"script-src 'self' 'nonce-ab+/cd==' https:"}, nil, "ab+/cd=="},
		{"base64url", []string{"script-src 'nonce-ab-_cd'"}, nil, "ab-_cd"},
		{"upper-case keyword and directive", []string{"SCRIPT-SRC 'NONCE-xyz'"}, nil, "xyz"},
		{"tabs between sources", []string{"script-src\t'self'\t'nonce-tab'"}, nil, "tab"},
		{"default-src when no script-src", []string{"default-src 'self' 'nonce-d3f'; img-src *"}, nil, "d3f"},
		{"script-src wins over default-src", []string{"default-src 'nonce-d3f'; script-src 'self'"}, nil, ""},
		{"script-src-elem wins over script-src", []string{"script-src 'nonce-a'; script-src-elem 'nonce-b'"}, nil, "b"},
		{"the first of a repeated directive", []string{"script-src 'self'; script-src 'nonce-late'"}, nil, ""},
		{"a style nonce is not a script nonce", []string{"style-src 'nonce-st'; script-src 'self'"}, nil, ""},
		{"second policy in one header", []string{"img-src *, script-src 'nonce-two'"}, nil, "two"},
		{"second header", []string{"img-src *", "script-src 'nonce-h2'"}, nil, "h2"},
		{"report-only when nothing is enforced", nil, []string{"script-src 'nonce-rep'"}, "rep"},
		{"enforced first", []string{"script-src 'nonce-enf'"}, []string{"script-src 'nonce-rep'"}, "enf"},
		{"hostile: quote in the nonce", []string{`script-src 'nonce-a"b'`}, nil, ""},
		{"hostile: markup in the nonce", []string{"script-src 'nonce-<x>'"}, nil, ""},
		{"hostile: unterminated", []string{"script-src 'nonce-abc"}, nil, ""},
		{"hostile: empty", []string{"script-src 'nonce-'"}, nil, ""},
		{"hostile: padding only", []string{"script-src 'nonce-=='"}, nil, ""},
		{"hostile: padding inside", []string{"script-src 'nonce-a=b'"}, nil, ""},
		{"a bad nonce, then a good one", []string{"script-src 'nonce-a!' 'nonce-good'"}, nil, "good"},
		{"hash only", []string{"script-src 'sha256-abc='"}, nil, ""},
	}
	for _, tt := range tests {
		h := http.Header{}
		for _, v := range tt.csp {
			h.Add("Content-Security-Policy", v)
		}
		for _, v := range tt.ro {
			h.Add("Content-Security-Policy-Report-Only", v)
		}
		if got := cspNonce(h); got != tt.want {
			t.Errorf("%s: cspNonce = %q, want %q", tt.name, got, tt.want)
		}
	}
}

func FuzzCSPNonce(f *testing.F) {
	for _, s := range []string{"script-src 'nonce-r4nd0m'", "default-src 'nonce-a=='; script-src", "script-src 'nonce-\"><script>'"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, csp string) {
		h := http.Header{"Content-Security-Policy": {csp}}
		if n := cspNonce(h); n != "" && !isNonce(n) {
			t.Fatalf("cspNonce(%q) = %q, not a nonce", csp, n)
		}
	})
}

// TestProxyTagCarriesNonce: under a nonce policy the injected tag carries
// the page's nonce, also when it names the page's language; without one,
// or with a nonce no browser would accept, it is the plain tag.
func TestProxyTagCarriesNonce(t *testing.T) {
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if csp := r.URL.Query().Get("csp"); csp != "" {
			w.Header().Set("Content-Security-Policy", csp)
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, `<!doctype html><html lang="`+r.URL.Query().Get("lang")+`"><head><title>t</title></head><body>x</body></html>`)
	}))
	t.Cleanup(up.Close)
	proxy := newProxy(t, up.URL, nil)
	tests := []struct {
		name, csp, lang, want string
	}{
		{"no policy", "", "", testTag},
		{"nonce policy", "script-src 'nonce-r4nd0m' 'strict-dynamic'", "", `<script src="` + testURL + `" nonce="r4nd0m" defer></script>`},
		{"nonce policy, page in English", "default-src 'self' 'nonce-ab+/=='", "en", `<script src="` + testURL + `?lang=en" nonce="ab+/==" defer></script>`},
		{"host policy", "script-src 'self' https://charte.example", "", testTag},
		{"hostile nonce", `script-src 'nonce-"><script>alert(1)</script>'`, "", testTag},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, body := get(t, proxy.URL+"/?"+url.Values{"csp": {tt.csp}, "lang": {tt.lang}}.Encode(), "Accept", "text/html")
			if want := `<title>t</title>` + tt.want + `</head>`; !strings.Contains(body, want) {
				t.Errorf("got %s\nwant %s", body, want)
			}
		})
	}
}
