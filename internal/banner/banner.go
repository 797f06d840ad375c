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
	"strings"
	"sync"

	"github.com/tdewolff/minify/v2"
	"github.com/tdewolff/minify/v2/css"
	"github.com/tdewolff/minify/v2/js"

	"github.com/charte/charte/registry"
)

//go:embed banner.js
var jsSource string

//go:embed banner.css
var cssSource string

// Options says where the banner finds charte.
type Options struct {
	// APIBase is charte's public base URL, such as https://charte.example:
	// the consent API and the charter link are under it.
	APIBase string
}

// Placeholders in banner.js. They are global identifiers, so the minifier
// keeps their names, and Build swaps them for JSON.
const configMark, cssMark = "CHARTE_CONFIG", "CHARTE_CSS"

// minified holds banner.js and banner.css minified once: the sources do not
// change while the binary runs, only the configuration spliced into them.
var minified = sync.OnceValues(func() ([2]string, error) {
	m := minify.New()
	m.Add("text/javascript", &js.Minifier{})
	m.AddFunc("text/css", css.Minify)
	script, err := m.String("text/javascript", jsSource)
	if err != nil {
		return [2]string{}, fmt.Errorf("banner.js: %w", err)
	}
	style, err := m.String("text/css", cssSource)
	if err != nil {
		return [2]string{}, fmt.Errorf("banner.css: %w", err)
	}
	for _, mark := range []string{configMark, cssMark} {
		if n := strings.Count(script, mark); n != 1 {
			return [2]string{}, fmt.Errorf("banner.js: %s appears %d times after minifying, want once", mark, n)
		}
	}
	return [2]string{script, style}, nil
})

// Build returns the banner script of one published revision of site in
// lang, one of the site's languages.
func Build(site *registry.Site, revision, lang string, opts Options) ([]byte, error) {
	m, err := minified()
	if err != nil {
		return nil, err
	}
	cfg, err := newConfig(site, revision, lang, opts)
	if err != nil {
		return nil, err
	}
	conf, err := marshal(cfg)
	if err != nil {
		return nil, err
	}
	style, err := marshal(m[1])
	if err != nil {
		return nil, err
	}
	r := strings.NewReplacer(configMark, conf, cssMark, style)
	return []byte(r.Replace(m[0])), nil
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
	// Gzip is Body compressed once, for the many clients that accept it.
	Gzip []byte
	ETag string
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
	sum := sha256.Sum256(body)
	return &Script{Body: body, Gzip: z.Bytes(), ETag: `"` + hex.EncodeToString(sum[:8]) + `"`}, nil
}

// Cache keeps built scripts by site, revision, language and base URL, so
// serving a banner is a map lookup. Revisions are immutable, so an entry
// never goes stale; the cache is bounded only so that a site published
// thousands of times cannot grow it forever.
type Cache struct {
	mu sync.RWMutex
	m  map[key]*Script
}

type key struct{ site, revision, lang, base string }

// maxEntries bounds the cache: about 15 KB each, 15 MB at most.
const maxEntries = 1000

// NewCache returns an empty cache.
func NewCache() *Cache { return &Cache{m: map[key]*Script{}} }

// Lookup returns a script already built, without building it.
func (c *Cache) Lookup(siteID, revision, lang string, opts Options) (*Script, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	s, ok := c.m[key{siteID, revision, lang, opts.APIBase}]
	return s, ok
}

// Get returns the script of site at revision in lang, building it on the
// first request.
func (c *Cache) Get(site *registry.Site, revision, lang string, opts Options) (*Script, error) {
	if s, ok := c.Lookup(site.ID, revision, lang, opts); ok {
		return s, nil
	}
	body, err := Build(site, revision, lang, opts)
	if err != nil {
		return nil, err
	}
	s, err := newScript(body)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.m) >= maxEntries {
		for k := range c.m { // map order is random: this evicts arbitrary entries
			delete(c.m, k)
			if len(c.m) < maxEntries/2 {
				break
			}
		}
	}
	c.m[key{site.ID, revision, lang, opts.APIBase}] = s
	return s, nil
}
