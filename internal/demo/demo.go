// Package demo holds the sites seeded into an empty database: the
// opendata.pau.fr charter, and a "demo" copy of it with cookies that need
// consent, so a newcomer sees the banner at work.
package demo

import (
	"bytes"
	"embed"
	"fmt"

	"github.com/charte/charte/registry"
)

//go:embed *.yaml
var files embed.FS

// Names of the seeded sites, in the order they are created.
var names = []string{"opendata-pau", "demo"}

// Sites returns fresh copies of the demo registries.
func Sites() ([]*registry.Site, error) {
	var out []*registry.Site
	for _, n := range names {
		data, err := files.ReadFile(n + ".yaml")
		if err != nil {
			return nil, err
		}
		s, _, err := registry.Load(bytes.NewReader(data))
		if err != nil {
			return nil, fmt.Errorf("demo site %s: %w", n, err)
		}
		out = append(out, s)
	}
	return out, nil
}

// Site returns a fresh copy of one demo site. It panics when id is not one
// of them or the embedded files do not load: both are mistakes in the
// program, which this package's tests catch, not conditions to handle.
func Site(id string) *registry.Site {
	sites, err := Sites()
	if err != nil {
		panic(err)
	}
	for _, s := range sites {
		if s.ID == id {
			return s
		}
	}
	panic(fmt.Sprintf("demo: no site %q", id))
}
