package admin_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/charte/charte/internal/scan"
	"github.com/charte/charte/internal/store"
	"github.com/charte/charte/internal/store/storetest"
)

// TestServicesPage: an editor finds a service by search and adds it in a
// click, adds one the last scan recognised, is told why a service cannot be
// added, and removes one; a viewer sees the list but cannot change it.
func TestServicesPage(t *testing.T) {
	st := storetest.New(t)
	e := newEnv(t, st)
	ctx := context.Background()
	// A finished scan that recognised Dailymotion and YouTube.
	rep, _ := json.Marshal(scan.Report{Version: scan.ReportVersion, URL: "https://demo.example/", Passes: []scan.Pass{{Name: scan.PassArrival,
		Services: []scan.DetectedService{{ID: "dailymotion", URL: "https://www.dailymotion.com/embed/video/x1", Host: "www.dailymotion.com", Requests: 1}, {ID: "youtube", URL: "https://www.youtube.com/embed/x", Host: "www.youtube.com", Requests: 2}}}}})
	sc, err := st.CreateScan(ctx, store.Scan{SiteID: "demo", URL: "https://demo.example/", StartedBy: "editor@example.org", StartedAt: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	if err := st.FinishScan(ctx, sc.ID, store.ScanDone, time.Now(), rep, ""); err != nil {
		t.Fatal(err)
	}

	ed := e.signedIn("editor@example.org")
	page := ed.get("/admin/sites/demo/services?q=vim")
	for _, want := range []string{"Services du brouillon", "Aucun service pour l&#39;instant.", "1 service trouvé", "Vimeo <code>vimeo</code>",
		`aria-label="Ajouter Vimeo"`, "Reconnus par la dernière analyse", "Dailymotion <code>dailymotion</code>", "Dailymotion SA (France)"} {
		if !strings.Contains(page.body, want) {
			t.Errorf("services page lacks %q", want)
		}
	}
	tests := []struct {
		id     string
		status int
		want   string // in the page that follows
	}{
		{"vimeo", http.StatusSeeOther, ""},
		{"dailymotion", http.StatusSeeOther, ""},
		// The demo declares YouTube's cookies by hand: the recipe would
		// declare them twice.
		{"youtube", http.StatusUnprocessableEntity, "VISITOR_INFO1_LIVE"},
		// OpenStreetMap files itself under preferences, which the demo lacks.
		{"openstreetmap", http.StatusUnprocessableEntity, "preferences"},
		{"myspace", http.StatusNotFound, "myspace"},
	}
	for _, tt := range tests {
		r := ed.post("/admin/sites/demo/services", url.Values{"id": {tt.id}})
		if r.status != tt.status || !strings.Contains(r.body, tt.want) {
			t.Errorf("add %s: %d, want %d with %q:\n%.600s", tt.id, r.status, tt.status, tt.want, r.body)
		}
	}
	draft, err := st.Site(ctx, "demo")
	if err != nil {
		t.Fatal(err)
	}
	if len(draft.Services) != 2 || draft.Services[0].ID != "vimeo" || draft.Services[1].ID != "dailymotion" {
		t.Fatalf("draft services %+v, want vimeo and dailymotion", draft.Services)
	}
	page = ed.get("/admin/sites/demo/services")
	if !strings.Contains(page.body, "Vimeo <code>vimeo</code>") || strings.Contains(page.body, "Reconnus par la dernière analyse") && strings.Contains(page.body, `value="dailymotion"`) {
		t.Errorf("after adding, the page does not list vimeo, or still offers dailymotion:\n%s", page.body)
	}

	viewer := e.signedIn("viewer@example.org")
	if r := viewer.get("/admin/sites/demo/services"); r.status != http.StatusOK || !strings.Contains(r.body, "Vimeo") || strings.Contains(r.body, "services/vimeo/delete") {
		t.Errorf("viewer: %d, and the page must list without offering removal", r.status)
	}
	if r := viewer.post("/admin/sites/demo/services", url.Values{"id": {"tally"}}); r.status != http.StatusForbidden {
		t.Errorf("viewer adding a service: %d, want 403", r.status)
	}

	if r := ed.post("/admin/sites/demo/services/vimeo/delete", nil); r.status != http.StatusSeeOther {
		t.Errorf("remove vimeo: %d", r.status)
	}
	if draft, _ := st.Site(ctx, "demo"); len(draft.Services) != 1 || draft.Services[0].ID != "dailymotion" {
		t.Errorf("after removing vimeo: %+v", draft.Services)
	}
	// Publishing takes the recipes: the revision holds Dailymotion's cookies.
	if r := ed.post("/admin/sites/demo/publish", nil); r.status >= 400 {
		t.Fatalf("publish: %d %.300s", r.status, r.body)
	}
	rev, err := st.Published(ctx, "demo")
	if err != nil {
		t.Fatal(err)
	}
	if sv, ok := rev.Site.Service("dailymotion"); !ok || sv.Version != 1 || sv.Vendor != "Dailymotion SA" {
		t.Errorf("published dailymotion %+v", sv)
	}
}
