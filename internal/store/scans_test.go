package store_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/charte/charte/internal/store"
	"github.com/charte/charte/internal/store/storetest"
	"github.com/charte/charte/registry"
)

func TestScans(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		sites := demoSites(t)
		for _, site := range sites[:2] {
			if err := s.SaveSite(ctx, registry.MustCheck(site)); err != nil {
				t.Fatal(err)
			}
		}
		a, b := sites[0].ID, sites[1].ID
		first, err := s.CreateScan(ctx, store.Scan{SiteID: a, URL: "https://a.example/", StartedBy: "editor@example.org"})
		if err != nil {
			t.Fatal(err)
		}
		if first.ID == 0 || first.Status != store.ScanRunning || first.StartedAt.IsZero() {
			t.Errorf("created %+v", first)
		}
		if err := s.ScanProgress(ctx, first.ID, 40, "refuse 1/3"); err != nil {
			t.Fatal(err)
		}
		got, err := s.Scan(ctx, a, first.ID)
		if err != nil || got.Progress != 40 || got.Step != "refuse 1/3" || got.Status != store.ScanRunning || !got.FinishedAt.IsZero() {
			t.Errorf("running scan: %+v, %v", got, err)
		}
		// A report of a few hundred KiB, as one with its screenshot is.
		report := []byte(`{"version":1,"screenshot":"` + strings.Repeat("A", 400<<10) + `"}`)
		at := time.Date(2026, 11, 28, 10, 0, 0, 0, time.UTC)
		if err := s.FinishScan(ctx, first.ID, store.ScanDone, at, report, ""); err != nil {
			t.Fatal(err)
		}
		failed, err := s.CreateScan(ctx, store.Scan{SiteID: a, URL: "https://a.example/x", StartedBy: "owner@example.org"})
		if err != nil {
			t.Fatal(err)
		}
		if err := s.FinishScan(ctx, failed.ID, store.ScanFailed, at, nil, "chromium not found"); err != nil {
			t.Fatal(err)
		}
		other, err := s.CreateScan(ctx, store.Scan{SiteID: b, URL: "https://b.example/", StartedBy: "owner@example.org"})
		if err != nil {
			t.Fatal(err)
		}

		tests := []struct {
			name                 string
			site                 string
			id                   int64
			status, err          string
			progress, reportSize int
		}{
			{"done keeps its report", a, first.ID, store.ScanDone, "", 100, len(report)},
			{"failed keeps its error", a, failed.ID, store.ScanFailed, "chromium not found", 0, 0},
			{"another site's scan", b, other.ID, store.ScanRunning, "", 0, 0},
		}
		for _, tt := range tests {
			got, err := s.Scan(ctx, tt.site, tt.id)
			if err != nil {
				t.Errorf("%s: %v", tt.name, err)
				continue
			}
			if got.Status != tt.status || got.Error != tt.err || got.Progress != tt.progress || len(got.Report) != tt.reportSize {
				t.Errorf("%s: status %q error %q progress %d report %d bytes; want %q %q %d %d",
					tt.name, got.Status, got.Error, got.Progress, len(got.Report), tt.status, tt.err, tt.progress, tt.reportSize)
			}
			if tt.status != store.ScanRunning && !got.FinishedAt.Equal(at) {
				t.Errorf("%s: finished at %v, want %v", tt.name, got.FinishedAt, at)
			}
		}

		// A scan is reached only through its own site.
		if _, err := s.Scan(ctx, b, first.ID); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("scan of %s through %s: %v, want ErrNotFound", a, b, err)
		}
		// Finished once: a late progress or a second finish changes nothing.
		if err := s.FinishScan(ctx, first.ID, store.ScanFailed, at, nil, "late"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("finishing twice: %v, want ErrNotFound", err)
		}
		if err := s.ScanProgress(ctx, first.ID, 10, "arrival 1/3"); err != nil {
			t.Fatal(err)
		}
		if got, _ := s.Scan(ctx, a, first.ID); got.Status != store.ScanDone || got.Progress != 100 || got.Error != "" {
			t.Errorf("a finished scan changed: %+v", got)
		}
		if err := s.FinishScan(ctx, other.ID, "paused", at, nil, ""); err == nil {
			t.Errorf("an unknown status was accepted")
		}
		if _, err := s.CreateScan(ctx, store.Scan{SiteID: "nope", URL: "https://x/", StartedBy: "x"}); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("scan of an unknown site: %v, want ErrNotFound", err)
		}

		list, err := s.ListScans(ctx, a, 10)
		if err != nil || len(list) != 2 || list[0].ID != failed.ID || list[1].ID != first.ID || list[1].Report != nil {
			t.Errorf("ListScans(%s): %+v, %v; want the failed then the done scan, no report", a, list, err)
		}
		if list, _ := s.ListScans(ctx, a, 1); len(list) != 1 {
			t.Errorf("ListScans limit 1: %d scans", len(list))
		}
	})
}
