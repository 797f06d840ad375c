package banner

import (
	"fmt"
	"net/url"
	"slices"
	"strings"

	"github.com/charte/charte/internal/i18n"
	"github.com/charte/charte/registry"
	"github.com/charte/charte/services"
)

// config is the site's published configuration as the script reads it. The
// one-letter names keep the script under its size budget; each is spelled
// out here, and banner.js uses them under the same letters.
type config struct {
	Revision string `json:"r"`
	Lang     string `json:"l"`
	// Dir is "rtl" for a right-to-left language, absent otherwise.
	Dir string `json:"b,omitempty"`
	// Langs are the site's languages when it has several: the script
	// switches to the page's language when it is one of them.
	Langs []string `json:"s,omitempty"`
	// Lifetime of the choice in seconds: the cookie's Max-Age, and the age
	// after which the banner asks again.
	Lifetime int64  `json:"t"`
	Domain   string `json:"d"`
	// GPC is true when Global Privacy Control counts as a refusal.
	GPC     bool       `json:"g"`
	API     string     `json:"a"`
	Charter string     `json:"h"`
	Consent []category `json:"c"`
	Exempt  []category `json:"x"`
	// Mode is the Consent Mode default command, absent when Consent Mode is
	// off; Signals maps each signal a choice can grant to the consent
	// categories that must all be granted for it.
	Mode    map[string]any      `json:"m,omitempty"`
	Signals map[string][]string `json:"q,omitempty"`
	// Readers maps a signal to the site's services needing consent that
	// read it (the recipe's consent_mode): granting all of them grants the
	// signal, as granting its categories does.
	Readers map[string][]string `json:"y,omitempty"`
	Texts   map[string]string   `json:"w"`
	// Block is present when the registry asks the banner to block the
	// services' tags itself (blocking: observe): for each of the site's
	// services needing consent, [id, its URL expression over
	// "host/path?query" (services.Recipe.URLRegexp), the signatures of its
	// loader snippets…]. Only the site's own services travel.
	Block [][]string `json:"z,omitempty"`
	// Details is the URL of the script's details, which it fetches when
	// the preferences first open; a preview carries them inline instead,
	// as Dialog (dialog.go).
	Details string `json:"j,omitempty"`
	Dialog  string `json:"o,omitempty"`
	details *details
}

// details is the second layer, served apart as JSON
// (/sites/{site}/banner/{revision}/{lang}.json): the preferences dialog's
// markup, rendered with its categories' descriptions, cookie lists and
// wording (dialog.go), and its style sheet (dialog.css).
type details struct {
	Dialog string `json:"html"`
	// CSS is the dialog's style sheet, for a theme that has one.
	CSS string `json:"css"`
}

// category is one category with its cookies, in one language. Every text is
// HTML-escaped; cookie names are RFC 6265 tokens, which hold no markup.
type category struct {
	ID string `json:"i"`
	// Name is for placeholders: an exempt category's, which only the
	// dialog shows, stays out of the script.
	Name      string `json:"n,omitzero"`
	Providers string `json:"v,omitempty"`
	// Cookies are [name] or, for a cookie a service declares, [name,
	// service id]: what the script needs to delete refused cookies. A name
	// ending in "*" is a prefix. Exempt categories leave them out (nil):
	// none of them is ever deleted.
	Cookies [][]string `json:"k,omitzero"`
	// Purpose and List, the cookies as [name, provider, purpose, lifetime],
	// are what the dialog shows: rendered into it, never in the script.
	Purpose string     `json:"-"`
	List    [][]string `json:"-"`
	// Services are the category's services (registry.Service) as
	// [id, name, vendor]: each gets its own switch and its placeholders.
	// Only the site's services travel, never the catalogue.
	Services [][3]string `json:"s,omitempty"`
}

// esc escapes text for innerHTML and double-quoted attributes. The apostrophe
// is left alone: the script never writes single-quoted attributes, and French
// uses it a lot.
var esc = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&#34;").Replace

// maxChoice is the longest a choice is kept, whatever the registry says.
var maxChoice, _ = registry.MaxLifetime.Duration()

