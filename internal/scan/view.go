package scan

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// view is a report laid out for reading, in one language: every renderer
// (text, Markdown, HTML) prints the same tables, so they never disagree.
type view struct {
	Lang     string
	Title    string
	Meta     [][2]string // label, value
	Pages    []string
	Findings table
	NoFind   string
	Passes   []viewPass
	Shot     []byte
	ShotAlt  string
}

type viewPass struct {
	Title   string
	Consent string
	Cookies table
	Storage table
	Hosts   table
	// Services are the catalogue services the pass's requests matched.
	Services table
	// Headings of the four tables.
	CookiesH, StorageH, HostsH, ServicesH string
}

// table is a header and rows of cells; Severity, when set, is each row's
// severity class for the HTML colours.
type table struct {
	Head     []string
	Rows     [][]string
	Severity []string
}

func (t table) empty() bool { return len(t.Rows) == 0 }

func newView(r *Report, lang string) view {
	tr := func(k string) string { return T(lang, k) }
	v := view{Lang: lang, Title: T(lang, "title", "URL", r.URL), Pages: r.Pages, Shot: r.Banner.Screenshot, ShotAlt: tr("banner-shot")}
	reg := tr("no-registry")
	if r.SiteID != "" {
		reg = r.SiteID
		if r.SiteName != "" {
			reg += " (" + r.SiteName + ")"
		}
		if r.Revision != "" {
			reg += ", revision " + r.Revision
		}
	}
	v.Meta = [][2]string{
		{tr("site"), reg},
		{tr("scanned-at"), r.StartedAt.UTC().Format("2006-01-02 15:04:05 UTC")},
		{tr("duration"), r.FinishedAt.Sub(r.StartedAt).Round(100 * time.Millisecond).String()},
		{tr("browser"), r.Browser},
		{tr("pages"), strconv.Itoa(len(r.Pages))},
		{tr("banner"), tr("banner-" + cmpOr(r.Banner.Kind, BannerNone))},
	}
	v.Findings.Head = []string{tr("col-severity"), tr("col-kind"), tr("col-finding")}
	for _, f := range r.Findings {
		v.Findings.Rows = append(v.Findings.Rows, []string{tr(f.Severity), f.Kind, f.Message(lang)})
		v.Findings.Severity = append(v.Findings.Severity, f.Severity)
	}
	v.NoFind = tr("no-findings")
	for _, p := range r.Passes {
		vp := viewPass{Title: tr("pass-" + p.Name), CookiesH: tr("cookies"), StorageH: tr("storage"), HostsH: tr("hosts"), ServicesH: tr("services")}
		if p.Consent != nil {
			if p.Consent.Method == BannerNone {
				vp.Consent = tr("consent-none")
			} else {
				vp.Consent = fmt.Sprintf("%s %s: %s", tr("consent-by"), tr("banner-"+p.Consent.Method), quote(lang, p.Consent.Label))
			}
		}
		vp.Cookies.Head = []string{tr("col-name"), tr("col-domain"), tr("col-lifetime"), tr("col-flags"), tr("col-party"), tr("col-vendor"), tr("col-category"), tr("col-source"), tr("col-note")}
		for _, c := range p.Cookies {
			party := tr("first")
			if c.ThirdParty {
				party = tr("third")
			}
			vp.Cookies.Rows = append(vp.Cookies.Rows, []string{c.Name, c.Domain, HumanLifetime(c.LifetimeSeconds, lang),
				flags(c), party, c.Class.Vendor, c.Class.Category, tr("src-" + c.Class.Source), cookieNote(c, lang)})
		}
		vp.Storage.Head = []string{tr("col-origin"), tr("col-storage-kind"), tr("col-key"), tr("col-vendor"), tr("col-category"), tr("col-source")}
		for _, s := range p.Storage {
			kind := tr("local")
			if s.Kind == "session" {
				kind = tr("sessionstorage")
			}
			vp.Storage.Rows = append(vp.Storage.Rows, []string{s.Origin, kind, s.Key, s.Class.Vendor, s.Class.Category, tr("src-" + s.Class.Source)})
		}
		vp.Hosts.Head = []string{tr("col-host"), tr("col-requests"), tr("col-declared")}
		for _, h := range p.Hosts {
			d := tr("no")
			if h.Declared {
				d = tr("yes")
			}
			vp.Hosts.Rows = append(vp.Hosts.Rows, []string{h.Host, strconv.Itoa(h.Requests), d})
		}
		vp.Services.Head = []string{tr("col-service"), tr("col-host"), tr("col-requests"), tr("col-url")}
		for _, d := range p.Services {
			vp.Services.Rows = append(vp.Services.Rows, []string{ServiceName(d.ID, lang) + " (" + d.ID + ")", d.Host, strconv.Itoa(d.Requests), d.URL})
		}
		v.Passes = append(v.Passes, vp)
	}
	return v
}

// cookieNote says that a cookie was set then removed during the pass, how
// and on which page; nothing for a cookie still there at the end.
func cookieNote(c Cookie, lang string) string {
	if !c.Transient {
		return ""
	}
	by := T(lang, "by-"+cmpOr(c.SetBy, SetByScript))
	return T(lang, "set-removed", "By", by, "Page", cmpOr(c.Page, "?"))
}

// flags are the cookie's security attributes, as browsers' developer tools
// show them.
func flags(c Cookie) string {
	var f []string
	if c.HTTPOnly {
		f = append(f, "HttpOnly")
	}
	if c.Secure {
		f = append(f, "Secure")
	}
	if c.SameSite != "" {
		f = append(f, "SameSite="+c.SameSite)
	}
	return strings.Join(f, " ")
}

func cmpOr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

func quote(lang, s string) string {
	return T(lang, "quote", "Text", s)
}
