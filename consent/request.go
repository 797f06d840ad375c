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
	reg := e.src.Registry()
	lines := r.Header["Cookie"]
	if len(lines) == 0 {
		return
	}
	v := lazyChoice{reg: reg, r: r, now: e.opts.Now}
	it := cookieIter{lines: lines}
	var kept []string
	removed := false
	for {
		name, value, ok := it.next()
		if !ok {
			break
		}
		if i := reg.index.lookup(reg.Site, name); i >= 0 && name != CookieName {
			if c := &reg.Site.Cookies[i]; reg.needs[c.Category] && !v.allowed(c.Category) {
				removed = true
				continue
			}
		}
		kept = append(kept, name+"="+value)
	}
	switch {
	case !removed:
	case len(kept) == 0:
		out.Del("Cookie")
	default:
		out.Set("Cookie", strings.Join(kept, "; "))
	}
}
