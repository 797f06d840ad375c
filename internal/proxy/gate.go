package proxy

import (
	"bytes"
	"log/slog"
	"net/url"
	"strings"

	"github.com/charte/charte/consent"
	"github.com/charte/charte/registry"
	"github.com/charte/charte/services"
)

// gate decides, for one page and one visitor, what becomes of the tags
// that load a service of the catalogue (automatic blocking):
//
//   - <script src> of a service → <script type="text/plain" data-charte="ID" …>,
//     the form the banner turns back into a script once the visitor allows
//     ID; an inline script holding a recipe's loader snippet, likewise;
//   - <iframe src> → <iframe data-charte="ID" data-src=…>, which the banner
//     hides behind the service's placeholder until consent;
//   - <img src> (tracking pixels, thumbnails) → <img data-charte="ID"
//     data-charte-pixel data-src=…>: no request until consent, and no
//     placeholder for it;
//   - <link rel=preconnect|dns-prefetch> to a service's host and
//     <link rel=preload|modulepreload|prefetch> of a service's URL: dropped,
//     being only hints (and a preload would fetch the tracker).
//
// ID is the service as the registry declares it (an exempt variant's
// registry entry counts for its base recipe). Tags of a service the visitor
// has consented to, of an exempt category, or of a necessary recipe pass
// unchanged; a consent-needing recipe the registry does not declare is
// gated under its recipe id, which the banner never offers, so it stays
// blocked: the registry must declare it for visitors to be asked.
type gate struct {
	cat     *services.Catalogue
	site    *registry.Site
	visitor *consent.Visitor
	page    *url.URL // the page's base URL, against which relative URLs resolve
	based   bool     // a <base href> set page already
	log     *slog.Logger
	memo    *urlMemo // the proxy's; a gate made without one makes its own
	// done records each rewrite, for the debug header and the metrics.
	done    []rewrite
	doneBuf [4]rewrite
	count   func(service, tag string)
	// urlBuf holds a relative URL made absolute, to look it up.
	urlBuf [160]byte
	// tagBuf holds a rewritten tag until the blocker copies it.
	tagBuf [384]byte
	// decided remembers the registry's service of the recipes met so far.
	decided []declaration
	declBuf [4]declaration
}

type declaration struct {
	recipe *services.Recipe
	id     string
	ok     bool
}

type rewrite struct{ service, tag string }

// consented is the one place that says whether the visitor has allowed a
// declared service: its own decision, else its category's (a category
// grant allows all its services), exempt categories always.
func (g *gate) consented(service string) bool { return g.visitor.AllowedService(service) }

// decide picks, among the recipes a tag matched (most specific first), the
// service it belongs to and whether it must wait for consent.
func (g *gate) decide(recipes []*services.Recipe) (string, bool) {
	for _, r := range recipes {
		if id, ok := g.declared(r); ok {
			return id, !g.consented(id)
		}
	}
	for _, r := range recipes {
		if r.Category == "necessary" || r.Exempt() {
			return "", false
		}
	}
	if len(recipes) == 0 {
		return "", false
	}
	return recipes[0].ID, true
}

// declared finds the registry's service for recipe r: r itself, or its
// exempt variant, or the recipe r is the exempt variant of.
func (g *gate) declared(r *services.Recipe) (string, bool) {
	for _, d := range g.decided {
		if d.recipe == r {
			return d.id, d.ok
		}
	}
	if g.decided == nil {
		g.decided = g.declBuf[:0]
	}
	id, ok := g.lookUp(r)
	g.decided = append(g.decided, declaration{r, id, ok})
	return id, ok
}

func (g *gate) lookUp(r *services.Recipe) (string, bool) {
	for _, sv := range g.site.Services {
		if sv.ID == r.ID || r.Exemption != nil && r.Exemption.Of == sv.ID {
			return sv.ID, true
		}
		if v, ok := g.cat.Get(sv.ID); ok && v.Exemption != nil && v.Exemption.Of == r.ID {
			return sv.ID, true
		}
	}
	return "", false
}

// base takes the page's first <base href> as the URL the tags after it
// resolve against, as the browser does: "<base href=/>" in a page at
// /a/b makes "js/gtag.js" /js/gtag.js. A base that is not http(s) (data:,
// javascript:, which browsers refuse) or does not parse changes nothing.
func (g *gate) base(href string) {
	if g.based || strings.TrimSpace(href) == "" {
		return
	}
	g.based = true
	if u, err := g.page.Parse(strings.TrimSpace(href)); err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" {
		u.Fragment, u.RawFragment = "", ""
		g.page = u
	}
}

