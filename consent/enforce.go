package consent

import (
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/charte/charte/registry"
	"github.com/prometheus/client_golang/prometheus"
)

// Policy says what happens to a cookie the registry does not declare.
type Policy string

const (
	// Block drops undeclared cookies: what is not declared was not consented to.
	Block Policy = "block"
	// Report lets them through but counts and logs them, to complete a
	// registry before blocking.
	Report Policy = "report"
	// Allow lets them through, counted but not logged.
	Allow Policy = "allow"
)

// ParsePolicy reads block, report or allow.
func ParsePolicy(s string) (Policy, error) {
	switch p := Policy(s); p {
	case Block, Report, Allow:
		return p, nil
	}
	return "", fmt.Errorf("undeclared cookie policy %q: want block, report or allow", s)
}

// Options tune the middleware. The zero value blocks undeclared cookies,
// logs to slog.Default and keeps no metrics.
type Options struct {
	Undeclared Policy
	// Metrics, when set, receives the charte_consent_cookies_* counters.
	Metrics prometheus.Registerer
	Logger  *slog.Logger
	// Context attaches the visitor's choice to each request for FromContext.
	// It costs a few small allocations per request, which the enforcement
	// itself avoids, so it is off unless a handler needs it.
	Context bool
	// Now is the clock choices are checked against; time.Now by default.
	Now func() time.Time
}

// Enforcer drops the Set-Cookie headers a visitor did not consent to and
// expires the cookies of categories they refused.
type Enforcer struct {
	src     Source
	opts    Options
	metrics *metrics
	logs    *onceLog
}

