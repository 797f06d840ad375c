package admin

import (
	"errors"
	"net/http"
	"slices"
	"strings"

	"github.com/charte/charte/internal/store"
	"github.com/charte/charte/registry"
	"github.com/charte/charte/services"
)

// The services page: the draft's services from the catalogue (with those
// whose recipe is newer than the published one), a search to add one, and
// the services the last scan recognised that the draft lacks, each added in
// a click.

// maxServiceResults bounds a search's answer: a query narrows it.
const maxServiceResults = 30

type serviceRow struct {
	ID, Name, Vendor, Country, Category string
	// Published is the recipe version visitors were told about (0: not
	// published yet); Outdated when the catalogue's is newer.
	Published, Version int
	Outdated           bool
}

type servicesData struct {
	Query    string
	Used     []serviceRow
	Found    []serviceRow
	Detected []serviceRow
	Searched bool
}

func newServiceRow(r *services.Recipe, lang string) serviceRow {
	return serviceRow{ID: r.ID, Name: r.Name.In(lang, "en"), Vendor: r.Vendor.Name,
		Country: services.CountryName(r.Vendor.Country, lang), Category: r.Category, Version: r.Version}
}

func (a *Admin) ServicesPage(w http.ResponseWriter, r *http.Request) error {
	p, err := a.sitePage(w, r, "services.title")
	if err != nil {
		return err
	}
	d, err := a.servicesData(r, p.Site, p.Lang)
	if err != nil {
		return err
	}
	p.Data = d
	return a.render(w, "services", p)
}

func (a *Admin) servicesData(r *http.Request, s *registry.Site, lang string) (servicesData, error) {
	cat := services.Builtin()
	d := servicesData{Query: strings.TrimSpace(r.URL.Query().Get("q"))}
	published := map[string]int{}
	if rev, err := a.st.Published(r.Context(), s.ID); err == nil {
		for _, sv := range rev.Site.Services {
			published[sv.ID] = sv.Version
		}
	} else if !errors.Is(err, store.ErrNotFound) {
		return d, err
	}
	used := map[string]bool{}
	for _, sv := range s.Services {
		used[sv.ID] = true
		rec, ok := cat.Get(sv.ID)
		if !ok {
			continue // a stored draft always expands; a recipe removed since shows nothing
		}
		row := newServiceRow(rec, lang)
		if sv.Category != "" {
			row.Category = sv.Category
		}
		row.Published = published[sv.ID]
		row.Outdated = row.Published > 0 && rec.Version > row.Published
		d.Used = append(d.Used, row)
	}
	if d.Query != "" {
		d.Searched = true
		q := strings.ToLower(d.Query)
		for _, rec := range cat.All() {
			hay := strings.ToLower(rec.ID + " " + rec.Name["fr"] + " " + rec.Name["en"] + " " + rec.Vendor.Name)
			if !used[rec.ID] && strings.Contains(hay, q) {
				d.Found = append(d.Found, newServiceRow(rec, lang))
				if len(d.Found) == maxServiceResults {
					break
				}
			}
		}
	}
	detected, err := a.lastScanServices(r, s.ID)
	if err != nil {
		return d, err
	}
	for _, id := range detected {
		if rec, ok := cat.Get(id); ok && !used[id] {
			d.Detected = append(d.Detected, newServiceRow(rec, lang))
		}
	}
	return d, nil
}

// lastScanServices are the recipes the site's latest finished scan
// recognised, by URL or by cookie, in id order.
func (a *Admin) lastScanServices(r *http.Request, siteID string) ([]string, error) {
	list, err := a.st.ListScans(r.Context(), siteID, 20)
	if err != nil {
		return nil, err
	}
	for _, sc := range list {
		if sc.Status != store.ScanDone {
			continue
		}
		full, err := a.st.Scan(r.Context(), siteID, sc.ID)
		if err != nil {
			return nil, err
		}
		rep, err := decodeReport(full)
		if err != nil {
			return nil, nil // an unreadable old report detects nothing
		}
		var ids []string
		for _, p := range rep.Passes {
			for _, d := range p.Services {
				ids = append(ids, d.ID)
			}
			for _, c := range p.Cookies {
				if c.Class.Service != "" {
					ids = append(ids, c.Class.Service)
				}
			}
		}
		slices.Sort(ids)
		return slices.Compact(ids), nil
	}
	return nil, nil
}

func (a *Admin) AddService(w http.ResponseWriter, r *http.Request) error {
	p, err := a.sitePage(w, r, "services.title")
	if err != nil {
		return err
	}
	id := strings.TrimSpace(r.PostFormValue("id"))
	if _, ok := services.Builtin().Get(id); !ok {
		return errorf(http.StatusNotFound, "error.noservice", "ID", id)
	}
	e, err := a.addService(r, p.Site, id, nil)
	if err != nil {
		return err
	}
	if e.Problems != nil {
		p.Problems = e.Problems
		site, err := a.draft(r)
		if err != nil {
			return err
		}
		p.Site = site
		if p.Data, err = a.servicesData(r, site, p.Lang); err != nil {
			return err
		}
		return a.renderStatus(w, "services", http.StatusUnprocessableEntity, p)
	}
	return seeOther(w, r, sitePath(r, "services"), "flash.service.added")
}

func (a *Admin) RemoveService(w http.ResponseWriter, r *http.Request) error {
	p, err := a.sitePage(w, r, "services.title")
	if err != nil {
		return err
	}
	i := slices.IndexFunc(p.Site.Services, func(sv registry.Service) bool { return sv.ID == r.PathValue("id") })
	if i < 0 {
		return errorf(http.StatusNotFound, "error.noservice", "ID", r.PathValue("id"))
	}
	if _, err := a.removeServiceAt(r, p.Site, i, nil); err != nil {
		return err
	}
	return seeOther(w, r, sitePath(r, "services"), "flash.deleted")
}