// matchURL finds the recipes of a tag's URL, resolved against the page's.
func (g *gate) matchURL(raw []byte) []*services.Recipe {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return nil
	}
	if !bytes.HasPrefix(raw, []byte("https://")) && !bytes.HasPrefix(raw, []byte("http://")) {
		var ok bool
		if raw, ok = g.absURL(g.urlBuf[:0], raw); !ok {
			return nil
		}
	}
	if g.memo == nil {
		g.memo = newURLMemo(g.cat)
	}
	return g.memo.match(raw)
}

// absURL appends ref made absolute to dst, as url.URL.ResolveReference
// makes it against the page's URL; ok is false when it does not parse. The
// usual forms —
// "//host/path", "/path", "path" — are joined as bytes when nothing in
// them is resolved otherwise (no "." segment, no escape, no fragment):
// most images of a page are on its own site, and url.Parse costs several
// allocations each. FuzzResolve checks the two agree.
func (g *gate) absURL(dst, ref []byte) ([]byte, bool) {
	if s, h := g.page.Scheme, g.page.Host; (s == "https" || s == "http") && h != "" && plainRef(ref) {
		switch {
		case ref[0] == '/' && len(ref) > 1 && ref[1] == '/':
			if len(ref) > 2 && isLetter(ref[2]) { // a host
				return append(append(append(dst, s...), ':'), ref...), true
			}
		case ref[0] == '/':
			return append(append(append(append(dst, s...), "://"...), h...), ref...), true
		case ref[0] != '?': // a path relative to the page's folder
			if dir := g.page.EscapedPath(); dir == "" || plainRef(dir) {
				dir = dir[:strings.LastIndexByte(dir, '/')+1]
				if dir == "" {
					dir = "/"
				}
				return append(append(append(append(append(dst, s...), "://"...), h...), dir...), ref...), true
			}
		}
	}
	u, err := g.page.Parse(string(ref))
	if err != nil {
		return dst, false
	}
	return append(dst, u.String()...), true
}

// plainRef tells whether a relative URL is made only of characters
// url.Parse keeps as they are, without a scheme, a "." segment or a
// fragment: resolving it is joining strings.
func plainRef[S ~string | ~[]byte](ref S) bool {
	if len(ref) == 0 || ref[0] == '.' || strings.Contains(string(ref), "/.") {
		return false
	}
	for i := 0; i < len(ref); i++ {
		switch c := ref[i]; {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		case strings.IndexByte("-_~/!$&'()*+,;=@", c) >= 0:
		case c == '.' || c == '?':
		default:
			return false // ':' (a scheme), '%', '#', backslashes, spaces…
		}
	}
	return true
}

// tag handles the start tag of a script, iframe, img or link: it returns
// the tag's new bytes (empty to drop it), or nil to keep it, or hold for an
// inline script whose text must be read first. The tags it rewrites (a
// handful per page) are read again whole, every attribute, by the
// tokenizer.
func (g *gate) tag(t *startTag) (out []byte, hold bool) {
	if t.gated {
		return nil, false
	}
	switch t.name {
	case "base":
		g.base(string(t.src))
	case "script":
		if t.hasType && !isJSType(t.typ) {
			return nil, false // JSON, templates, text/plain…: never run
		}
		if len(t.src) == 0 {
			return nil, true
		}
		if id, block := g.decide(g.matchURL(t.src)); block {
			return g.gateScript(id, t, t.selfClosing), false
		}
	case "iframe", "img":
		id, block := g.decide(g.matchURL(t.src))
		if !block {
			return nil, false
		}
		g.record(id, t.name)
		b := appendAttr(g.openTag(t.name), "data-charte", id)
		if t.name == "img" {
			b = appendAttr(b, "data-charte-pixel", "")
		}
		b = appendAttr(b, "data-src", bytes.TrimSpace(t.src))
		for _, a := range t.attrList() {
			switch {
			case asciiEqualFoldString(a.key, "src"):
			case asciiEqualFoldString(a.key, "srcset"):
				b = appendAttr(b, "data-srcset", a.val)
			default:
				b = appendAttr(b, a.key, a.val)
			}
		}
		return closeTag(b, t.selfClosing), false
	case "link":
		if g.dropLink(t.rel, t.src) {
			return []byte{}, false
		}
	}
	return nil, false
}

