// Package banner builds the script that asks a site's visitors for their
// cookie choice: hand-written JavaScript and CSS (banner.js, banner.css),
// embedded, with one site revision's configuration and texts inlined, and
// minified once per site, revision and language.
package banner

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"sync"

	"github.com/andybalholm/brotli"
	"github.com/tdewolff/minify/v2"
	"github.com/tdewolff/minify/v2/css"
	"github.com/tdewolff/minify/v2/js"

	"github.com/charte/charte/internal/lru"
	"github.com/charte/charte/registry"
)

//go:embed banner.js
var jsSource string

//go:embed banner.css
var cssSource string

// The markup each theme splices into banner.js, and its style sheet: only
// the chosen theme's travels in a site's script.
var (
	//go:embed markup.js
	markupSource string
	//go:embed dsfr.js
	dsfrSource string
	//go:embed dsfr.css
	dsfrCSS string
	//go:embed dialog.css
	dialogCSS string
)

// themes are the registry's themes, by name ("" is charte's own): the
// markup, the style sheet and the dialog's own style sheet (the DSFR's
// dialog is styled by the DSFR's CSS).
var themes = map[string][3]string{
	"":                 {markupSource, cssSource, dialogCSS},
	registry.ThemeDSFR: {dsfrSource, dsfrCSS, ""},
}

// markupMark is where banner.js takes its theme's markup.
const markupMark = "// @markup\n"

// Options says where the banner finds charte.
type Options struct {
	// APIBase is charte's public base URL, such as https://charte.example:
	// the consent API and the charter link are under it.
	APIBase string
	// Preview builds the back office's preview of a draft: the visitors'
	// code unchanged, with Consent Mode left out (the preview page has no
	// tag to inform) and the charter link at Charter, the draft's charter,
	// when given. The page that runs it keeps it from storing or sending
	// anything (internal/admin/bannerpreview.go), so the public script
	// carries no preview code at all. A preview is built per request with
	// Build, never through a Cache, whose key ignores these two fields.
	Preview bool
	Charter string
}

// Placeholders in banner.js. They are global identifiers, so the minifier
// keeps their names, and Build swaps them for JSON.
const configMark, cssMark = "CHARTE_CONFIG", "CHARTE_CSS"

// serviceCode is the code of banner.js between /*S*/ and /*-S*/: consent per
// service (switches, placeholders of a service, service decisions). Only a
// site with services downloads it, so a site without keeps its size budget.
// blockCode, between /*B*/ and /*-B*/, is automatic blocking (registry
// blocking: observe): only a site with services that asks for it
// downloads it.
var (
	serviceCode = regexp.MustCompile(`(?s)/\*S\*/.*?/\*-S\*/`)
	blockCode   = regexp.MustCompile(`(?s)/\*B\*/.*?/\*-B\*/`)
)

// The variants of the script each theme has, and its style sheets,
// minified once.
const (
	plainScript    = iota // no service code, no blocking
	styleSheet            // the theme's style sheet
	servicesScript        // with the service code
	dialogStyle           // the dialog's style sheet, fetched with its details
	blockingScript        // with the service code and automatic blocking
	variants
)

// minified holds, for each theme, banner.js with the theme's markup in its
// variants, and the theme's style sheets, minified once: the sources do not
// change while the binary runs, only the configuration spliced into them.
var minified = sync.OnceValues(func() (map[string][variants]string, error) {
	m := minify.New()
	m.Add("text/javascript", &js.Minifier{})
	m.AddFunc("text/css", css.Minify)
	if n := strings.Count(jsSource, markupMark); n != 1 {
		return nil, fmt.Errorf("banner.js: %q appears %d times, want once", markupMark, n)
	}
	// The markers go from the variants that keep their code: one of them
	// stands inside a template literal, where it is text, not a comment.
	unmark := strings.NewReplacer("/*S*/", "", "/*-S*/", "", "/*B*/", "", "/*-B*/", "").Replace
	out := map[string][variants]string{}
	for name, t := range themes {
		style, err := m.String("text/css", t[1])
		if err != nil {
			return nil, fmt.Errorf("theme %q style sheet: %w", name, err)
		}
		dialogCSS, err := m.String("text/css", t[2])
		if err != nil {
			return nil, fmt.Errorf("theme %q dialog style sheet: %w", name, err)
		}
		var v [variants]string
		v[styleSheet], v[dialogStyle] = style, dialogCSS
		src := strings.Replace(jsSource, markupMark, t[0], 1)
		noBlock := blockCode.ReplaceAllString(src, "")
		for i, src := range map[int]string{
			plainScript:    serviceCode.ReplaceAllString(noBlock, ""),
			servicesScript: unmark(noBlock),
			blockingScript: unmark(src),
		} {
			script, err := m.String("text/javascript", src)
			if err != nil {
				return nil, fmt.Errorf("banner.js (theme %q): %w", name, err)
			}
			for _, mark := range []string{configMark, cssMark} {
				if n := strings.Count(script, mark); n != 1 {
					return nil, fmt.Errorf("banner.js (theme %q): %s appears %d times after minifying, want once", name, mark, n)
				}
			}
			v[i] = script
		}
		out[name] = v
	}
	return out, nil
})

