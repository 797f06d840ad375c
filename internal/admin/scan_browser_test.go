package admin_test

import (
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/charte/charte/internal/store"
	"github.com/charte/charte/internal/store/storetest"
	"github.com/charte/charte/internal/testenv"
	"github.com/charte/charte/internal/web"
)

// TestScanFromBackOffice drives a real scan from the back office: an
// editor scans charte's demo page (the real web server on the same store),
// a second start while it runs is refused, the progress page reloads until
// the report is there, and the report is the scanner's.
func TestScanFromBackOffice(t *testing.T) {
	chromium := testenv.Chromium(t)
	if testing.Short() {
		t.Skip("drives Chromium; skipped with -short")
	}
	st := storetest.New(t)
	e := newEnv(t, st)
	// The demo site runs on loopback: the server's opt-in for private
	// networks lets the back office scan it.
	e.serve(web.Config{BaseURL: e.base, PasswordParams: cheap, Chromium: chromium, ScanPrivateNetworks: true})

	site := httptest.NewUnstartedServer(nil)
	site.Start()
	t.Cleanup(site.Close)
	base, _ := url.Parse(site.URL)
	w, err := web.New(web.Config{BaseURL: base}, st, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Close() })
	site.Config.Handler = w.Handler()

	editor := e.signedIn("editor@example.org")
	editor.lang = "en"
	form := url.Values{"url": {site.URL + "/sites/demo/demo"}, "pages": {"1"}}
	r := editor.post("/admin/sites/demo/scans", form)
	page := r.header.Get("Location")
	if r.status != http.StatusSeeOther || !strings.HasPrefix(page, "/admin/sites/demo/scans/") {
		t.Fatalf("start: %d %q\n%s", r.status, page, r.body)
	}
	// Chromium takes a second to start: the first scan still runs.
	if r := editor.post("/admin/sites/demo/scans", form); r.status != http.StatusConflict ||
		!strings.Contains(r.body, "Another scan is running on this server") || !strings.Contains(r.body, `href="`+page+`"`) {
		t.Errorf("second start: %d, want 409 naming the running scan\n%s", r.status, r.body)
	}

	// Follow the page as the browser would, until it stops reloading.
	deadline := time.Now().Add(3 * time.Minute)
	for {
		r = editor.get(page)
		if r.status != 200 || !strings.Contains(r.body, `http-equiv="refresh"`) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the scan still runs after 3 minutes:\n%s", r.body)
		}
		time.Sleep(500 * time.Millisecond)
	}
	if !strings.Contains(r.body, "done") || !strings.Contains(r.body, "0 high") {
		t.Fatalf("scan page once finished:\n%s", r.body)
	}
	r = editor.get(page + "/report.json")
	var rep struct {
		URL    string
		SiteID string `json:"site_id"`
		Passes []struct {
			Name    string
			Cookies []struct{ Name string }
		}
		Findings []struct{ Kind, Name string }
	}
	if err := json.Unmarshal([]byte(r.body), &rep); err != nil {
		t.Fatalf("report.json: %v\n%s", err, r.body)
	}
	if rep.SiteID != "demo" || rep.URL != form.Get("url") || len(rep.Passes) != 3 {
		t.Errorf("report of %q on %q with %d passes", rep.SiteID, rep.URL, len(rep.Passes))
	}
	var accepted []string
	for _, c := range rep.Passes[2].Cookies {
		accepted = append(accepted, c.Name)
	}
	if !strings.Contains(strings.Join(accepted, " "), "_pk_id.") {
		t.Errorf("the accept pass saw %v, want Matomo's _pk_id.*", accepted)
	}
	for _, f := range rep.Findings {
		if f.Kind == "preconsent" {
			t.Errorf("preconsent finding on the demo page: %s", f.Name)
		}
	}
	if list, err := st.ListScans(t.Context(), "demo", 10); err != nil || len(list) != 1 || list[0].Status != store.ScanDone || list[0].StartedBy != "editor@example.org" {
		t.Errorf("stored scans: %+v, %v; want one, done, by the editor", list, err)
	}
}
