package services

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"
	"sync"

	"go.yaml.in/yaml/v3"
)

//go:embed recipes/*.yaml
var recipeFiles embed.FS

// Catalogue is the set of recipes, indexed for lookups by id, by URL and by
// cookie name.
type Catalogue struct {
	recipes []*Recipe // sorted by id
	byID    map[string]*Recipe
	urls    *URLIndex
	snips   *SnippetIndex
	cookies *cookieIndex
	storage *cookieIndex
}

var builtin = sync.OnceValues(func() (*Catalogue, error) { return Parse(recipeFiles, "recipes") })

// Builtin returns the catalogue embedded in the binary. Its recipes are
// checked by the package's tests, so an error here is a build mistake.
func Builtin() *Catalogue {
	c, err := builtin()
	if err != nil {
		panic("services: the embedded catalogue does not load: " + err.Error())
	}
	return c
}

// Parse reads every *.yaml file of dir in fsys as one recipe and checks
// each (Check); it returns every problem found, each naming its file.
func Parse(fsys fs.FS, dir string) (*Catalogue, error) {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, err
	}
	c := &Catalogue{byID: map[string]*Recipe{}}
	var errs []error
	for _, e := range entries {
		if e.IsDir() || path.Ext(e.Name()) != ".yaml" {
			continue
		}
		data, err := fs.ReadFile(fsys, path.Join(dir, e.Name()))
		if err != nil {
			return nil, err
		}
		r, err := Decode(data)
		if err == nil {
			err = r.Check()
		}
		if err == nil && r.ID+".yaml" != e.Name() {
			err = fmt.Errorf("the file of recipe %q must be named %s.yaml", r.ID, r.ID)
		}
		if err == nil && c.byID[r.ID] != nil {
			err = fmt.Errorf("recipe id %q is used twice", r.ID)
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", e.Name(), err))
			continue
		}
		c.byID[r.ID] = r
		c.recipes = append(c.recipes, r)
	}
	for _, r := range c.recipes {
		if r.Exemption != nil {
			if of := c.byID[r.Exemption.Of]; of == nil || of.Exempt() {
				errs = append(errs, fmt.Errorf("%s.yaml: exemption.of: %q is not a recipe needing consent", r.ID, r.Exemption.Of))
			}
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	slices.SortFunc(c.recipes, func(a, b *Recipe) int { return strings.Compare(a.ID, b.ID) })
	if c.urls, err = NewURLIndex(c.recipes); err != nil {
		return nil, err
	}
	c.cookies = newCookieIndex(c.recipes)
	c.storage = newStorageIndex(c.recipes)
	c.snips = NewSnippetIndex(c.recipes)
	return c, nil
}

// Decode reads one recipe file, refusing unknown fields so a misspelt key
// is an error rather than a silently missing fact.
func Decode(data []byte) (*Recipe, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	var r Recipe
	if err := dec.Decode(&r); err != nil {
		return nil, fmt.Errorf("recipe YAML: %w", err)
	}
	return &r, nil
}

// All returns every recipe, sorted by id. Callers must not modify them.
func (c *Catalogue) All() []*Recipe { return c.recipes }

// Get returns the recipe with that id.
func (c *Catalogue) Get(id string) (*Recipe, bool) {
	r, ok := c.byID[id]
	return r, ok
}

// InCategory lists the recipes whose default category is cat.
func (c *Catalogue) InCategory(cat string) []*Recipe {
	var out []*Recipe
	for _, r := range c.recipes {
		if r.Category == cat {
			out = append(out, r)
		}
	}
	return out
}

// URLs is the catalogue's precompiled URL index.
func (c *Catalogue) URLs() *URLIndex { return c.urls }

// Snippets is the catalogue's precompiled index of loader-snippet
// signatures.
func (c *Catalogue) Snippets() *SnippetIndex { return c.snips }

// MatchStorage returns the recipes declaring a localStorage or
// sessionStorage key of that name, exact declarations first.
func (c *Catalogue) MatchStorage(key string) []*Recipe {
	return c.storage.match(key, "")
}

// MatchCookie returns the recipes declaring a cookie of that name on that
// domain ("" when unknown), most specific declaration first; exempt variants
// are left out, as they repeat their base recipe's cookies.
func (c *Catalogue) MatchCookie(name, domain string) []*Recipe {
	return c.cookies.match(name, domain)
}
