package admin

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/charte/charte/internal/drift"
	"github.com/charte/charte/internal/httpx"
	"github.com/charte/charte/internal/store"
)

// scheduleView is a site's schedule as the scans page shows it.
type scheduleView struct {
	Frequency, URL string
	Pages          int
	Next           string // "Next scan: …" in the page's language
}

// alertView is an alert as the scans page shows it.
type alertView struct {
	ID, ScanID int64
	When       string
	Lists      []drift.List
}

// scheduleAndAlerts fills the scans page's schedule form and alert list.
func (a *Admin) scheduleAndAlerts(r *http.Request, site, lang string, d *scansData) error {
	sc, err := a.st.ScanSchedule(r.Context(), site)
	switch {
	case err == nil:
		d.Schedule = &scheduleView{Frequency: sc.Frequency, URL: sc.URL, Pages: sc.Pages,
			Next: msg(lang, "scan.next_run", "When", sc.NextAt.UTC().Format("2006-01-02 15:04 UTC"))}
	case errors.Is(err, store.ErrNotFound):
		d.Schedule = &scheduleView{Frequency: "off", URL: d.URL, Pages: 20}
	default:
		return err
	}
	alerts, err := a.st.ListAlerts(r.Context(), site, 20)
	if err != nil {
		return err
	}
	for _, al := range alerts {
		var c drift.Changes
		if err := json.Unmarshal(al.Changes, &c); err != nil {
			return fmt.Errorf("alert %d: %w", al.ID, err)
		}
		v := alertView{ID: al.ID, ScanID: al.ScanID, When: msg(lang, "scan.alert_of", "When", al.CreatedAt.UTC().Format("2006-01-02 15:04 UTC"), "ID", al.ScanID),
			Lists: c.Lists(lang)}
		d.Alerts = append(d.Alerts, v)
	}
	return nil
}

// SaveSchedule saves the scans page's schedule form.
func (a *Admin) SaveSchedule(w http.ResponseWriter, r *http.Request) error {
	p, err := a.sitePage(w, r, "nav.scans")
	if err != nil {
		return err
	}
	in := scheduleInput{Frequency: r.PostFormValue("frequency"), URL: r.PostFormValue("schedule_url"), Pages: pagesOf(r.PostFormValue("schedule_pages"))}
	if _, err := a.saveSchedule(r.Context(), p.Site.ID, in); err != nil {
		var he *httpError
		if !errors.As(err, &he) {
			return err
		}
		p.Message = msg(p.Lang, he.key, he.args...)
		d := &scansData{URL: p.Site.URL, Pages: "20"}
		return a.renderScans(w, r, p, d, he.status)
	}
	a.audit(r, p.Site.ID, "scan.schedule", map[string]any{"frequency": in.Frequency, "url": in.URL, "pages": in.Pages})
	http.Redirect(w, r, sitePath(r, "scans?done=flash.schedule"), http.StatusSeeOther)
	return nil
}

// apiSchedule is a schedule in the API.
type apiSchedule struct {
	Frequency string     `json:"frequency"` // daily, weekly, monthly or off
	URL       string     `json:"url,omitempty"`
	Pages     int        `json:"pages,omitempty"`
	NextAt    *time.Time `json:"next_at,omitempty"`
}

// APISchedule answers a site's scan schedule ({"frequency": "off"} when none).
func (a *Admin) APISchedule(w http.ResponseWriter, r *http.Request) error {
	s, err := a.draft(r)
	if err != nil {
		return err
	}
	sc, err := a.st.ScanSchedule(r.Context(), s.ID)
	if errors.Is(err, store.ErrNotFound) {
		return httpx.WriteJSON(w, http.StatusOK, apiSchedule{Frequency: "off"})
	}
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, apiSchedule{Frequency: sc.Frequency, URL: sc.URL, Pages: sc.Pages, NextAt: &sc.NextAt})
}

// APIPutSchedule sets or, with frequency "off", removes a site's schedule.
func (a *Admin) APIPutSchedule(w http.ResponseWriter, r *http.Request) error {
	s, err := a.draft(r)
	if err != nil {
		return err
	}
	var in scheduleInput
	if err := readJSON(r, &in); err != nil {
		return err
	}
	sc, err := a.saveSchedule(r.Context(), s.ID, in)
	if err != nil {
		return err
	}
	a.audit(r, s.ID, "scan.schedule", map[string]any{"frequency": in.Frequency, "url": in.URL, "pages": in.Pages})
	if sc.SiteID == "" {
		return httpx.WriteJSON(w, http.StatusOK, apiSchedule{Frequency: "off"})
	}
	return httpx.WriteJSON(w, http.StatusOK, apiSchedule{Frequency: sc.Frequency, URL: sc.URL, Pages: sc.Pages, NextAt: &sc.NextAt})
}

// apiAlert is an alert in the API.
type apiAlert struct {
	ID        int64         `json:"id"`
	Scan      int64         `json:"scan"`
	CreatedAt time.Time     `json:"created_at"`
	Changes   drift.Changes `json:"changes"`
}

// APIAlerts lists a site's drift alerts, newest first.
func (a *Admin) APIAlerts(w http.ResponseWriter, r *http.Request) error {
	s, err := a.draft(r)
	if err != nil {
		return err
	}
	alerts, err := a.st.ListAlerts(r.Context(), s.ID, 100)
	if err != nil {
		return err
	}
	out := []apiAlert{}
	for _, al := range alerts {
		v := apiAlert{ID: al.ID, Scan: al.ScanID, CreatedAt: al.CreatedAt}
		if err := json.Unmarshal(al.Changes, &v.Changes); err != nil {
			return fmt.Errorf("alert %d: %w", al.ID, err)
		}
		out = append(out, v)
	}
	return httpx.WriteJSON(w, http.StatusOK, out)
}