// New builds an Enforcer. It fails only when the metrics cannot be
// registered (the same Registerer used twice).
func New(src Source, opts Options) (*Enforcer, error) {
	if opts.Undeclared == "" {
		opts.Undeclared = Block
	}
	if _, err := ParsePolicy(string(opts.Undeclared)); err != nil {
		return nil, err
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	m, err := newMetrics(opts.Metrics)
	if err != nil {
		return nil, fmt.Errorf("consent metrics: %w", err)
	}
	return &Enforcer{src: src, opts: opts, metrics: m, logs: &onceLog{log: opts.Logger}}, nil
}

// Middleware is New(src, opts).Handler, for the usual one-line setup.
func Middleware(src Source, opts Options) (func(http.Handler) http.Handler, error) {
	e, err := New(src, opts)
	if err != nil {
		return nil, err
	}
	return e.Handler, nil
}

// Registry is the snapshot currently enforced.
func (e *Enforcer) Registry() *Registry { return e.src.Registry() }

// Enforce applies the visitor's choice, read from r, to response headers h:
// it removes the Set-Cookie lines not consented to and appends the lines
// that expire refused cookies r still carries. Handler calls it when the
// final headers are written; a proxy calls it on headers it writes itself,
// such as a 101 Switching Protocols response.
func (e *Enforcer) Enforce(r *http.Request, h http.Header) {
	e.enforce(e.src.Registry(), r, h)
}

func (e *Enforcer) enforce(reg *Registry, r *http.Request, h http.Header) {
	v := lazyChoice{reg: reg, r: r, now: e.opts.Now}
	if lines := h["Set-Cookie"]; len(lines) > 0 {
		kept := lines[:0]
		for _, line := range lines {
			if e.keep(&v, line) {
				kept = append(kept, line)
			}
		}
		if len(kept) == 0 {
			delete(h, "Set-Cookie")
		} else {
			h["Set-Cookie"] = kept
		}
	}
	// Withdrawal: cookies of a category the visitor does not (or no longer)
	// allow are expired, HttpOnly ones included, which script cannot do.
	it := cookieIter{lines: r.Header["Cookie"]}
	for {
		name, _, ok := it.next()
		if !ok {
			return
		}
		i := reg.index.lookup(reg.Site, name)
		if i < 0 || name == CookieName {
			continue
		}
		c := &reg.Site.Cookies[i]
		if !reg.needs[c.Category] || v.allowedCookie(c) || seenBefore(r.Header["Cookie"], &it, name) {
			continue
		}
		e.expire(reg, r, h, name, c)
	}
}

// expire appends the Set-Cookie lines that delete a refused cookie: host-only
// and, when the host may set it, on the declared domain (or the site's cookie
// domain), the places a site or its scripts usually put it.
func (e *Enforcer) expire(reg *Registry, r *http.Request, h http.Header, name string, c *registry.Cookie) {
	h.Add("Set-Cookie", name+"=; Path=/; Max-Age=0")
	domain := c.Domain
	if domain == "" {
		domain = reg.Site.CookieDomain
	}
	if domain != "" && withinDomain(hostOnly(r.Host), domain) {
		h.Add("Set-Cookie", name+"=; Path=/; Domain="+domain+"; Max-Age=0")
	}
	e.metrics.expire(reg.Site.ID, c.Category)
	e.logs.log1("cookie of a refused category expired", reg.Site.ID, name, r.URL.Path, "category", c.Category)
}

// keep decides one Set-Cookie line.
func (e *Enforcer) keep(v *lazyChoice, line string) bool {
	name, domain := setCookieNameDomain(line)
	site := v.reg.Site
	if name == CookieName {
		return true // the choice itself is always stored
	}
	c, declared := site.Match(name, domain)
	if !declared {
		e.metrics.undeclare(site.ID, e.opts.Undeclared)
		switch e.opts.Undeclared {
		case Block:
			e.logs.log1("undeclared cookie blocked", site.ID, name, v.r.URL.Path)
			return false
		case Report:
			e.logs.log1("undeclared cookie let through (policy report)", site.ID, name, v.r.URL.Path)
		}
		return true
	}
	if !site.NeedsConsent(c.Category) || v.allowedCookie(&c) {
		return true
	}
	e.metrics.drop(site.ID, c.Category)
	e.logs.log1("cookie dropped: no consent for its category", site.ID, name, v.r.URL.Path, "category", c.Category)
	return false
}

// seenBefore reports whether name already appeared in the Cookie header
// before the iterator's position, so a name sent twice (host-only and domain
// cookies) is expired once.
func seenBefore(lines []string, at *cookieIter, name string) bool {
	it := cookieIter{lines: lines}
	for {
		n, _, ok := it.next()
		if !ok || (len(it.lines) == len(at.lines) && len(it.rest) == len(at.rest)) {
			return false
		}
		if n == name {
			return true
		}
	}
}

// lazyChoice reads the visitor's cookies_preferences only when a decision
// needs it: most responses set no cookie and the visitor carries none that
// needs consent, and then the value is never parsed.
type lazyChoice struct {
	reg    *Registry
	r      *http.Request
	now    func() time.Time
	loaded bool
	ok     bool
	choice raw
}

// allowedCookie decides a declared cookie: by its service's decision when a
// service declares it (a cookie belongs to the service that declares it),
// else by its category's.
func (v *lazyChoice) allowedCookie(c *registry.Cookie) bool {
	return v.allowedService(c.ServiceID, c.Category)
}

func (v *lazyChoice) allowedService(service, category string) bool {
	if !v.loaded {
		v.loaded = true
		v.choice, v.ok = findChoice(v.reg, v.r.Header["Cookie"], v.now())
	}
	return v.ok && v.choice.grantedService(service, category)
}

// findChoice returns the first cookies_preferences value that decodes and is
// valid: a browser may send two (host-only and domain cookies), and a stale
// one must not hide a current one.
func findChoice(reg *Registry, cookieLines []string, now time.Time) (raw, bool) {
	it := cookieIter{lines: cookieLines}
	for {
		name, value, ok := it.next()
		if !ok {
			return raw{}, false
		}
		if name != CookieName {
			continue
		}
		if r, err := parseRaw(value); err == nil && reg.validChoice(r, now) {
			return r, true
		}
	}
}
