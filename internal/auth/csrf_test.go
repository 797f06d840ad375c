package auth

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

func TestMaskRoundTrip(t *testing.T) {
	secret := newSecret()
	a, b := mask(secret), mask(secret)
	if a == b {
		t.Errorf("two masked tokens are equal: the mask is not fresh")
	}
	for _, tok := range []string{a, b, secret} {
		if got, ok := unmask(tok); !ok || got != secret {
			t.Errorf("unmask(%q) = %q, %v; want the secret", tok, got, ok)
		}
	}
	for _, bad := range []string{"", "short", strings.Repeat("a", 63), strings.Repeat("!", 64)} {
		if _, ok := unmask(bad); ok {
			t.Errorf("unmask(%q) accepted", bad)
		}
	}
}

func TestCSRFChecks(t *testing.T) {
	secret := newSecret()
	other := newSecret()
	type req struct {
		method, origin, referer, cookie, field, header string
	}
	tests := []struct {
		name   string
		base   string
		r      req
		reason string // "" when allowed
	}{
		{"GET needs nothing", "https://charte.example", req{method: "GET"}, ""},
		{"form with masked token", "http://127.0.0.1:8080", req{method: "POST", cookie: secret, field: mask(secret)}, ""},
		{"header with masked token", "http://127.0.0.1:8080", req{method: "DELETE", origin: "http://127.0.0.1:8080", cookie: secret, header: mask(secret)}, ""},
		{"https, origin matches", "https://charte.example", req{method: "POST", origin: "https://charte.example", cookie: secret, field: mask(secret)}, ""},
		{"https, referer matches", "https://charte.example", req{method: "POST", referer: "https://charte.example/admin/", cookie: secret, field: mask(secret)}, ""},
		{"trusted origin", "https://charte.example", req{method: "POST", origin: "https://admin.example.org", cookie: secret, field: mask(secret)}, ""},
		{"trusted wildcard", "https://charte.example", req{method: "POST", origin: "https://a.city.example", cookie: secret, field: mask(secret)}, ""},
		{"foreign origin", "https://charte.example", req{method: "POST", origin: "https://evil.example", cookie: secret, field: mask(secret)}, "origin"},
		{"origin null", "http://127.0.0.1:8080", req{method: "POST", origin: "null", cookie: secret, field: mask(secret)}, "origin"},
		{"other port", "http://127.0.0.1:8080", req{method: "POST", origin: "http://127.0.0.1:8081", cookie: secret, field: mask(secret)}, "origin"},
		{"https, no origin, no referer", "https://charte.example", req{method: "POST", cookie: secret, field: mask(secret)}, "referer.missing"},
		{"https, http referer", "https://charte.example", req{method: "POST", referer: "http://charte.example/", cookie: secret, field: mask(secret)}, "referer.insecure"},
		{"https, foreign referer", "https://charte.example", req{method: "POST", referer: "https://evil.example/x", cookie: secret, field: mask(secret)}, "referer.mismatch"},
		{"no cookie", "http://127.0.0.1:8080", req{method: "POST", field: mask(secret)}, "cookie"},
		{"no token", "http://127.0.0.1:8080", req{method: "POST", cookie: secret}, "missing"},
		{"token of another secret", "http://127.0.0.1:8080", req{method: "POST", cookie: secret, field: mask(other)}, "incorrect"},
		{"garbage token", "http://127.0.0.1:8080", req{method: "POST", cookie: secret, field: "x"}, "incorrect"},
	}
	for _, tc := range tests {
		base, _ := url.Parse(tc.base)
		c, err := NewCSRF(base, []string{"https://admin.example.org", "https://*.city.example"})
		if err != nil {
			t.Fatal(err)
		}
		var body string
		if tc.r.field != "" {
			body = url.Values{CSRFField: {tc.r.field}}.Encode()
		}
		r := httptest.NewRequest(tc.r.method, tc.base+"/admin/x", strings.NewReader(body))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		for h, v := range map[string]string{"Origin": tc.r.origin, "Referer": tc.r.referer, CSRFHeader: tc.r.header} {
			if v != "" {
				r.Header.Set(h, v)
			}
		}
		if tc.r.cookie != "" {
			r.AddCookie(&http.Cookie{Name: CSRFCookie, Value: tc.r.cookie})
		}
		var reason string
		reached := false
		h := c.Protect(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { reached = true }),
			func(_ http.ResponseWriter, _ *http.Request, err error) { reason = err.(*CSRFError).Key })
		h.ServeHTTP(httptest.NewRecorder(), r)
		if reason != tc.reason || reached != (tc.reason == "") {
			t.Errorf("%s: refused for %q (handler reached: %v), want %q", tc.name, reason, reached, tc.reason)
		}
	}
}

func TestNewCSRFRefusesBadOrigins(t *testing.T) {
	for _, o := range []string{"charte.example", "ftp://x", "https://x/path", "https://"} {
		if _, err := NewCSRF(nil, []string{o}); err == nil {
			t.Errorf("NewCSRF accepted trusted origin %q", o)
		}
	}
}

func TestLocalPath(t *testing.T) {
	tests := map[string]bool{
		"/admin/":               true,
		"/sites/demo/charter?x": true,
		"":                      false,
		"admin":                 false,
		"//evil.example":        false,
		"/\\evil.example":       false,
		"/\t/evil.example":      false,
		"https://evil.example":  false,
		"javascript:alert(1)":   false,
	}
	for p, want := range tests {
		if got := LocalPath(p); got != want {
			t.Errorf("LocalPath(%q) = %v, want %v", p, got, want)
		}
	}
}
