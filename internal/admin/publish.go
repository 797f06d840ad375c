package admin

import (
	"errors"
	"net/http"
	"reflect"

	"github.com/charte/charte/internal/store"
	"github.com/charte/charte/registry"
)

// change is one line of the difference between what visitors see and the
// draft.
type change struct {
	Kind string // "added", "removed", "changed"
	What string // "category", "cookie", "texts", "settings"
	Name string
}

type publishData struct {
	Published, Draft string // revisions; Published "" when never published
	Changes          []change
	New              string // the revision just published
}

// diff compares categories, cookies (by name and domain), banner texts and
// settings.
func diff(old, cur *registry.Site) []change {
	var out []change
	if old == nil {
		old = &registry.Site{}
	}
	cats := func(s *registry.Site) map[string]registry.Category {
		m := map[string]registry.Category{}
		for _, c := range s.Categories {
			m[c.ID] = c
		}
		return m
	}
	cookies := func(s *registry.Site) map[string]registry.Cookie {
		m := map[string]registry.Cookie{}
		for _, c := range s.Cookies {
			key := c.Name
			if c.Domain != "" {
				key += " (" + c.Domain + ")"
			}
			m[key] = c
		}
		return m
	}
	out = append(out, diffMaps("category", cats(old), cats(cur), cur.Categories, func(c registry.Category) string { return c.ID })...)
	curCookies := cookies(cur)
	var order []registry.Cookie
	order = append(order, cur.Cookies...)
	out = append(out, diffMaps("cookie", cookies(old), curCookies, order, func(c registry.Cookie) string {
		if c.Domain != "" {
			return c.Name + " (" + c.Domain + ")"
		}
		return c.Name
	})...)
	if !reflect.DeepEqual(old.Banner, cur.Banner) {
		out = append(out, change{Kind: "changed", What: "texts"})
	}
	o, c := *old, *cur
	o.Categories, o.Cookies, o.Banner, c.Categories, c.Cookies, c.Banner = nil, nil, nil, nil, nil, nil
	if !reflect.DeepEqual(o, c) {
		out = append(out, change{Kind: "changed", What: "settings"})
	}
	return out
}

func diffMaps[T any](what string, old, cur map[string]T, order []T, key func(T) string) []change {
	var out []change
	for _, v := range order {
		k := key(v)
		if o, ok := old[k]; !ok {
			out = append(out, change{"added", what, k})
		} else if !reflect.DeepEqual(o, v) {
			out = append(out, change{"changed", what, k})
		}
	}
	for k := range old {
		if _, ok := cur[k]; !ok {
			out = append(out, change{"removed", what, k})
		}
	}
	return out
}

func (a *Admin) publishForm(w http.ResponseWriter, r *http.Request) error {
	p, err := a.sitePage(w, r, "publish.title")
	if err != nil {
		return err
	}
	d := publishData{Draft: p.Site.Revision()}
	rev, err := a.st.Published(r.Context(), p.Site.ID)
	switch {
	case errors.Is(err, store.ErrNotFound):
		d.Changes = diff(nil, p.Site)
	case err != nil:
		return err
	default:
		d.Published = rev.ID
		d.Changes = diff(rev.Site, p.Site)
	}
	d.New = r.URL.Query().Get("revision")
	p.Data = d
	return a.render(w, "publish", p)
}

// publish makes the draft what visitors see: a new immutable revision,
// after which the banner asks everyone again.
func (a *Admin) publish(w http.ResponseWriter, r *http.Request) error {
	s, err := a.draft(r)
	if err != nil {
		return err
	}
	before, _ := a.st.Published(r.Context(), s.ID)
	rev, err := a.st.Publish(r.Context(), s.ID)
	if err != nil {
		return err
	}
	a.audit(r, s.ID, "publish", map[string]any{"revision": rev.ID, "previous": before.ID})
	http.Redirect(w, r, sitePath(r, "publish")+"?done=flash.published&revision="+rev.ID, http.StatusSeeOther)
	return nil
}