func newConfig(site *registry.Site, revision, lang string, opts Options) (*config, error) {
	if !slices.Contains(site.Languages, lang) {
		return nil, fmt.Errorf("banner: site %s has no language %q", site.ID, lang)
	}
	life, err := site.ChoiceDuration().Duration()
	if err != nil || life <= 0 {
		return nil, fmt.Errorf("banner: site %s: choice lifetime %q", site.ID, site.ChoiceDuration())
	}
	life = min(life, maxChoice)
	base := strings.TrimSuffix(opts.APIBase, "/")
	id := url.PathEscape(site.ID)
	c := &config{
		Revision: revision,
		Lang:     lang,
		Lifetime: int64(life.Seconds()),
		Dir:      map[string]string{"rtl": "rtl"}[i18n.Dir(lang)],
		Domain:   strings.TrimPrefix(site.CookieDomain, "."),
		GPC:      !site.IgnoreGPC,
		API:      base + "/api/v1/sites/" + id + "/consents",
		Charter:  esc(base + "/sites/" + id + "/charter?lang=" + lang),
		Consent:  []category{},
		Exempt:   []category{},
		Texts:    map[string]string{},
	}
	var purposes, partners []string
	for _, cat := range site.Categories {
		k, err := newCategory(site, cat, lang)
		if err != nil {
			return nil, err
		}
		if cat.Exempt {
			k.Providers = "" // only placeholders of blocked content name them
			c.Exempt = append(c.Exempt, k)
			continue
		}
		c.Consent = append(c.Consent, k)
		purposes = append(purposes, k.Name)
		for _, ck := range site.CookiesIn(cat.ID) {
			if ck.Party == registry.ThirdParty && !slices.Contains(partners, esc(ck.Provider)) {
				partners = append(partners, esc(ck.Provider))
			}
		}
	}
	if len(site.Languages) > 1 {
		c.Langs = site.Languages
	}
	c.texts(site, lang, purposes, partners)
	if len(site.Services) == 0 {
		delete(c.Texts, "U") // the services' heading travels only with services
	}
	if opts.Preview && opts.Charter != "" {
		c.Charter = esc(opts.Charter)
	}
	more := &details{Dialog: dialog(c, site.Theme, len(site.Services) > 0)}
	for _, k := range dialogTexts {
		delete(c.Texts, k)
	}
	for i := range c.Exempt {
		c.Exempt[i].Name, c.Exempt[i].Cookies = "", nil
	}
	if opts.Preview {
		c.Dialog = more.Dialog
	} else {
		c.Details = base + "/sites/" + id + "/banner/" + url.PathEscape(revision) + "/" + lang + ".json"
		c.details = more
	}
	if site.Blocking == registry.BlockingObserve {
		c.Block = blockList(site)
	}
	if site.ConsentMode != nil && site.ConsentMode.Enabled && !opts.Preview {
		c.Mode, c.Signals = consentMode(site)
		for _, sv := range site.Services {
			// Publishing sets every service's category (services.Expand).
			if sv.Category == "" || !site.NeedsConsent(sv.Category) || !registry.IsServiceID(sv.ID) {
				continue
			}
			for _, s := range sv.ConsentMode {
				if len(c.Signals[s]) > 0 {
					if c.Readers == nil {
						c.Readers = map[string][]string{}
					}
					c.Readers[s] = append(c.Readers[s], sv.ID)
				}
			}
		}
	}
	return c, nil
}

// blockList is what the banner matches the page's scripts and frames
// against: the site's services needing consent, with their recipes' URL
// patterns and snippet signatures. A service without either cannot be
// recognised in a page and is left out.
func blockList(site *registry.Site) [][]string {
	out := [][]string{}
	cat := services.Builtin()
	for _, sv := range site.Services {
		r, ok := cat.Get(sv.ID)
		if !ok || sv.Category == "" || !site.NeedsConsent(sv.Category) || !registry.IsServiceID(sv.ID) {
			continue
		}
		re := r.URLRegexp()
		if re == "" {
			re = `[^\s\S]` // matches nothing: the service is known by its snippets only
		}
		e := []string{sv.ID, re}
		for _, s := range r.Snippets {
			e = append(e, s.Signature)
		}
		if len(r.URLs) > 0 || len(e) > 2 {
			out = append(out, e)
		}
	}
	return out
}

func newCategory(site *registry.Site, cat registry.Category, lang string) (category, error) {
	k := category{
		ID:      cat.ID,
		Name:    local(cat.Name, lang, site.DefaultLanguage),
		Cookies: [][]string{},
		Purpose: local(cat.Description, lang, site.DefaultLanguage),
	}
	for _, sv := range site.ServicesIn(cat.ID) {
		if !registry.IsServiceID(sv.ID) {
			return k, fmt.Errorf("banner: site %s: service id %q", site.ID, sv.ID)
		}
		name := sv.Name.In(lang, site.DefaultLanguage)
		if name == "" {
			name = sv.ID
		}
		k.Services = append(k.Services, [3]string{sv.ID, esc(name), esc(cmp(sv.Vendor, name))})
	}
	var providers []string
	for _, ck := range site.CookiesIn(cat.ID) {
		if !registry.IsToken(ck.BaseName()) {
			return k, fmt.Errorf("banner: site %s: cookie name %q is not a token", site.ID, ck.Name)
		}
		p := esc(ck.Provider)
		if !slices.Contains(providers, p) {
			providers = append(providers, p)
		}
		k.List = append(k.List, []string{ck.Name, p, local(ck.Purpose, lang, site.DefaultLanguage), esc(lifetime(ck.Lifetime, lang))})
		e := []string{ck.Name}
		if ck.ServiceID != "" && registry.IsServiceID(ck.ServiceID) {
			e = append(e, ck.ServiceID)
		}
		k.Cookies = append(k.Cookies, e)
	}
	k.Providers = strings.Join(providers, ", ")
	if k.Providers == "" {
		k.Providers = esc(site.Name)
	}
	return k, nil
}

