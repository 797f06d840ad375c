package scan

import (
	"cmp"
	"context"
	"slices"

	"github.com/chromedp/chromedp"

	"github.com/charte/charte/registry"
	"github.com/charte/charte/services"
)

// RanScript is a script of a catalogue service that a page left free to run:
// a <script> element of a JavaScript type whose URL matches the service's
// patterns, or whose inline text holds its loader snippet. A script held for
// consent (type="text/plain", as charte's banner, charte proxy or the site
// itself gates it) is not one: before a choice, or after a refusal, a
// RanScript of a service needing consent ran without it.
type RanScript struct {
	Page    string `json:"page"`
	Service string `json:"service"`
	// URL is the script's; empty for an inline snippet.
	URL string `json:"url,omitempty"`
	// BeforeBanner: the script stands before charte's banner tag in the
	// page, so it ran before the banner could hold anything back.
	BeforeBanner bool `json:"before_banner,omitempty"`
}

// pageScript is one <script> element as scriptsJS reads it.
type pageScript struct {
	Src    string `json:"src"`
	Text   string `json:"text"`
	JS     bool   `json:"js"`
	Banner bool   `json:"banner"`
}

// scriptsJS lists the page's script elements in document order: their URL,
// an inline one's text (its first 64 KB, where loader snippets are),
// whether their type makes them run, and whether the element is charte's
// banner tag (/sites/SITE/banner.js, or a revision's
// /sites/SITE/banner/REVISION/LANG.js). At most 500 elements.
const scriptsJS = `Array.from(document.scripts).slice(0, 500).map(s => ({
  src: s.src, text: s.src ? '' : s.text.slice(0, 65536),
  js: !s.type || /script$|^module$/i.test(s.type.trim()),
  banner: /\/sites\/[^/?#]+\/banner(\.js|\/[^/?#]+\/[^/?#]+\.js)(\?|#|$)/.test(s.src)}))`

// readScripts returns the catalogue scripts the page left free to run.
func readScripts(ctx context.Context, page string) []RanScript {
	list, err := chromedp.Run(ctx, chromedp.Evaluate[[]pageScript](scriptsJS))
	if err != nil {
		return nil
	}
	return ranScripts(page, list)
}

// ranScripts picks, among a page's scripts, those of a catalogue service
// left free to run, each service and URL once.
func ranScripts(page string, list []pageScript) []RanScript {
	cat := services.Builtin()
	bannerAt := slices.IndexFunc(list, func(s pageScript) bool { return s.Banner })
	var out []RanScript
	for i, s := range list {
		if !s.JS || s.Banner {
			continue
		}
		var id string
		if s.Src != "" {
			if m := cat.URLs().Match(s.Src); len(m) > 0 {
				id = m[0].Recipe.ID
			}
		} else if rs := cat.Snippets().Match([]byte(s.Text)); len(rs) > 0 {
			id = rs[0].ID
		}
		if id == "" {
			continue
		}
		rs := RanScript{Page: page, Service: id, URL: s.Src, BeforeBanner: bannerAt >= 0 && i < bannerAt}
		if !slices.ContainsFunc(out, func(o RanScript) bool { return o.Service == rs.Service && o.URL == rs.URL }) {
			out = append(out, rs)
		}
	}
	return out
}

// scriptNeedsConsent tells whether a service's script may run only with
// consent on this site: the registry's category for the service (or for
// its exempt variant, which the site may run under the CNIL's exemption),
// else the recipe's own; an exempt recipe never needs it.
func scriptNeedsConsent(id string, site *registry.Site) bool {
	cat := services.Builtin()
	r, ok := cat.Get(id)
	if !ok || r.Exempt() {
		return false
	}
	category := r.Category
	if site != nil {
		for _, sv := range site.Services {
			v, _ := cat.Get(sv.ID)
			if sv.ID == id || v != nil && v.Exemption != nil && v.Exemption.Of == id {
				if v != nil && v.Exempt() {
					return false
				}
				category = cmp.Or(sv.Category, category)
			}
		}
	}
	return Classifier{Site: site}.needsConsent(category)
}

// scriptFindings reports the services' scripts that ran before a choice
// or after a refusal, once per page, service and URL with their passes.
func scriptFindings(r *Report, site *registry.Site) []Finding {
	type key struct{ page, service, url string }
	byKey := map[key]*Finding{}
	var order []key
	for _, p := range r.Passes {
		if p.Name != PassArrival && p.Name != PassRefuse {
			continue
		}
		for _, s := range p.Scripts {
			if !scriptNeedsConsent(s.Service, site) {
				continue
			}
			k := key{s.Page, s.Service, s.URL}
			if f := byKey[k]; f != nil {
				f.Passes = appendNew(f.Passes, p.Name)
				continue
			}
			f := &Finding{Kind: KindEarlyScript, Severity: SeverityHigh, Subject: SubjectScript, Passes: []string{p.Name},
				Page: s.Page, Name: s.URL, Service: s.Service, BeforeBanner: s.BeforeBanner}
			if rc, ok := services.Builtin().Get(s.Service); ok {
				f.Vendor, f.Category = rc.Vendor.Name, rc.Category
				if site != nil {
					if sv, ok := site.Service(s.Service); ok && sv.Category != "" {
						f.Category = sv.Category
					}
				}
			}
			byKey[k] = f
			order = append(order, k)
		}
	}
	out := make([]Finding, 0, len(order))
	for _, k := range order {
		out = append(out, *byKey[k])
	}
	return out
}
