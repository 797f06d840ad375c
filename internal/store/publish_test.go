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

func TestPublish(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		site := savedSite(t, s)
		if _, err := s.Published(ctx, site.ID); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("Published before any Publish: err = %v, want ErrNotFound", err)
		}

		first, err := s.Publish(ctx, site.ID)
		if err != nil {
			t.Fatalf("Publish: %v", err)
		}
		if first.ID != site.Revision() || first.SiteID != site.ID || first.PublishedAt.IsZero() {
			t.Errorf("Publish = %+v, want revision %s of %s with a date", first, site.Revision(), site.ID)
		}
		if !reflect.DeepEqual(first.Site, site) {
			t.Errorf("published snapshot differs from the draft")
		}

		again, err := s.Publish(ctx, site.ID)
		if err != nil {
			t.Fatalf("second Publish: %v", err)
		}
		if !reflect.DeepEqual(again, first) {
			t.Errorf("re-publishing an unchanged draft = %+v, want the existing %+v", again, first)
		}

		// Editing the draft leaves what visitors see alone.
		site.Cookies = site.Cookies[1:]
		if err := s.SaveSite(ctx, registry.MustCheck(site)); err != nil {
			t.Fatal(err)
		}
		if now, err := s.Published(ctx, site.ID); err != nil || !reflect.DeepEqual(now, first) {
			t.Errorf("after editing the draft, Published = %+v, %v; want %+v", now, err, first)
		}
		if list, _ := s.ListSites(ctx); len(list) != 1 || list[0].Published != first.ID {
			t.Errorf("ListSites = %+v, want published %s", list, first.ID)
		}

		second, err := s.Publish(ctx, site.ID)
		if err != nil {
			t.Fatal(err)
		}
		if second.ID == first.ID || second.ID != site.Revision() {
			t.Errorf("publishing the edited draft gave revision %s (first %s, draft %s)", second.ID, first.ID, site.Revision())
		}
		// The first revision is immutable and still readable.
		if old, err := s.Revision(ctx, site.ID, first.ID); err != nil || !reflect.DeepEqual(old, first) {
			t.Errorf("Revision(first) = %+v, %v; want %+v", old, err, first)
		}
		if now, err := s.Published(ctx, site.ID); err != nil || now.ID != second.ID {
			t.Errorf("Published = %+v, %v; want %s", now, err, second.ID)
		}
		// A draft reverted to the first revision publishes it again, with
		// its original document and date.
		if err := s.SaveSite(ctx, registry.MustCheck(first.Site)); err != nil {
			t.Fatal(err)
		}
		reverted, err := s.Publish(ctx, site.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(reverted, first) {
			t.Errorf("publishing a reverted draft = %+v, want the first revision %+v", reverted, first)
		}
		if now, err := s.Published(ctx, site.ID); err != nil || now.ID != first.ID {
			t.Errorf("Published after the revert = %+v, %v; want %s", now, err, first.ID)
		}
	})
}

func TestPublishErrors(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		if _, err := s.Publish(ctx, "nowhere"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("Publish(nowhere): err = %v, want ErrNotFound", err)
		}
		site := savedSite(t, s)
		if _, err := s.Revision(ctx, site.ID, "ffffffffffffffff"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("Revision(unknown): err = %v, want ErrNotFound", err)
		}
		if _, err := s.Published(ctx, "nowhere"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("Published(nowhere): err = %v, want ErrNotFound", err)
		}
	})
}
