package admin

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/charte/charte/internal/scan"
	"github.com/charte/charte/internal/store"
)

// ScheduleStarter is who a scheduled scan is started by, in the scan list.
const ScheduleStarter = "schedule"

// frequencies are the schedules an operator may choose, with the time
// from one run to the next.
var frequencies = map[string]func(time.Time) time.Time{
	store.Daily:   func(t time.Time) time.Time { return t.AddDate(0, 0, 1) },
	store.Weekly:  func(t time.Time) time.Time { return t.AddDate(0, 0, 7) },
	store.Monthly: func(t time.Time) time.Time { return t.AddDate(0, 1, 0) },
}

// scheduleInput is a schedule as a form or the API sends it; Frequency ""
// turns the schedule off.
type scheduleInput struct {
	Frequency string `json:"frequency"`
	URL       string `json:"url"`
	Pages     int    `json:"pages"`
}

// saveSchedule checks and stores a site's schedule, the one operation the
// page and the API share. A new or changed schedule is due at once: its
// first run is the baseline later runs are compared with.
func (a *Admin) saveSchedule(ctx context.Context, site string, in scheduleInput) (store.ScanSchedule, error) {
	in.Frequency, in.URL = strings.TrimSpace(in.Frequency), strings.TrimSpace(in.URL)
	if in.Frequency == "" || in.Frequency == "off" {
		return store.ScanSchedule{}, a.st.DeleteScanSchedule(ctx, site)
	}
	if frequencies[in.Frequency] == nil {
		return store.ScanSchedule{}, &httpError{status: http.StatusBadRequest, key: "error.frequency", field: "frequency"}
	}
	u, err := url.Parse(in.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return store.ScanSchedule{}, &httpError{status: http.StatusBadRequest, key: "error.scanurl", args: []any{"URL", strconv.Quote(in.URL)}, field: "url"}
	}
	if in.Pages < 1 || in.Pages > maxScanPages {
		return store.ScanSchedule{}, &httpError{status: http.StatusBadRequest, key: "error.scanpages", args: []any{"Max", maxScanPages}, field: "pages"}
	}
	if err := a.scans.checkURL(ctx, u.String()); errors.Is(err, scan.ErrPrivateAddress) {
		return store.ScanSchedule{}, &httpError{status: http.StatusBadRequest, key: "error.scanprivate", args: []any{"URL", strconv.Quote(in.URL)}, field: "url"}
	}
	s := store.ScanSchedule{SiteID: site, Frequency: in.Frequency, URL: u.String(), Pages: in.Pages, NextAt: time.Now().UTC().Truncate(time.Second)}
	return s, a.st.SaveScanSchedule(ctx, s)
}

// runSchedules starts the due scheduled scans every tick until ctx ends.
func (a *Admin) runSchedules(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		a.startDueScans(ctx)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// startDueScans starts what is due and this node can run: the schedule is
// claimed first (one node moves its next time on), then the scan takes the
// site's lease. A scan that cannot start now (this node's scan slot or the
// site's lease is taken) is tried again in a minute.
func (a *Admin) startDueScans(ctx context.Context) {
	now := time.Now().UTC()
	due, err := a.st.DueScanSchedules(ctx, now, 10)
	if err != nil {
		if ctx.Err() == nil {
			a.log.Warn("scheduled scans: read the due ones", "err", err)
		}
		return
	}
	if len(due) == 0 {
		return
	}
	if _, err := a.scans.browser(); err != nil {
		a.log.Warn("scheduled scans are due but Chromium is missing", "err", err)
		return
	}
	for _, sc := range due {
		next := frequencies[sc.Frequency]
		if next == nil {
			continue
		}
		claimed := store.ScanSchedule{SiteID: sc.SiteID, NextAt: next(now).Truncate(time.Second)}
		if ok, err := a.st.ClaimScanSchedule(ctx, sc, claimed.NextAt); err != nil || !ok {
			continue
		}
		if err := a.startScheduled(ctx, sc); err != nil {
			a.log.Warn("scheduled scan not started: tried again in a minute", "site", sc.SiteID, "err", err)
			if _, err := a.st.ClaimScanSchedule(ctx, claimed, now.Add(time.Minute).Truncate(time.Second)); err != nil {
				a.log.Warn("scheduled scans: put back", "site", sc.SiteID, "err", err)
			}
		}
	}
}

func (a *Admin) startScheduled(ctx context.Context, sc store.ScanSchedule) error {
	if err := a.scans.checkURL(ctx, sc.URL); errors.Is(err, scan.ErrPrivateAddress) {
		return err
	}
	site, err := a.st.Site(ctx, sc.SiteID)
	if err != nil {
		return err
	}
	if rev, err := a.st.Published(ctx, sc.SiteID); err == nil {
		site = rev.Site
	} else if !errors.Is(err, store.ErrNotFound) {
		return err
	}
	s, err := a.scans.start(ctx, store.Scan{SiteID: sc.SiteID, URL: sc.URL, StartedBy: ScheduleStarter}, site, sc.Pages)
	if err != nil {
		return err
	}
	a.log.Info("scheduled scan started", "site", sc.SiteID, "scan", s.ID, "url", sc.URL)
	return nil
}

// pagesOf reads a pages field, 0 when it is not a number.
func pagesOf(v string) int {
	n, _ := strconv.Atoi(strings.TrimSpace(v))
	return n
}