// Build returns the banner script of one published revision of site in
// lang, one of the site's languages.
func Build(site *registry.Site, revision, lang string, opts Options) ([]byte, error) {
	all, err := minified()
	if err != nil {
		return nil, err
	}
	m, ok := all[site.Theme]
	if !ok {
		return nil, fmt.Errorf("banner: site %s: unknown theme %q", site.ID, site.Theme)
	}
	cfg, err := newConfig(site, revision, lang, opts)
	if err != nil {
		return nil, err
	}
	conf, err := marshal(cfg)
	if err != nil {
		return nil, err
	}
	css := m[styleSheet]
	if opts.Preview { // its dialog is inline, and so are the dialog's rules
		css += m[dialogStyle]
	}
	style, err := marshal(css)
	if err != nil {
		return nil, err
	}
	r := strings.NewReplacer(configMark, conf, cssMark, style)
	switch {
	case len(cfg.Block) > 0: // services needing consent, and blocking: observe
		return []byte(r.Replace(m[blockingScript])), nil
	case len(site.Services) > 0:
		return []byte(r.Replace(m[servicesScript])), nil
	}
	return []byte(r.Replace(m[plainScript])), nil
}

// Details returns the JSON the script of the same site, revision, language
// and options fetches when the preferences first open (config.go's
// details). A preview has none: its script carries them.
func Details(site *registry.Site, revision, lang string, opts Options) ([]byte, error) {
	if opts.Preview {
		return nil, fmt.Errorf("banner: a preview carries its dialog inline")
	}
	all, err := minified()
	if err != nil {
		return nil, err
	}
	cfg, err := newConfig(site, revision, lang, opts)
	if err != nil {
		return nil, err
	}
	cfg.details.CSS = all[site.Theme][dialogStyle]
	s, err := marshal(cfg.details)
	return []byte(s), err
}

// marshal writes JSON without HTML escaping: the script is served as its own
// file, never inside an HTML page, and "<" as \u003c costs bytes.
func marshal(v any) (string, error) {
	var b strings.Builder
	e := json.NewEncoder(&b)
	e.SetEscapeHTML(false)
	if err := e.Encode(v); err != nil {
		return "", err
	}
	return strings.TrimSuffix(b.String(), "\n"), nil
}

// Script is a built banner, ready to serve.
type Script struct {
	Body []byte
	// Gzip and Brotli are Body compressed once, when it is built: every
	// browser accepts gzip, and all current ones brotli, which is about a
	// fifth smaller.
	Gzip, Brotli []byte
	ETag         string
	// SHA256 is the hex SHA-256 of Body: the name it is escrowed under.
	SHA256 string
	// Details is the JSON of the script's second layer, compressed the
	// same way (nil in a Details itself).
	Details *Script
}

func newScript(body []byte) (*Script, error) {
	var z bytes.Buffer
	w, err := gzip.NewWriterLevel(&z, gzip.DefaultCompression) // the level the size budget is measured at
	if err != nil {
		return nil, err
	}
	w.Write(body)
	if err := w.Close(); err != nil {
		return nil, err
	}
	// The best level costs a few milliseconds, once per script.
	var br bytes.Buffer
	bw := brotli.NewWriterLevel(&br, brotli.BestCompression)
	bw.Write(body)
	if err := bw.Close(); err != nil {
		return nil, err
	}
	sum := sha256.Sum256(body)
	return &Script{Body: body, Gzip: z.Bytes(), Brotli: br.Bytes(),
		ETag: `"` + hex.EncodeToString(sum[:8]) + `"`, SHA256: hex.EncodeToString(sum[:])}, nil
}

