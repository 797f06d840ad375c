package consent

import (
	"net/http"
	"strings"
)

// FilterRequest removes from out's Cookie header the declared cookies of
// categories the visitor of r has not consented to. The response expires
// such cookies, but the browser still sends them once more with this very
// request; a proxy calls FilterRequest so the site behind it never reads
// what the visitor refused. Exempt and undeclared cookies pass unchanged:
// blocking an undeclared cookie the site needs (a forgotten session cookie)
// would break the site rather than protect the visitor.
func (e *Enforcer) FilterRequest(r *http.Request, out http.Header) {
	lines := r.Header["Cookie"]
	if len(lines) == 0 {
		return
	}
	reg := e.src.Registry()
	v := lazyChoice{reg: reg, r: r, now: e.opts.Now}
	refused := func(name string) bool {
		i := reg.index.lookup(reg.Site, name)
		if i < 0 || name == CookieName {
			return false
		}
		c := &reg.Site.Cookies[i]
		return reg.needs[c.Category] && !v.allowedCookie(c)
	}
	// A first pass that allocates nothing: most requests carry no refused
	// cookie and go upstream untouched.
	it := cookieIter{lines: lines}
	for {
		name, _, ok := it.next()
		if !ok {
			return
		}
		if refused(name) {
			break
		}
	}
	var kept []string
	it = cookieIter{lines: lines}
	for {
		name, value, ok := it.next()
		if !ok {
			break
		}
		if !refused(name) {
			kept = append(kept, name+"="+value)
		}
	}
	if len(kept) == 0 {
		out.Del("Cookie")
		return
	}
	out.Set("Cookie", strings.Join(kept, "; "))
}
