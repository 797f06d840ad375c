package scan

import (
	"cmp"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/charte/charte/registry"
	"github.com/charte/charte/services"
)

// Kinds of finding; --fail-on takes these names.
const (
	KindPreconsent = "preconsent" // consent-needing storage before a choice or after a refusal, even if removed at once
	// KindEarlyScript: a service's script needing consent was left free
	// to run before a choice or after a refusal (RanScript).
	KindEarlyScript = "early-script"
	KindUndeclared  = "undeclared"  // a cookie the registry does not declare
	KindLifetime    = "lifetime"    // expiry over 13 months or over the declared lifetime
	KindUnseen      = "unseen"      // declared, never observed
	KindThirdParty  = "third-party" // a third-party host the registry does not name
	KindNoBanner    = "no-banner"   // no way to refuse was found
	// KindUnresponsive: a page did not finish loading within the load
	// timeout, or stopped answering within the step timeout; what the scan
	// says of it may be incomplete.
	KindUnresponsive = "unresponsive"
	// KindDialog: a page opened a JavaScript dialog, which was dismissed.
	KindDialog = "dialog"
	// KindBlocked: the browser tried to reach a loopback, private,
	// link-local or other special address the scan's policy refuses.
	KindBlocked = "blocked"
)

// Kinds lists every finding kind, in the order reports show them.
var Kinds = []string{KindPreconsent, KindEarlyScript, KindUndeclared, KindLifetime, KindThirdParty, KindNoBanner, KindBlocked, KindUnresponsive, KindDialog, KindUnseen}

// Severities, most serious first.
const (
	SeverityHigh   = "high"
	SeverityMedium = "medium"
	SeverityInfo   = "info"
)

// Finding is one difference between what the site does and what it declares
// or what the law allows. Which fields are set depends on Kind (SCHEMA.md).
type Finding struct {
	Kind     string   `json:"kind"`
	Severity string   `json:"severity"`
	Subject  string   `json:"subject"` // "cookie", "storage", "host" or "banner"
	Passes   []string `json:"passes,omitempty"`
	Name     string   `json:"name,omitempty"`
	// Domain is the cookie's domain, the storage key's origin or the host.
	Domain          string            `json:"domain,omitempty"`
	Vendor          string            `json:"vendor,omitempty"`
	Category        string            `json:"category,omitempty"`
	LifetimeSeconds int64             `json:"lifetime_seconds,omitempty"`
	DeclaredLife    registry.Lifetime `json:"declared_lifetime,omitempty"`
	// Transient: the cookie was set then removed during the pass (every pass
	// where it was seen, for a finding over several passes). A removal does
	// not undo a write: the cookie was stored, sent and readable meanwhile.
	Transient bool `json:"transient,omitempty"`
	// Page is the page an unresponsive or dialog finding is about.
	Page string `json:"page,omitempty"`
	// Text is a dialog's message; Count how many times it opened, over
	// every pass.
	Text  string `json:"text,omitempty"`
	Count int    `json:"count,omitempty"`
	// Address is the refused address of a blocked finding, Name its kind
	// ("loopback", "private", "link-local", …).
	Address string `json:"address,omitempty"`
	// Service is the catalogue recipe the cookie, storage key or host
	// belongs to (charte services show ID), when one is recognised.
	Service string `json:"service,omitempty"`
	// BeforeBanner: an early script stands before charte's banner tag,
	// which cannot stop what the parser ran before it.
	BeforeBanner bool `json:"before_banner,omitempty"`
}

// Subjects of findings.
const (
	SubjectCookie  = "cookie"
	SubjectStorage = "storage"
	SubjectHost    = "host"
	SubjectBanner  = "banner"
	SubjectPage    = "page"
	SubjectScript  = "script"
)

// lifetimeSlack absorbs the rounding between a declared "1 year" and a
// Max-Age of 365 days, and the seconds between setting and reading a cookie.
func lifetimeSlack(limit time.Duration) time.Duration { return 24*time.Hour + limit/100 }

