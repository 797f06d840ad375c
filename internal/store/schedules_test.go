package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/charte/charte/internal/store"
	"github.com/charte/charte/internal/store/storetest"
)

func TestScanSchedules(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		site := savedSite(t, s).ID
		now := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
		if _, err := s.ScanSchedule(ctx, site); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("schedule of a site without one: %v, want ErrNotFound", err)
		}
		if err := s.SaveScanSchedule(ctx, store.ScanSchedule{SiteID: "nowhere", Frequency: store.Daily, URL: "https://x.example", Pages: 1, NextAt: now}); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("schedule of an unknown site: %v, want ErrNotFound", err)
		}
		sched := store.ScanSchedule{SiteID: site, Frequency: store.Weekly, URL: "https://opendata.pau.fr/", Pages: 5, NextAt: now.Add(time.Hour)}
		if err := s.SaveScanSchedule(ctx, sched); err != nil {
			t.Fatal(err)
		}
		if got, err := s.ScanSchedule(ctx, site); err != nil || got != sched {
			t.Fatalf("schedule: %+v %v, want %+v", got, err, sched)
		}
		for _, tt := range []struct {
			at   time.Time
			want int
		}{{now, 0}, {now.Add(time.Hour), 1}, {now.Add(2 * time.Hour), 1}} {
			due, err := s.DueScanSchedules(ctx, tt.at, 10)
			if err != nil || len(due) != tt.want {
				t.Errorf("due at %v: %d %v, want %d", tt.at, len(due), err, tt.want)
			}
		}
		// Two nodes claim the same due schedule: one wins.
		next := sched.NextAt.Add(7 * 24 * time.Hour)
		if ok, err := s.ClaimScanSchedule(ctx, sched, next); err != nil || !ok {
			t.Fatalf("first claim: %v %v", ok, err)
		}
		if ok, err := s.ClaimScanSchedule(ctx, sched, next); err != nil || ok {
			t.Fatalf("second claim of the same run: %v %v, want false", ok, err)
		}
		if due, _ := s.DueScanSchedules(ctx, now.Add(2*time.Hour), 10); len(due) != 0 {
			t.Errorf("still due after the claim: %v", due)
		}

		scan, err := s.CreateScan(ctx, store.Scan{SiteID: site, URL: sched.URL, StartedBy: "schedule"})
		if err != nil {
			t.Fatal(err)
		}
		a, err := s.CreateAlert(ctx, store.Alert{SiteID: site, ScanID: scan.ID, Changes: []byte(`{"undeclared":["_ga"]}`)})
		if err != nil || a.ID == 0 {
			t.Fatalf("create alert: %+v %v", a, err)
		}
		if _, err := s.CreateAlert(ctx, store.Alert{SiteID: site, ScanID: scan.ID, Changes: []byte(`{}`)}); !errors.Is(err, store.ErrAlertExists) {
			t.Errorf("second alert of one scan: %v, want ErrAlertExists", err)
		}
		for _, of := range []string{site, ""} {
			list, err := s.ListAlerts(ctx, of, 10)
			if err != nil || len(list) != 1 || string(list[0].Changes) != `{"undeclared":["_ga"]}` || list[0].ScanID != scan.ID {
				t.Errorf("alerts of %q: %+v %v", of, list, err)
			}
		}
		if list, _ := s.ListAlerts(ctx, "other", 10); len(list) != 0 {
			t.Errorf("alerts of another site: %+v", list)
		}
		if err := s.DeleteScanSchedule(ctx, site); err != nil {
			t.Fatal(err)
		}
		if _, err := s.ScanSchedule(ctx, site); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("after delete: %v", err)
		}
	})
}
