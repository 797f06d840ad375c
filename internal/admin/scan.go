package admin

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/charte/charte/internal/auth"
	"github.com/charte/charte/internal/scan"
	"github.com/charte/charte/internal/store"
)

// maxScanPages bounds what an operator may ask: each page is loaded three
// times by a browser on charte's own machine.
const maxScanPages = 100

// scanRow is a scan as the pages show it.
type scanRow struct {
	store.Scan
	State    string // running, done, failed or interrupted
	Label    string // State in the page's language
	Progress string // "Pass 2 of 3 — …", while running
	Findings map[string]int
	Summary  string
}

type scansData struct {
	URL, Pages       string
	NoChromium       bool
	Busy             *scanRow // a scan of this site already running
	Scans            []scanRow
	Scan             *scanRow
	Refresh, Reports bool
	Schedule         *scheduleView // schedule_http.go
	Alerts           []alertView
}

func (a *Admin) row(s store.Scan, lang string) scanRow {
	row := scanRow{Scan: s, State: s.Status}
	// Its server stopped mid-scan: nothing will ever finish it.
	if s.Status == store.ScanRunning && time.Since(s.StartedAt) > a.scans.maxDuration()+time.Minute {
		row.State = "interrupted"
	}
	row.Label = msg(lang, "scan."+row.State)
	if row.State == store.ScanRunning {
		row.Progress = msg(lang, "scan.waiting")
		if pass, count, ok := strings.Cut(s.Step, " "); ok {
			i := 1
			for n, p := range scan.Passes {
				if p == pass {
					i = n + 1
				}
			}
			row.Progress = msg(lang, "scan.progress", "Pass", i, "Name", scan.T(lang, "pass-"+pass), "Pages", count)
		}
	}
	return row
}

// scansPage lists a site's scans and, to those who may edit the site, the
// form that starts one.
func (a *Admin) ScansPage(w http.ResponseWriter, r *http.Request) error {
	p, err := a.sitePage(w, r, "nav.scans")
	if err != nil {
		return err
	}
	d := &scansData{URL: p.Site.URL, Pages: "20"}
	return a.renderScans(w, r, p, d, http.StatusOK)
}

func (a *Admin) renderScans(w http.ResponseWriter, r *http.Request, p *page, d *scansData, status int) error {
	p.Title = msg(p.Lang, "scan.title")
	if _, err := a.scans.browser(); err != nil {
		d.NoChromium = true
	}
	list, err := a.st.ListScans(r.Context(), p.Site.ID, 20)
	if err != nil {
		return err
	}
	if err := a.scheduleAndAlerts(r, p.Site.ID, p.Lang, d); err != nil {
		return err
	}
	for _, s := range list {
		d.Scans = append(d.Scans, a.row(s, p.Lang))
	}
	p.Data = d
	return a.renderStatus(w, "scans", status, p)
}

// startScan checks the form, then hands the scan to the runner and sends
// the operator to its progress page. The registry checked is the one
// visitors see, or the draft of a site never published.
func (a *Admin) StartScan(w http.ResponseWriter, r *http.Request) error {
	p, err := a.sitePage(w, r, "nav.scans")
	if err != nil {
		return err
	}
	d := &scansData{URL: strings.TrimSpace(r.PostFormValue("url")), Pages: strings.TrimSpace(r.PostFormValue("pages"))}
	if d.URL == "" {
		d.URL = p.Site.URL
	}
	if d.Pages == "" {
		d.Pages = "20"
	}
	fail := func(status int, msg string) error {
		p.Message = msg
		return a.renderScans(w, r, p, d, status)
	}
	u, err := url.Parse(d.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fail(http.StatusBadRequest, msg(p.Lang, "scan.bad_url", "URL", strconv.Quote(d.URL)))
	}
	pages, err := strconv.Atoi(d.Pages)
	if err != nil || pages < 1 || pages > maxScanPages {
		return fail(http.StatusBadRequest, msg(p.Lang, "scan.bad_pages", "Max", maxScanPages))
	}
	if _, err := a.scans.browser(); err != nil {
		return fail(http.StatusServiceUnavailable, msg(p.Lang, "scan.no_chromium"))
	}
	// A name that does not resolve is left to the scan, which reports it;
	// an address the policy refuses is refused here, before anything runs.
	if err := a.scans.checkURL(r.Context(), u.String()); errors.Is(err, scan.ErrPrivateAddress) {
		a.log.Warn("scan refused: private address", "site", p.Site.ID, "url", u.String(), "err", err)
		return fail(http.StatusBadRequest, msg(p.Lang, "scan.private_url", "URL", strconv.Quote(d.URL)))
	}
	site := p.Site
	if rev, err := a.st.Published(r.Context(), site.ID); err == nil {
		site = rev.Site
	} else if !errors.Is(err, store.ErrNotFound) {
		return err
	}
	id, _ := auth.FromContext(r.Context())
	s, err := a.scans.start(r.Context(), store.Scan{SiteID: p.Site.ID, URL: u.String(), StartedBy: id.User.Email}, site, pages)
	var busy errBusy
	if errors.As(err, &busy) {
		// Which scan runs is said only when it is of this site: another
		// site's scan is not this operator's business.
		if other, err := a.st.Scan(r.Context(), p.Site.ID, busy.id); err == nil {
			row := a.row(other, p.Lang)
			d.Busy = &row
		}
		if busy.elsewhere {
			return fail(http.StatusConflict, msg(p.Lang, "scan.busy_node"))
		}
		return fail(http.StatusConflict, msg(p.Lang, "scan.busy"))
	}
	if err != nil {
		return err
	}
	a.audit(r, p.Site.ID, "scan.start", map[string]any{"scan": s.ID, "url": s.URL, "pages": pages})
	http.Redirect(w, r, sitePath(r, fmt.Sprintf("scans/%d", s.ID)), http.StatusSeeOther)
	return nil
}

// siteScan loads the URL's scan through the URL's site, so an id of
// another site's scan is not found, whatever the operator may see.
func (a *Admin) siteScan(r *http.Request) (store.Scan, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return store.Scan{}, errorf(http.StatusNotFound, "error.notfound")
	}
	return a.st.Scan(r.Context(), r.PathValue("site"), id)
}

// scanPage follows a running scan, reloading itself, and shows the report
// of a finished one.
func (a *Admin) ScanPage(w http.ResponseWriter, r *http.Request) error {
	p, err := a.sitePage(w, r, "nav.scans")
	if err != nil {
		return err
	}
	s, err := a.siteScan(r)
	if err != nil {
		return err
	}
	row := a.row(s, p.Lang)
	d := &scansData{Scan: &row, Refresh: row.State == store.ScanRunning}
	if row.State == store.ScanDone {
		rep, err := decodeReport(s)
		if err != nil {
			return err
		}
		n := map[string]int{}
		for _, f := range rep.Findings {
			n[f.Severity]++
		}
		row.Summary = msg(p.Lang, "scan.summary", "High", n[scan.SeverityHigh], "Medium", n[scan.SeverityMedium], "Info", n[scan.SeverityInfo])
		d.Reports = true
	}
	p.Title = msg(p.Lang, "scan.title_one", "ID", s.ID)
	p.Data = d
	return a.render(w, "scan", p)
}

func decodeReport(s store.Scan) (*scan.Report, error) {
	var rep scan.Report
	if err := json.Unmarshal(s.Report, &rep); err != nil {
		return nil, fmt.Errorf("scan %d: stored report: %w", s.ID, err)
	}
	return &rep, nil
}
