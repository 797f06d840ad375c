package consent

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/charte/charte/registry"
)

// Registry is one snapshot of what the middleware enforces: a site and the
// revision visitors' choices must carry. It is immutable once built, so a
// request keeps the snapshot it started with while a refresh swaps in another.
type Registry struct {
	Site     *registry.Site
	Revision string
	// lifetime is the parsed choice lifetime; zero means no stored choice is
	// ever valid (an unreadable lifetime fails closed).
	lifetime time.Duration
	index    index
	// needs tells, per category id, whether it needs consent.
	needs map[string]bool
}

// NewRegistry builds a snapshot. An empty revision means site.Revision(),
// which is what a charte server publishes for an unchanged registry.
func NewRegistry(site *registry.Site, revision string) *Registry {
	if revision == "" {
		revision = site.Revision()
	}
	d, err := site.ChoiceDuration().Duration()
	if err != nil {
		d = 0
	}
	needs := map[string]bool{}
	for _, c := range site.Cookies {
		needs[c.Category] = site.NeedsConsent(c.Category)
	}
	return &Registry{Site: site, Revision: revision, lifetime: d, index: newIndex(site), needs: needs}
}

// validChoice reports whether a raw choice speaks for the visitor now; the
// same rule as Choice.Valid, without allocating.
func (g *Registry) validChoice(r raw, now time.Time) bool {
	return g.lifetime > 0 && r.revision == g.Revision && fresh(r.unix, now, g.lifetime)
}

// Source gives the middleware the registry to enforce. Registry is called
// once per request and must be cheap and safe for concurrent use.
type Source interface {
	Registry() *Registry
}

type static struct{ reg *Registry }

func (s static) Registry() *Registry { return s.reg }

// Static is a Source that never changes: a registry compiled into the
// program or loaded once at start.
func Static(site *registry.Site) Source { return static{NewRegistry(site, "")} }

// ParseRegistry reads a registry in any of the forms charte writes: a YAML
// or JSON registry file, or the JSON a charte server answers at
// GET /api/v1/sites/{site}/cookies, {"site": {...}, "revision": "...", ...},
// whose revision is then the published one. Size and nesting limits are
// registry.Load's.
func ParseRegistry(data []byte) (*Registry, error) {
	if len(data) > registry.MaxFileSize+64<<10 {
		return nil, fmt.Errorf("registry: larger than %d bytes", registry.MaxFileSize)
	}
	body, revision := data, ""
	if t := bytes.TrimLeft(data, " \t\r\n\ufeff"); len(t) > 0 && t[0] == '{' {
		var top map[string]json.RawMessage
		if err := json.Unmarshal(t, &top); err != nil {
			return nil, fmt.Errorf("registry JSON: %w", err)
		}
		if site, ok := top["site"]; ok {
			body = site
			if rev, ok := top["revision"]; ok {
				if err := json.Unmarshal(rev, &revision); err != nil || !isRevision(revision) {
					return nil, errors.New("registry JSON: \"revision\" must be lower-case hex, 1 to 64 digits")
				}
			}
		}
	}
	site, _, err := registry.Load(bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	return NewRegistry(site, revision), nil
}