// Evaluate computes the findings of a report whose passes are collected and
// classified. site may be nil (no registry): then nothing is "undeclared"
// or "unseen", and only the law's rules apply.
func Evaluate(r *Report, site *registry.Site) {
	var out []Finding
	type key struct{ name, domain string }
	// distinct aggregates each cookie over the passes, in the order first seen.
	type distinct struct {
		f        Finding
		declared bool
	}
	var order []key
	seen := map[key]*distinct{}
	declaredSeen := map[string]bool{}
	needsConsentSeen := false

	for _, p := range r.Passes {
		before := p.Name == PassArrival || p.Name == PassRefuse
		for _, c := range p.Cookies {
			if c.Class.Source == SourceRegistry {
				declaredSeen[c.Class.Declared] = true
			}
			needsConsentSeen = needsConsentSeen || c.Class.NeedsConsent
			if before && c.Class.NeedsConsent {
				out = append(out, cookieFinding(KindPreconsent, SeverityHigh, p.Name, c))
			}
			k := key{c.Name, strings.TrimPrefix(c.Domain, ".")}
			if d := seen[k]; d != nil {
				d.f.Passes = appendNew(d.f.Passes, p.Name)
				d.f.LifetimeSeconds = max(d.f.LifetimeSeconds, c.LifetimeSeconds)
				d.f.Transient = d.f.Transient && c.Transient
				continue
			}
			seen[k] = &distinct{f: cookieFinding("", "", p.Name, c), declared: c.Class.Source == SourceRegistry}
			order = append(order, k)
		}
		for _, s := range p.Storage {
			if s.Class.Source == SourceRegistry {
				declaredSeen[s.Class.Declared] = true
			}
			// Unknown keys are not flagged: sites keep much harmless UI state in
			// localStorage, and the registry is about cookies first.
			if before && s.Class.Source != SourceUnknown && s.Class.NeedsConsent {
				out = append(out, Finding{Kind: KindPreconsent, Severity: SeverityHigh, Subject: SubjectStorage,
					Passes: []string{p.Name}, Name: s.Key, Domain: s.Origin, Vendor: s.Class.Vendor, Category: s.Class.Category, Service: s.Class.Service})
			}
		}
	}

	maxLife, _ := registry.MaxLifetime.Duration()
	for _, k := range order {
		d := seen[k]
		if site != nil && !d.declared {
			u := d.f
			u.Kind, u.Severity, u.DeclaredLife = KindUndeclared, SeverityMedium, ""
			out = append(out, u)
		}
		life := time.Duration(d.f.LifetimeSeconds) * time.Second
		// Only a day of slack against the 13 months: Chromium caps every
		// expiry at 400 days (RFC 6265bis), just 4 days over 13 months, so
		// a cookie asking for 2 years shows as 400 days and must still count.
		over := life > maxLife+24*time.Hour
		if dl, err := d.f.DeclaredLife.Duration(); err == nil && d.f.DeclaredLife != "" && life > dl+lifetimeSlack(dl) {
			over = true
		}
		if over {
			l := d.f
			l.Kind, l.Severity = KindLifetime, SeverityMedium
			out = append(out, l)
		}
	}

	if site != nil {
		for _, d := range site.Cookies {
			if !declaredSeen[d.Name] {
				out = append(out, Finding{Kind: KindUnseen, Severity: SeverityInfo, Subject: SubjectCookie,
					Name: d.Name, Domain: d.Domain, Vendor: d.Provider, Category: d.Category, DeclaredLife: d.Lifetime})
			}
		}
	}

	out = append(out, scriptFindings(r, site)...)
	out = append(out, hostFindings(r, site)...)
	out = append(out, pageFindings(r)...)

	if p := r.Pass(PassRefuse); p != nil && p.Consent != nil && p.Consent.Method == BannerNone {
		sev := SeverityInfo
		if needsConsentSeen {
			sev = SeverityMedium
		}
		out = append(out, Finding{Kind: KindNoBanner, Severity: sev, Subject: SubjectBanner, Passes: []string{PassRefuse}})
	}
	sortFindings(out)
	r.Findings = out
}

// cookieFinding copies what a finding shows of a cookie.
func cookieFinding(kind, severity, pass string, c Cookie) Finding {
	return Finding{Kind: kind, Severity: severity, Subject: SubjectCookie, Passes: []string{pass},
		Name: c.Name, Domain: strings.TrimPrefix(c.Domain, "."), Vendor: c.Class.Vendor,
		Category: c.Class.Category, LifetimeSeconds: c.LifetimeSeconds, DeclaredLife: c.Class.DeclaredLifetime,
		Transient: c.Transient, Service: c.Class.Service}
}

