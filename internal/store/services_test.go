package store_test

import (
	"bytes"
	"context"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/charte/charte/internal/charter"
	"github.com/charte/charte/internal/proof"
	"github.com/charte/charte/internal/store"
	"github.com/charte/charte/internal/store/storetest"
	"github.com/charte/charte/registry"
)

// servicesRegistry is the example: a registry naming youtube and
// matomo-exempt, with the exempt statistics category the variant needs.
const servicesRegistry = `id: ville
name: Ville de Pau
default_language: fr
languages: [fr, en]
categories:
  - {id: necessary, name: {fr: Nécessaires, en: Necessary}, exempt: true}
  - {id: statistics, name: {fr: Statistiques, en: Statistics}, exempt: true, anonymous_statistics: true}
  - {id: marketing, name: {fr: Marketing, en: Marketing}}
cookies:
  - {name: sessionid, provider: Ville de Pau, purpose: {fr: Session, en: Session}, category: necessary, lifetime: 2 weeks, party: first}
services: [youtube, matomo-exempt]
`

// TestPublishServices imports a registry with services, publishes it on
// both engines and renders the charter from the stored revision: the
// revision holds the services' cookies and vendors, the draft stays as
// written.
func TestPublishServices(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		v, _, err := registry.Read(strings.NewReader(servicesRegistry))
		if err != nil {
			t.Fatal(err)
		}
		site := v.Site()
		if err := s.SaveSite(ctx, v); err != nil {
			t.Fatalf("SaveSite: %v", err)
		}
		rev, err := s.Publish(ctx, site.ID)
		if err != nil {
			t.Fatalf("Publish: %v", err)
		}
		names := map[string]string{}
		for _, k := range rev.Site.Cookies {
			names[k.Name] = k.ServiceID
		}
		for name, svc := range map[string]string{"sessionid": "", "VISITOR_INFO1_LIVE": "youtube", "YSC": "youtube", "_pk_id*": "matomo-exempt", "_pk_ses*": "matomo-exempt"} {
			if got, ok := names[name]; !ok || got != svc {
				t.Errorf("published cookie %s: service %q (present %v), want %q", name, got, ok, svc)
			}
		}
		if yt, _ := rev.Site.Service("youtube"); yt.Version != 1 || yt.Vendor != "Google Ireland Limited" {
			t.Errorf("published youtube = %+v", yt)
		}
		if rev.ID != rev.Site.Revision() || rev.ID == site.Revision() {
			t.Errorf("revision %s: want the expanded site's %s, not the draft's %s", rev.ID, rev.Site.Revision(), site.Revision())
		}
		// Read back from the database, the revision is the same document.
		again, err := s.Published(ctx, site.ID)
		if err != nil || len(again.Site.Cookies) != len(rev.Site.Cookies) || again.ID != rev.ID {
			t.Fatalf("Published = %d cookies, %v", len(again.Site.Cookies), err)
		}
		draft, err := s.Site(ctx, site.ID)
		if err != nil || len(draft.Cookies) != 1 || draft.Services[0].Version != 0 {
			t.Errorf("the draft changed on publishing: %+v, %v", draft, err)
		}
		// Publishing an unchanged draft keeps the revision.
		if same, err := s.Publish(ctx, site.ID); err != nil || same.ID != rev.ID {
			t.Errorf("publishing again: %s, %v; want %s", same.ID, err, rev.ID)
		}
		var b bytes.Buffer
		if err := charter.RenderMarkdown(&b, charter.Page{Site: again.Site, Revision: again.ID, PublishedAt: again.PublishedAt, Lang: "fr"}); err != nil {
			t.Fatal(err)
		}
		for _, w := range []string{"**YouTube**", "Google Ireland Limited (Irlande)", "`VISITOR_INFO1_LIVE`", "**Matomo (exemptée)**", "`_pk_id`", "25 mois"} {
			if !strings.Contains(b.String(), w) {
				t.Errorf("the charter of the published revision lacks %q", w)
			}
		}
	})
}

// A registry naming an unknown service, or an exempt variant in a category
// needing consent, is refused at import and changes nothing.
func TestSaveSiteRefusesServices(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		for _, tt := range []struct{ from, to, want string }{
			{"services: [youtube, matomo-exempt]", "services: [youtube, myspace]", `services[1].id: unknown service "myspace"`},
			{"exempt: true, anonymous_statistics: true", "exempt: false", "use matomo instead"},
		} {
			v, _, err := registry.Read(strings.NewReader(strings.Replace(servicesRegistry, tt.from, tt.to, 1)))
			if err != nil {
				t.Fatal(err)
			}
			site := v.Site()
			err = s.SaveSite(ctx, v)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("SaveSite with %q: err = %v, want %q", tt.to, err, tt.want)
			}
			if _, err := s.Site(ctx, site.ID); err == nil {
				t.Errorf("SaveSite with %q saved the site", tt.to)
			}
		}
	})
}

// A record deciding per service keeps its services through the database
// on both engines, hashes as it was appended, and leaves the statistics per
// category.
func TestConsentServicesStored(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		savedSite(t, s)
		a, b := record("opendata-pau", 1, "visitor-a"), record("opendata-pau", 2, "visitor-b")
		a.Services = map[string]bool{"youtube": true, "criteo": false}
		got, err := s.AppendConsents(ctx, []proof.Record{a, b})
		if err != nil {
			t.Fatal(err)
		}
		hist, err := s.ConsentHistory(ctx, "opendata-pau", "visitor-a")
		if err != nil || len(hist) != 1 {
			t.Fatalf("history: %v, %v", hist, err)
		}
		h := hist[0]
		if !reflect.DeepEqual(h.Services, a.Services) || len(h.Decisions) != 2 || h.Hash != got[0].Hash || h.ComputeHash() != h.Hash {
			t.Errorf("stored %+v, want services %v and the appended hash %s", h, a.Services, got[0].Hash)
		}
		if hb, _ := s.ConsentHistory(ctx, "opendata-pau", "visitor-b"); len(hb) != 1 || hb[0].Services != nil {
			t.Errorf("a record without services came back with %v", hb)
		}
		st, err := s.ConsentStats(ctx, "opendata-pau", t0.Add(-time.Hour), t0.Add(time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		if len(st.Categories) != 2 {
			t.Errorf("statistics categories %+v, want statistics and marketing", st.Categories)
		}
		for _, c := range st.Categories {
			if strings.HasPrefix(c.Category, "service:") || c.Category == "youtube" {
				t.Errorf("statistics count a service as a category: %+v", st.Categories)
			}
		}
	})
}
