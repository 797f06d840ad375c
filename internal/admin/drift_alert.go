package admin

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/charte/charte/internal/drift"
	"github.com/charte/charte/internal/scan"
	"github.com/charte/charte/internal/store"
)

// alertPayload is the webhook's JSON body (docs/operations.md#alerts).
type alertPayload struct {
	ID        int64             `json:"id"`
	Site      string            `json:"site"`
	Scan      int64             `json:"scan"`
	URL       string            `json:"url"`
	CreatedAt time.Time         `json:"created_at"`
	Changes   drift.Changes     `json:"changes"`
	Report    string            `json:"report,omitempty"`
	Text      map[string]string `json:"text"` // the alert in each of the back office's languages
}

// scanDone compares a finished scheduled scan with the site's previous
// scan of the same URL and, when something changed for the worse, stores
// one alert and delivers it by every channel configured.
func (a *Admin) scanDone(s store.Scan, cur *scan.Report) {
	if s.StartedBy != ScheduleStarter {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	prev, err := a.previousReport(ctx, s)
	if err != nil {
		a.log.Warn("drift: read the previous scan", "scan", s.ID, "err", err)
		return
	}
	changes := drift.Compare(prev, cur)
	if changes.Empty() {
		return
	}
	body, err := json.Marshal(changes)
	if err != nil {
		return
	}
	al, err := a.st.CreateAlert(ctx, store.Alert{SiteID: s.SiteID, ScanID: s.ID, Changes: body})
	if errors.Is(err, store.ErrAlertExists) {
		return
	}
	if err != nil {
		a.log.Error("drift: store the alert", "scan", s.ID, "err", err)
		return
	}
	a.log.Warn("drift: the site changed", "site", s.SiteID, "scan", s.ID, "alert", al.ID)
	a.deliver(ctx, al, s, changes)
}

// previousReport is the report of the site's latest finished scan of the
// same URL before s, nil when there is none (s is then the baseline).
func (a *Admin) previousReport(ctx context.Context, s store.Scan) (*scan.Report, error) {
	list, err := a.st.ListScans(ctx, s.SiteID, 100)
	if err != nil {
		return nil, err
	}
	for _, p := range list {
		if p.ID >= s.ID || p.Status != store.ScanDone || p.URL != s.URL {
			continue
		}
		full, err := a.st.Scan(ctx, s.SiteID, p.ID)
		if err != nil {
			return nil, err
		}
		var r scan.Report
		if err := json.Unmarshal(full.Report, &r); err != nil {
			return nil, fmt.Errorf("scan %d: %w", p.ID, err)
		}
		return &r, nil
	}
	return nil, nil
}

// deliver sends an alert by webhook and e-mail; a channel that fails is
// logged, the alert stays on the dashboard.
func (a *Admin) deliver(ctx context.Context, al store.Alert, s store.Scan, c drift.Changes) {
	report := ""
	if a.cfg.BaseURL != nil {
		report = strings.TrimSuffix(a.cfg.BaseURL.String(), "/") + fmt.Sprintf("/admin/sites/%s/scans/%d", s.SiteID, s.ID)
	}
	text := map[string]string{}
	for _, lang := range officeLanguages {
		text[lang] = c.Text(lang, s.SiteID, s.URL, report)
	}
	if w := a.cfg.Webhook; w != nil {
		body, _ := json.Marshal(alertPayload{ID: al.ID, Site: s.SiteID, Scan: s.ID, URL: s.URL, CreatedAt: al.CreatedAt, Changes: c, Report: report, Text: text})
		if err := w.Send(ctx, fmt.Sprintf("alert-%d", al.ID), body); err != nil {
			a.log.Error("drift alert: webhook", "alert", al.ID, "err", err)
		}
	}
	if m := a.cfg.Mailer; m != nil {
		// The operator's language, then English for whoever else reads
		// the mailbox (French when the first is English).
		first := a.cfg.AlertLanguage
		if text[first] == "" {
			first = "fr"
		}
		second := "en"
		if first == "en" {
			second = "fr"
		}
		body := text[first] + "\n-- \n\n" + text[second]
		if err := m.Send(ctx, drift.Subject(first, s.SiteID), body); err != nil {
			a.log.Error("drift alert: e-mail", "alert", al.ID, "err", err)
		}
	}
}
