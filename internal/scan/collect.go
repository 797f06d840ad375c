package scan

import (
	"cmp"
	"context"
	"math"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/storage"
	"github.com/chromedp/chromedp"

	"github.com/charte/charte/services"
)

// readCookies returns every cookie of the browser's profile: the page's own,
// HttpOnly ones and those third parties set from iframes and subresources,
// which document.cookie would never show.
func readCookies(browser context.Context) ([]*network.Cookie, error) {
	res, err := chromedp.CallBrowser(browser, storage.GetCookies, storage.GetCookiesParams{})
	if err != nil {
		return nil, err
	}
	return res.Cookies, nil
}

// classifyCookies turns protocol cookies into report cookies.
func (s *scanner) classifyCookies(cookies []*network.Cookie, site string) []Cookie {
	now := time.Now()
	out := make([]Cookie, 0, len(cookies))
	for _, c := range cookies {
		rc := Cookie{
			Name: c.Name, Domain: c.Domain, Path: c.Path,
			HTTPOnly: c.HTTPOnly, Secure: c.Secure, SameSite: string(c.SameSite),
			ThirdParty: !firstParty(c.Domain, s.start.Hostname(), site),
			Class:      s.classifier.Classify(c.Name, c.Domain),
		}
		if !c.Session && c.Expires > 0 && !math.IsInf(c.Expires, 0) {
			sec, frac := math.Modf(c.Expires)
			exp := time.Unix(int64(sec), int64(frac*1e9)).UTC()
			rc.Expires = &exp
			rc.LifetimeSeconds = max(int64(math.Round(exp.Sub(now).Seconds())), 1)
		}
		out = append(out, rc)
	}
	return out
}

// sortCookies orders a pass's cookies by domain then name, so two scans of
// the same site compare line by line.
func sortCookies(out []Cookie) {
	slices.SortFunc(out, func(a, b Cookie) int {
		return cmp.Or(cmp.Compare(strings.TrimPrefix(a.Domain, "."), strings.TrimPrefix(b.Domain, ".")),
			cmp.Compare(a.Name, b.Name), cmp.Compare(a.Path, b.Path))
	})
}

// firstParty reports whether something at domain belongs to the scanned
// site: the start host itself, a parent domain whose cookies the host
// receives, or any host under the site's registrable domain (Chromium's
// public-suffix computation; empty for an IP address, where only the exact
// host counts).
func firstParty(domain, host, site string) bool {
	d := strings.ToLower(strings.TrimPrefix(domain, "."))
	host = strings.ToLower(host)
	return d == host || domainWithin(host, d) || (site != "" && domainWithin(d, site))
}

// merge joins the page results of a pass: visits in order, storage keys and
// third-party hosts deduplicated and sorted.
func (s *scanner) merge(results []pageResult, site string) ([]Visit, []StorageKey, []ContactHost, []DetectedService, []RanScript) {
	detected := map[string]*DetectedService{}
	visits := make([]Visit, 0, len(results))
	type skey struct{ origin, kind, key string }
	keys := map[skey]bool{}
	var storageKeys []StorageKey
	hosts := map[string]int{}
	var scripts []RanScript
	for _, r := range results {
		visits = append(visits, r.visit)
		scripts = append(scripts, r.scripts...)
		for _, k := range r.storage {
			sk := skey{k.Origin, k.Kind, k.Key}
			if keys[sk] {
				continue
			}
			keys[sk] = true
			host := k.Origin
			if u, err := url.Parse(k.Origin); err == nil {
				host = u.Hostname()
			}
			k.Class = s.classifier.Classify(k.Key, host)
			if k.Class.Service == "" {
				k.Class = storageService(s.classifier, k.Class, k.Key)
			}
			storageKeys = append(storageKeys, k)
		}
		for h, n := range r.hosts {
			if !firstParty(h, s.start.Hostname(), site) {
				hosts[h] += n
			}
		}
		for id, d := range r.services {
			if e := detected[id]; e != nil {
				e.Requests += d.Requests
			} else {
				c := *d
				detected[id] = &c
			}
		}
	}
	var svcs []DetectedService
	for _, d := range detected {
		svcs = append(svcs, *d)
	}
	slices.SortFunc(svcs, func(a, b DetectedService) int { return cmp.Compare(a.ID, b.ID) })
	slices.SortFunc(storageKeys, func(a, b StorageKey) int {
		return cmp.Or(cmp.Compare(a.Origin, b.Origin), cmp.Compare(a.Kind, b.Kind), cmp.Compare(a.Key, b.Key))
	})
	contacts := make([]ContactHost, 0, len(hosts))
	for h, n := range hosts {
		contacts = append(contacts, ContactHost{Host: h, Requests: n})
	}
	slices.SortFunc(contacts, func(a, b ContactHost) int { return cmp.Compare(a.Host, b.Host) })
	return visits, storageKeys, contacts, svcs, scripts
}

// storageService completes a storage key's class from the catalogue: the
// recipe declaring the key names its service, and, when nothing else knew
// the key, its vendor, category and purpose.
func storageService(cl Classifier, c Class, key string) Class {
	rs := services.Builtin().MatchStorage(key)
	if len(rs) == 0 {
		return c
	}
	r := rs[0]
	c.Service = r.ID
	if c.Source == SourceUnknown {
		c.Source, c.Vendor, c.Category, c.NeedsConsent = SourceService, r.Vendor.Name, r.Category, cl.needsConsent(r.Category)
		for _, s := range r.Storage {
			if s.Key == key || (strings.HasSuffix(s.Key, "*") && strings.HasPrefix(key, strings.TrimSuffix(s.Key, "*"))) {
				c.Known, c.Purpose = s.Key, s.Purpose
			}
		}
	}
	return c
}