// Cache keeps built scripts by site, revision, language and base URL, so
// serving a banner is a map lookup. Revisions are immutable, so an entry
// never goes stale; the cache is bounded only so that a site published
// thousands of times cannot grow it forever.
type Cache struct {
	built func(Built)

	// m holds the built scripts within MaxBytes, least recently used
	// dropped first; mu guards inflight (m has its own lock).
	m        *lru.Cache[key, *Script]
	mu       sync.Mutex
	inflight map[key]*flight
}

type key struct{ site, revision, lang, base string }

// flight is a build in progress: concurrent first requests for one script
// wait for it rather than each building (and escrowing) their own.
type flight struct {
	done chan struct{}
	s    *Script
	err  error
}

// Built is a script the cache has just built, as its built hook gets it.
type Built struct {
	SiteID, Revision, Lang string
	Options                Options
	Script                 *Script
}

// MaxBytes bounds the cache: a script and its gzip take about 20 KB, so
// 16 MiB holds some 800 (site, revision, language) scripts, the most
// served ones; a dropped script is rebuilt on its next request (a few
// milliseconds). The server's caches together stay near 100 MiB, well
// under charte serve's 200 MiB soft memory limit, so the collector does
// not run flat out once they are full.
const MaxBytes = 16 << 20

// NewCache returns an empty cache. built, when not nil, is called once for
// each script the cache builds, on the goroutine of the request that missed,
// so it must be quick: the server escrows what it hands over from there.
func NewCache(built func(Built)) *Cache {
	return &Cache{built: built, m: lru.New[key, *Script](MaxBytes), inflight: map[key]*flight{}}
}

// Lookup returns a script already built, without building it.
func (c *Cache) Lookup(siteID, revision, lang string, opts Options) (*Script, bool) {
	return c.m.Get(key{siteID, revision, lang, opts.APIBase})
}

// Forget drops a built script, so the next Get builds it again (and calls
// the built hook again).
func (c *Cache) Forget(siteID, revision, lang string, opts Options) {
	c.m.Remove(key{siteID, revision, lang, opts.APIBase})
}

// Get returns the script of site at revision in lang, building it on the
// first request.
func (c *Cache) Get(site *registry.Site, revision, lang string, opts Options) (*Script, error) {
	if s, ok := c.Lookup(site.ID, revision, lang, opts); ok {
		return s, nil
	}
	k := key{site.ID, revision, lang, opts.APIBase}
	c.mu.Lock()
	if s, ok := c.m.Get(k); ok { // built while this request waited for the lock
		c.mu.Unlock()
		return s, nil
	}
	if f, ok := c.inflight[k]; ok {
		c.mu.Unlock()
		<-f.done
		return f.s, f.err
	}
	f := &flight{done: make(chan struct{})}
	c.inflight[k] = f
	c.mu.Unlock()

	f.s, f.err = c.build(site, revision, lang, opts)
	c.mu.Lock()
	delete(c.inflight, k)
	if f.err == nil {
		c.store(k, f.s)
	}
	c.mu.Unlock()
	close(f.done)
	if f.err == nil && c.built != nil {
		c.built(Built{SiteID: site.ID, Revision: revision, Lang: lang, Options: opts, Script: f.s})
	}
	return f.s, f.err
}

func (c *Cache) build(site *registry.Site, revision, lang string, opts Options) (*Script, error) {
	body, err := Build(site, revision, lang, opts)
	if err != nil {
		return nil, err
	}
	more, err := Details(site, revision, lang, opts)
	if err != nil {
		return nil, err
	}
	s, err := newScript(body)
	if err != nil {
		return nil, err
	}
	s.Details, err = newScript(more)
	return s, err
}

// store adds a script, counted by what it holds in memory.
func (c *Cache) store(k key, s *Script) {
	size := len(k.site) + len(k.revision) + len(k.lang) + len(k.base) + 200
	for _, s := range []*Script{s, s.Details} {
		size += len(s.Body) + len(s.Gzip) + len(s.Brotli) + len(s.ETag) + len(s.SHA256)
	}
	c.m.Add(k, s, int64(size))
}