// local is an operator's text in lang, escaped; one that falls back to the
// site's default language is marked with its lang (and dir when the
// direction differs), so screen readers switch voice (WCAG 3.1.2). Only
// fallbacks pay the bytes.
func local(t registry.Text, lang, def string) string {
	s, in := t.InLang(lang, def)
	if in == lang || s == "" {
		return esc(s)
	}
	dir := ""
	if i18n.Dir(in) != i18n.Dir(lang) {
		dir = ` dir="` + i18n.Dir(in) + `"`
	}
	return `<span lang="` + in + `"` + dir + `>` + esc(s) + `</span>`
}

// lifetime is the charter's wording of a cookie lifetime, but a bare
// "Session" for session cookies: the dialog lists every cookie, and the
// charter's longer explanation would cost the script's size budget dearly.
func lifetime(l registry.Lifetime, lang string) string {
	if l == registry.Session {
		return i18n.T(lang, "lifetime.session_short")
	}
	return l.Localize(i18n.Lifetimes(lang))
}

// texts fills in charte's wording, the site's overrides, and the first
// layer's line naming the purposes and the third parties.
func (c *config) texts(site *registry.Site, lang string, purposes, partners []string) {
	for k, id := range scriptTexts {
		c.Texts[k] = esc(i18n.T(lang, id))
	}
	// Each script carries only the texts it can show, for its size budget:
	// N says there is nothing to consent to, G that GPC refused everything.
	if len(purposes) > 0 {
		delete(c.Texts, "N")
	}
	if !c.GPC {
		delete(c.Texts, "G")
	}
	// The DSFR's anatomy has words of its own.
	if site.Theme == registry.ThemeDSFR {
		for k, id := range dsfrTexts {
			c.Texts[k] = esc(i18n.T(lang, id))
		}
	}
	// %p and %c stay for the script, which names the providers and the
	// category of each piece of blocked content.
	c.Texts["B"] = esc(i18n.T(lang, "banner.placeholder", "Providers", "%p", "Category", "%c"))
	own := site.Banner[lang]
	c.Texts["T"] = esc(cmp(own.Title, i18n.T(lang, "banner.title")))
	life := site.ChoiceDuration().Localize(i18n.Lifetimes(lang))
	c.Texts["M"] = esc(cmp(own.Message, i18n.T(lang, "banner.message", "Lifetime", life)))
	// Names and providers are escaped already; the sentence around them is
	// charte's and escaped here.
	p := esc(i18n.T(lang, "banner.purposes", "Purposes", "\x00"))
	p = strings.Replace(p, "\x00", i18n.List(lang, "semicolon", purposes), 1)
	if len(partners) > 0 {
		q := esc(i18n.T(lang, "banner.partners", "Partners", "\x00"))
		p += " " + strings.Replace(q, "\x00", i18n.List(lang, "comma", partners), 1)
	}
	c.Texts["P"] = p
}

// cmp returns the first non-blank string.
func cmp(a, b string) string {
	if strings.TrimSpace(a) != "" {
		return a
	}
	return b
}

// consentMode builds the Consent Mode v2 default command and the signals a
// choice updates. A signal is granted by default only when no category
// needing consent maps to it and some exempt category does (security_storage
// always); it is granted by a choice only when every consent category that
// maps to it is granted, so a choice never grants more than the visitor did.
func consentMode(site *registry.Site) (map[string]any, map[string][]string) {
	mapping := site.ConsentModeMapping()
	def := map[string]any{"wait_for_update": 500}
	signals := map[string][]string{}
	for _, s := range registry.ConsentModeSignals {
		exempt := s == "security_storage"
		for _, cat := range site.Categories {
			if !slices.Contains(mapping[cat.ID], s) {
				continue
			}
			if cat.Exempt {
				exempt = true
			} else {
				signals[s] = append(signals[s], cat.ID)
			}
		}
		def[s] = "denied"
		if exempt && len(signals[s]) == 0 {
			def[s] = "granted"
		}
	}
	return def, signals
}