// hostFindings marks the third-party hosts the registry names and reports the
// others, once per host with the passes that contacted it.
func hostFindings(r *Report, site *registry.Site) []Finding {
	// The service a host serves: the one its URLs matched in any pass,
	// else the only recipe naming the host.
	hostService := map[string]string{}
	for _, p := range r.Passes {
		for _, d := range p.Services {
			if hostService[d.Host] == "" {
				hostService[d.Host] = d.ID
			}
		}
	}
	serviceOf := func(host string) string {
		if id := hostService[host]; id != "" {
			return id
		}
		if m := services.Builtin().URLs().MatchHost(host); len(m) == 1 {
			return m[0].Recipe.ID
		}
		return ""
	}
	byHost := map[string]*Finding{}
	var order []string
	for i := range r.Passes {
		p := &r.Passes[i]
		for j := range p.Hosts {
			h := &p.Hosts[j]
			h.Declared = hostDeclared(h.Host, site)
			if h.Declared {
				continue
			}
			if f := byHost[h.Host]; f != nil {
				f.Passes = appendNew(f.Passes, p.Name)
				continue
			}
			byHost[h.Host] = &Finding{Kind: KindThirdParty, Severity: SeverityMedium, Subject: SubjectHost,
				Passes: []string{p.Name}, Domain: h.Host, Service: serviceOf(h.Host)}
			order = append(order, h.Host)
		}
	}
	out := make([]Finding, 0, len(order))
	for _, h := range order {
		out = append(out, *byHost[h])
	}
	return out
}

// pageFindings reports the requests the address policy blocked, the pages
// that did not answer and the dialogs pages opened, once per page (and dialog) with the passes where it happened.
func pageFindings(r *Report) []Finding {
	type key struct{ kind, page, name, text string }
	byKey := map[key]*Finding{}
	var order []key
	add := func(k key, pass string, count int, sev string) {
		if f := byKey[k]; f != nil {
			f.Passes = appendNew(f.Passes, pass)
			if k.kind == KindDialog {
				f.Count += count
			}
			return
		}
		f := &Finding{Kind: k.kind, Severity: sev, Subject: SubjectPage, Passes: []string{pass},
			Page: k.page, Name: k.name, Text: k.text}
		if k.kind == KindDialog {
			f.Count = count
		}
		byKey[k] = f
		order = append(order, k)
	}
	type bkey struct{ host, addr, reason string }
	blocked := map[bkey]*Finding{}
	var border []bkey
	for _, p := range r.Passes {
		for _, b := range p.Blocked {
			k := bkey{b.Host, b.Address, b.Reason}
			if f := blocked[k]; f != nil {
				f.Passes = appendNew(f.Passes, p.Name)
				f.Count += b.Requests
				continue
			}
			blocked[k] = &Finding{Kind: KindBlocked, Severity: SeverityMedium, Subject: SubjectHost, Passes: []string{p.Name},
				Domain: b.Host, Address: b.Address, Name: b.Reason, Count: b.Requests}
			border = append(border, k)
		}
		for _, v := range p.Visits {
			if v.Unresponsive != "" {
				add(key{KindUnresponsive, v.URL, v.Unresponsive, ""}, p.Name, 0, SeverityMedium)
			}
			for _, d := range v.Dialogs {
				add(key{KindDialog, v.URL, d.Type, d.Message}, p.Name, d.Count, SeverityInfo)
			}
		}
	}
	out := make([]Finding, 0, len(order)+len(border))
	for _, k := range border {
		out = append(out, *blocked[k])
	}
	for _, k := range order {
		out = append(out, *byKey[k])
	}
	return out
}

// hostDeclared reports whether the registry names a host: one of the site's
// origins, or the domain of a declared cookie (a video host declared with
// its cookies is a known partner).
func hostDeclared(host string, site *registry.Site) bool {
	if site == nil {
		return false
	}
	for _, o := range append([]string{site.URL}, site.Origins...) {
		if u, err := url.Parse(o); err == nil && u.Hostname() != "" && domainWithin(host, u.Hostname()) {
			return true
		}
	}
	for _, c := range site.Cookies {
		if c.Domain != "" && domainWithin(host, c.Domain) {
			return true
		}
	}
	// A host one of the site's services uses (a YouTube thumbnail host)
	// is named by the service.
	for _, m := range services.Builtin().URLs().MatchHost(host) {
		if _, ok := site.Service(m.Recipe.ID); ok {
			return true
		}
	}
	return false
}

func appendNew(list []string, s string) []string {
	if slices.Contains(list, s) {
		return list
	}
	return append(list, s)
}

func sortFindings(fs []Finding) {
	rank := func(s string) int { return slices.Index([]string{SeverityHigh, SeverityMedium, SeverityInfo}, s) }
	slices.SortStableFunc(fs, func(a, b Finding) int {
		return cmp.Or(
			cmp.Compare(rank(a.Severity), rank(b.Severity)),
			cmp.Compare(slices.Index(Kinds, a.Kind), slices.Index(Kinds, b.Kind)),
			cmp.Compare(passIndex(a.Passes), passIndex(b.Passes)),
			cmp.Compare(a.Page, b.Page),
			cmp.Compare(a.Name, b.Name),
			cmp.Compare(a.Domain, b.Domain),
		)
	})
}

func passIndex(ps []string) int {
	if len(ps) == 0 {
		return -1
	}
	return slices.Index(Passes, ps[0])
}
