package admin_test

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/charte/charte/internal/proof"
	"github.com/charte/charte/internal/store"
	"github.com/charte/charte/internal/store/storetest"
)

// addChoices appends choices to a site at the given times, each with the
// action and statistics decision given.
func addChoices(t *testing.T, st store.Store, site string, choices []choice) {
	t.Helper()
	ctx := context.Background()
	rev, err := st.Published(ctx, site)
	if err != nil {
		t.Fatal(err)
	}
	var recs []proof.Record
	for i, c := range choices {
		recs = append(recs, proof.Record{ID: fmt.Sprintf("extra-%s-%d", site, i), SiteID: site, ConsentID: fmt.Sprintf("v%d", i),
			Time: c.at, Action: c.action, Decisions: map[string]bool{"statistics": c.stats}, Revision: rev.ID,
			Language: "fr", Page: "/", IP: "192.0.2.0", GPC: c.action == proof.GPC})
	}
	if _, err := st.AppendConsents(ctx, recs); err != nil {
		t.Fatal(err)
	}
}

type choice struct {
	at     time.Time
	action string
	stats  bool
}

// cells returns the text of the cells of the table row whose header is day.
func cells(body, day string) string {
	m := regexp.MustCompile(`<tr><th scope="row">` + regexp.QuoteMeta(day) + `</th>((?:<td>[^<]*</td>)+)</tr>`).FindStringSubmatch(body)
	if m == nil {
		return ""
	}
	return strings.NewReplacer("<td>", "", "</td>", " ").Replace(m[1])
}

func TestStatisticsPage(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, st store.Store) {
		e := newEnv(t, st)
		now := time.Now().UTC()
		today := now.Format(time.DateOnly)
		// newEnv already put one accept_all granting statistics an hour ago.
		addChoices(t, st, "demo", []choice{
			{now.Add(-time.Minute), proof.RejectAll, false},
			{now.Add(-time.Minute), proof.Custom, true},
			{now.Add(-time.Minute), proof.GPC, false},
			{now.AddDate(0, 0, -40), proof.AcceptAll, true}, // in 90 days, not in 30
		})
		if now.Hour() == 0 {
			// The seeded choice of an hour ago fell yesterday: count it there.
			today = ""
		}
		viewer := e.signedIn("viewer@example.org")
		tests := []struct {
			name, query, lang string
			status            int
			want              []string
		}{
			{"30 days in French", "", "fr", 200, []string{
				"Les affichages du bandeau ne sont pas comptés",
				"<svg", `role="img"`, `class="bar-reject_all"`,
				"4 choix enregistrés", // the one of 40 days ago is not in 30 days
				"Tout refuser", "Taux d&#39;acceptation par catégorie",
			}},
			{"90 days in English", "?days=90", "en", 200, []string{
				"Banner displays are not counted", "Opt-in rate per category", "90 days",
			}},
			{"a period the page does not offer", "?days=7", "en", 400, []string{"Invalid period: 30 or 90 days."}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				viewer.lang = tt.lang
				r := viewer.get("/admin/sites/demo/stats" + tt.query)
				if r.status != tt.status {
					t.Fatalf("status %d, want %d: %s", r.status, tt.status, r.body)
				}
				for _, w := range tt.want {
					if !strings.Contains(r.body, w) {
						t.Errorf("the page lacks %q", w)
					}
				}
				if strings.Contains(r.body, "style=") || strings.Contains(r.body, "<script>") {
					t.Errorf("inline style or script: the CSP would block it")
				}
			})
		}
		viewer.lang = "en"
		r := viewer.get("/admin/sites/demo/stats")
		// Counted from the figures above: 4 choices today, opt-in on
		// statistics for accept_all and custom, 2 of 4.
		if today != "" {
			if got := cells(r.body, today); got != "4 1 1 1 1 0 " {
				t.Errorf("today's row: %q, want choices, accept all, reject all, custom, GPC, withdraw = 4 1 1 1 1 0", got)
			}
		}
		if !strings.Contains(r.body, "<td>4</td><td>2</td><td>50.0 %</td>") {
			t.Errorf("statistics opt-in rate over 30 days is not 2 of 4 (50.0 %%):\n%s", r.body)
		}
		r = viewer.get("/admin/sites/demo/stats?days=90")
		if !strings.Contains(r.body, "<td>5</td><td>3</td><td>60.0 %</td>") {
			t.Errorf("statistics opt-in rate over 90 days is not 3 of 5 (60.0 %%)")
		}
		if n := strings.Count(r.body, `<tr><th scope="row">20`); n != 90 {
			t.Errorf("the 90-day table has %d day rows", n)
		}
		// The dashboard's 30-day rate comes from the same counts: demo has
		// 4 choices, 2 accepting something.
		if r := viewer.get("/admin/"); !strings.Contains(r.body, "<td>4</td>\n<td>50.0 %</td>") {
			t.Errorf("dashboard does not show 4 choices at 50.0 %%:\n%s", r.body)
		}
		// Another site's choices are not the viewer's to count.
		if r := viewer.get("/admin/sites/opendata-pau/stats"); r.status != http.StatusForbidden {
			t.Errorf("viewer of demo reads opendata-pau's statistics: %d", r.status)
		}
	})
}