// dropLink tells whether a <link> only prepares a connection to, or
// fetches ahead, a service that must wait for consent.
func (g *gate) dropLink(rel, href []byte) bool {
	for r := range bytes.FieldsSeq(rel) {
		switch {
		case asciiEqualFoldString(r, "preconnect"), asciiEqualFoldString(r, "dns-prefetch"):
			u, err := g.page.Parse(string(bytes.TrimSpace(href)))
			if err != nil || u.Hostname() == "" {
				return false
			}
			// A host may serve several services (Google's serves GTM, GA4
			// and Ads): the hint stays when any of them may run.
			ms := recipesOf(g.cat.URLs().MatchHost(u.Hostname()))
			if len(ms) == 0 {
				return false
			}
			for _, m := range ms {
				if _, block := g.decide([]*services.Recipe{m}); !block {
					return false
				}
			}
			id, _ := g.decide(ms)
			g.record(id, "link")
			return true
		case asciiEqualFoldString(r, "preload"), asciiEqualFoldString(r, "modulepreload"), asciiEqualFoldString(r, "prefetch"):
			if id, block := g.decide(g.matchURL(href)); block {
				g.record(id, "link")
				return true
			}
		}
	}
	return false
}

// inline handles an inline script: its start tag gated when its text holds
// a recipe's loader snippet, else nil.
func (g *gate) inline(t *startTag, text []byte) []byte {
	rs := g.cat.Snippets().Match(text)
	if len(rs) == 0 {
		return nil
	}
	id, block := g.decide(rs)
	if !block {
		return nil
	}
	return g.gateScript(id, t, false)
}

func (g *gate) gateScript(id string, t *startTag, selfClosing bool) []byte {
	g.record(id, "script")
	b := appendAttr(appendAttr(g.openTag("script"), "type", "text/plain"), "data-charte", id)
	// A module stays one: the banner gives the script it makes this type
	// (an import or import.meta in a classic script is a syntax error).
	module := t.hasType && asciiEqualFoldString(bytes.TrimSpace(t.typ), "module")
	if module {
		b = appendAttr(b, "data-charte-type", "module")
	}
	for _, a := range t.attrList() {
		if !asciiEqualFoldString(a.key, "type") && !(module && asciiEqualFoldString(a.key, "data-charte-type")) {
			b = appendAttr(b, a.key, a.val)
		}
	}
	return closeTag(b, selfClosing)
}

func (g *gate) record(id, tag string) {
	if g.done == nil {
		g.done = g.doneBuf[:0]
	}
	g.done = append(g.done, rewrite{id, tag})
	if g.count != nil {
		g.count(id, tag)
	}
}

// openTag starts writing a start tag, in the gate's buffer: what the gate
// returns is copied before it writes the next tag.
func (g *gate) openTag(name string) []byte {
	return append(append(g.tagBuf[:0], '<'), name...)
}

// appendAttr writes an attribute, its name in lower case and its value
// escaped as html.EscapeString escapes; the nonce and every other attribute
// the page gave are kept. A value is written when it is not empty, and
// always for data- attributes (data-charte-pixel aside, a mere flag).
func appendAttr[K, V ~string | ~[]byte](b []byte, key K, val V) []byte {
	b = append(b, ' ')
	for i := 0; i < len(key); i++ {
		b = append(b, lowerASCII(key[i]))
	}
	if len(val) == 0 && !(len(key) >= 5 && asciiEqualFoldString([]byte(key[:5]), "data-") && !asciiEqualFoldString([]byte(key), "data-charte-pixel")) {
		return b
	}
	b = append(b, '=', '"')
	for len(val) > 0 {
		i := 0
		for i < len(val) && attrEscapes[val[i]] == "" {
			i++
		}
		b = append(b, val[:i]...) // the bytes that need no escape, at once
		if i == len(val) {
			break
		}
		b = append(b, attrEscapes[val[i]]...)
		val = val[i+1:]
	}
	return append(b, '"')
}

// attrEscapes are the escapes of an attribute's value, as
// html.EscapeString writes them.
var attrEscapes = [256]string{'<': "&lt;", '>': "&gt;", '&': "&amp;", '\'': "&#39;", '"': "&#34;"}

func closeTag(b []byte, selfClosing bool) []byte {
	if selfClosing {
		b = append(b, '/')
	}
	return append(b, '>')
}

// isJSType tells whether a script's type attribute makes it run (the
// names compared in ASCII case, as browsers do).
func isJSType(t []byte) bool {
	t = bytes.TrimSpace(t)
	for _, js := range [...]string{"", "text/javascript", "application/javascript", "application/x-javascript",
		"text/ecmascript", "application/ecmascript", "text/jscript", "module"} {
		if asciiEqualFoldString(t, js) {
			return true
		}
	}
	return false
}

// header is the debug header's value: each rewrite as service=tag.
func (g *gate) header() string {
	parts := make([]string, len(g.done))
	for i, r := range g.done {
		parts[i] = r.service + "=" + r.tag
	}
	return strings.Join(parts, ", ")
}
