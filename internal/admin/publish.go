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
	// Untranslated are the site's languages lacking some of the operator's
	// texts, so nobody publishes them unaware.
	Untranslated []languageCount
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

func (a *Admin) PublishForm(w http.ResponseWriter, r *http.Request) error {
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
	for _, l := range countMissing(p.Site, "") {
		if l.Missing > 0 {
			d.Untranslated = append(d.Untranslated, l)
		}
	}
	p.Data = d
	return a.render(w, "publish", p)
}

// publishDraft is the publish use case, for the page and the API alike: the
// draft becomes what visitors see, a new immutable revision after which the
// banner asks everyone again; the audit log keeps it, and this node's caches
// of the site are dropped at once. It returns the revision published and the
// one it replaces ("" for the first).
func (a *Admin) publishDraft(r *http.Request, auditDetail map[string]any) (rev, previous string, err error) {
	s, err := a.draft(r)
	if err != nil {
		return "", "", err
	}
	before, _ := a.st.Published(r.Context(), s.ID)
	published, err := a.st.Publish(r.Context(), s.ID)
	a.changed(s.ID)
	if err != nil {
		return "", "", err
	}
	detail := map[string]any{"revision": published.ID, "previous": before.ID}
	for k, v := range auditDetail {
		detail[k] = v
	}
	a.audit(r, s.ID, "publish", detail)
	return published.ID, before.ID, nil
}

// changed tells the server a site's draft or published revision changed, so
// it drops what it cached of the site (Config.SiteChanged).
func (a *Admin) changed(site string) {
	if a.cfg.SiteChanged != nil {
		a.cfg.SiteChanged(site)
	}
}

// Publish is the publish form's POST: publish, then show the publish page
// with the new revision.
func (a *Admin) Publish(w http.ResponseWriter, r *http.Request) error {
	rev, _, err := a.publishDraft(r, nil)
	if err != nil {
		return err
	}
	http.Redirect(w, r, sitePath(r, "publish")+"?done=flash.published&revision="+rev, http.StatusSeeOther)
	return nil
}
