package consent

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/charte/charte/internal/demo"
	"github.com/charte/charte/registry"
)

// FuzzMatch checks the middleware's view of cookie names and domains: the
// precomputed index agrees with registry.Site.Match, a Set-Cookie line is
// read back to the name and domain it was written with, and a refused
// cookie is never let through whatever its spelling.
func FuzzMatch(f *testing.F) {
	for _, s := range []struct{ name, domain, prefix string }{
		{"_pk_id.1.abcd", "", "_pk_id"}, {"_pk", "pau.fr", "_pk_"}, {"YSC", ".youtube.com", "Y"},
		{"sessionid", "opendata.pau.fr", "session"}, {"", "", ""}, {"a=b", "x;y", "a"},
	} {
		f.Add(s.name, s.domain, s.prefix)
	}
	site := demo.Site("demo")
	e, _ := New(Static(site), Options{Logger: discard})
	f.Fuzz(func(t *testing.T, name, domain, prefix string) {
		s := *site
		s.Cookies = append(slicesClone(site.Cookies), registry.Cookie{Name: prefix + "*", Category: "marketing"})
		reg := NewRegistry(&s, "")
		want, wantOK := s.Match(name, "")
		if i := reg.index.lookup(&s, name); (i >= 0) != wantOK || (wantOK && s.Cookies[i].Name != want.Name) {
			t.Fatalf("lookup(%q) = %d, Match says %q %v", name, i, want.Name, wantOK)
		}
		if strings.ContainsAny(name, "=; \t\r\n") || strings.ContainsAny(domain, "; \t\r\n") || name == "" || strings.TrimSpace(name) != name || strings.TrimSpace(domain) != domain {
			return
		}
		line := name + "=v; Path=/; Domain=" + domain + "; HttpOnly"
		if n, d := setCookieNameDomain(line); n != name || d != domain {
			t.Fatalf("setCookieNameDomain(%q) = %q, %q", line, n, d)
		}
		// With no choice, any cookie of the marketing category is dropped.
		c, ok := site.Match(name, domain)
		h := http.Header{"Set-Cookie": {line}}
		e.Enforce(httptest.NewRequest("GET", "/", nil), h)
		kept := len(h["Set-Cookie"]) == 1
		if ok && c.Category == "marketing" && kept && name != CookieName {
			t.Fatalf("%q (marketing) kept without consent", line)
		}
		if !ok && kept && name != CookieName {
			t.Fatalf("undeclared %q kept under policy block", line)
		}
	})
}

func slicesClone(c []registry.Cookie) []registry.Cookie { return append([]registry.Cookie(nil), c...) }
