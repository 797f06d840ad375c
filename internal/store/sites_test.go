package store_test

import (
	"context"
	"errors"
	"reflect"
	"testing"

	"github.com/charte/charte/internal/store"
	"github.com/charte/charte/internal/store/storetest"
	"github.com/charte/charte/registry"
)

func TestSiteRoundTrip(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		sites := demoSites(t)
		for _, site := range sites {
			if err := s.SaveSite(ctx, registry.MustCheck(site)); err != nil {
				t.Fatalf("SaveSite(%s): %v", site.ID, err)
			}
		}
		for _, want := range sites {
			got, err := s.Site(ctx, want.ID)
			if err != nil {
				t.Fatalf("Site(%s): %v", want.ID, err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("Site(%s) came back different:\n got %+v\nwant %+v", want.ID, got, want)
			}
		}

		list, err := s.ListSites(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != len(sites) {
			t.Fatalf("ListSites = %d sites, want %d", len(list), len(sites))
		}
		for i := 1; i < len(list); i++ {
			if list[i-1].ID >= list[i].ID {
				t.Errorf("ListSites not ordered by id: %s before %s", list[i-1].ID, list[i].ID)
			}
		}
		for _, l := range list {
			if l.Name == "" || l.Published != "" || l.UpdatedAt.IsZero() {
				t.Errorf("ListSites line %+v: want a name, no published revision, an update time", l)
			}
		}

		// Saving again replaces the draft.
		changed := sites[0]
		changed.Name = "Renamed portal"
		if err := s.SaveSite(ctx, registry.MustCheck(changed)); err != nil {
			t.Fatal(err)
		}
		if got, err := s.Site(ctx, changed.ID); err != nil || got.Name != "Renamed portal" {
			t.Errorf("after a second SaveSite, Site = %v, %v", got, err)
		}
		if list, _ := s.ListSites(ctx); len(list) != len(sites) {
			t.Errorf("a second SaveSite of the same id made %d sites", len(list))
		}

		if err := s.DeleteSite(ctx, changed.ID); err != nil {
			t.Fatalf("DeleteSite: %v", err)
		}
		if _, err := s.Site(ctx, changed.ID); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("Site after DeleteSite: err = %v, want ErrNotFound", err)
		}
		if list, _ := s.ListSites(ctx); len(list) != len(sites)-1 {
			t.Errorf("ListSites after DeleteSite = %d sites, want %d", len(list), len(sites)-1)
		}
	})
}

func TestSiteErrors(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		if _, err := s.Site(ctx, "nowhere"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("Site(nowhere): err = %v, want ErrNotFound", err)
		}
		if err := s.DeleteSite(ctx, "nowhere"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("DeleteSite(nowhere): err = %v, want ErrNotFound", err)
		}
		if err := s.SaveSite(ctx, registry.Valid{}); err == nil {
			t.Error("SaveSite accepted a registry nothing checked")
		}
		if list, err := s.ListSites(ctx); err != nil || len(list) != 0 {
			t.Errorf("refused saves stored something: %v, %v", list, err)
		}
	})
}

// Proof outlives registry operations: a site with consents cannot be deleted.
func TestDeleteSiteKeepsProof(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		site := savedSite(t, s)
		if _, err := s.Publish(ctx, site.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := s.AppendConsents(ctx, records(site.ID, 1, 3)); err != nil {
			t.Fatal(err)
		}
		err := s.DeleteSite(ctx, site.ID)
		if !errors.Is(err, store.ErrSiteHasConsents) {
			t.Fatalf("DeleteSite of a site with consents: err = %v, want ErrSiteHasConsents", err)
		}
		if _, err := s.Site(ctx, site.ID); err != nil {
			t.Errorf("the refused delete removed the site: %v", err)
		}
		if _, err := s.Published(ctx, site.ID); err != nil {
			t.Errorf("the refused delete removed the published revision: %v", err)
		}
		if n := len(allConsents(t, s, site.ID)); n != 3 {
			t.Errorf("after the refused delete, %d records, want 3", n)
		}
	})
}
