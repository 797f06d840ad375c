package scan

import (
	"fmt"
	"net/url"
	"testing"
	"time"
)

// parseWrite keeps a write only when the cookie was surely stored, and
// places it where Chromium would.
func TestParseWrite(t *testing.T) {
	at := time.Date(2026, 11, 28, 10, 0, 0, 0, time.UTC)
	page, _ := url.Parse("http://www.example.org/docs/guide/intro.html")
	ip, _ := url.Parse("http://127.0.0.1:8080/a/b")
	tests := []struct {
		name     string
		line     string
		u        *url.URL
		response bool
		want     string // "" when not a stored cookie
	}{
		{"session, host-only, default path", "a=1", page, false, "a www.example.org /docs/guide 0s  "},
		{"max-age, domain, path", "_ga=GA1; Max-Age=3600; Domain=example.org; Path=/; SameSite=Lax", page, false, "_ga .example.org / 1h0m0s Lax "},
		{"expires", "e=1; Path=/; Expires=Sat, 28 Nov 2026 12:00:00 GMT", page, false, "e www.example.org / 2h0m0s  "},
		{"capped at 400 days", "long=1; Max-Age=63072000; Path=/", page, false, "long www.example.org / 9600h0m0s  "},
		{"HttpOnly by header", "sid=1; Path=/; HttpOnly; Secure; SameSite=None", page, true, "sid www.example.org / 0s None HttpOnly Secure"},
		{"a domain attribute naming the IP is host-only", "x=1; Domain=127.0.0.1; Path=/", ip, true, "x 127.0.0.1 / 0s  "},
		{"Max-Age=0 deletes", "_pk_id.1.a=; Max-Age=0; Path=/", page, false, ""},
		{"negative Max-Age deletes", "a=; Max-Age=-1", page, true, ""},
		{"an expiry in the past deletes", "a=; expires=Thu, 01 Jan 1970 00:00:00 GMT; path=/", page, false, ""},
		{"Max-Age wins over Expires", "a=1; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=60", page, true, "a www.example.org /docs/guide 1m0s  "},
		{"an expiry that does not parse", "a=1; Expires=tomorrow", page, true, ""},
		{"script cannot set HttpOnly", "a=1; HttpOnly", page, false, ""},
		{"no name", "=1", page, false, ""},
	}
	for _, tt := range tests {
		w, ok := parseWrite(tt.line, tt.u, at, tt.response)
		got := ""
		if ok {
			flags := ""
			if w.httpOnly {
				flags += "HttpOnly"
			}
			if w.secure {
				flags += " Secure"
			}
			got = fmt.Sprintf("%s %s %s %v %s %s", w.name, w.domain, w.path, time.Duration(w.lifetime)*time.Second, w.sameSite, flags)
			if (w.expires == nil) != (w.lifetime == 0) || (w.expires != nil && !w.expires.Equal(at.Add(time.Duration(w.lifetime)*time.Second))) {
				t.Errorf("%s: expires %v does not match lifetime %ds", tt.name, w.expires, w.lifetime)
			}
		}
		if got != tt.want {
			t.Errorf("%s: %q gives %q, want %q", tt.name, tt.line, got, tt.want)
		}
	}
}

func TestPathMatch(t *testing.T) {
	for _, tt := range []struct {
		req, cookie string
		want        bool
	}{
		{"/", "/", true}, {"/docs/a", "/docs", true}, {"/docs", "/docs", true}, {"/docs/", "/docs/", true},
		{"/docsx", "/docs", false}, {"/", "/docs", false}, {"", "/", true},
	} {
		if got := pathMatch(tt.req, tt.cookie); got != tt.want {
			t.Errorf("pathMatch(%q, %q) = %v", tt.req, tt.cookie, got)
		}
	}
}

// transientCookies reports what was written and is gone: once per name and
// domain, with the longest lifetime asked for; a cookie still there under
// the same name and domain (whatever the path or leading dot) is not gone.
func TestTransientCookies(t *testing.T) {
	s, err := newScanner(Options{URL: "http://127.0.0.1:8080/", Chromium: "true"})
	if err != nil {
		t.Fatal(err)
	}
	w := func(name, domain, path string, life int64, by string) cookieWrite {
		return cookieWrite{name: name, domain: domain, path: path, lifetime: life, setBy: by, page: "http://127.0.0.1:8080/p"}
	}
	writes := []cookieWrite{
		w("_pk_id.1.a", "127.0.0.1", "/", 3600, SetByScript),
		w("_pk_id.1.a", "127.0.0.1", "/", 7200, SetByScript),
		w("sessionid", "127.0.0.1", "/app", 60, SetByResponse),
		w("_ga", ".127.0.0.1", "/", 60, SetByScript),
		w("video_id", "127.0.0.2", "/", 60, SetByResponse),
	}
	present := []Cookie{{Name: "sessionid", Domain: "127.0.0.1", Path: "/"}, {Name: "_ga", Domain: "127.0.0.1", Path: "/"}}
	var got []string
	for _, c := range s.transientCookies(writes, present, "") {
		got = append(got, fmt.Sprintf("%s@%s %ds %s third=%v %s %v", c.Name, c.Domain, c.LifetimeSeconds, c.SetBy, c.ThirdParty, c.Class.Source, c.Transient))
	}
	want := []string{
		"_pk_id.1.a@127.0.0.1 7200s script third=false builtin true",
		"video_id@127.0.0.2 60s response third=true unknown true",
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("transient cookies:\n got %q\nwant %q", got, want)
	}
}
