package admin_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/charte/charte/internal/proof"
	"github.com/charte/charte/internal/store"
	"github.com/charte/charte/internal/store/storetest"
)

func TestConsentLogPagesAndRecordDetail(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, st store.Store) {
		e := newEnv(t, st)
		now := time.Now().UTC()
		var more []choice
		for i := range 120 {
			action := proof.RejectAll
			if i%3 == 0 {
				action = proof.AcceptAll
			}
			more = append(more, choice{now.Add(time.Duration(i-200) * time.Second), action, action == proof.AcceptAll})
		}
		addChoices(t, st, "demo", more) // seq 2..121
		viewer := e.signedIn("viewer@example.org")
		viewer.lang = "en"

		// Keyset pages: 50 records, then the next 50 from the last seq.
		first := viewer.get("/admin/sites/demo/consents")
		if !strings.Contains(first.body, `href="/admin/sites/demo/consents/50"`) || strings.Contains(first.body, `consents/51"`) {
			t.Errorf("the first page is not records 1 to 50")
		}
		if !strings.Contains(first.body, "after=50") {
			t.Fatalf("no next-page link after record 50")
		}
		third := viewer.get("/admin/sites/demo/consents?after=100")
		if !strings.Contains(third.body, `consents/101"`) || !strings.Contains(third.body, `consents/121"`) || strings.Contains(third.body, "Next page") {
			t.Errorf("the last page is not records 101 to 121 without a next link")
		}
		filtered := viewer.get("/admin/sites/demo/consents?action=accept_all")
		if strings.Count(filtered.body, `<td>accept_all</td>`) != 41 || strings.Contains(filtered.body, "<td>reject_all</td>") {
			t.Errorf("the accept_all filter shows %d accept_all rows, want 41 (1 seeded + 40)", strings.Count(filtered.body, `<td>accept_all</td>`))
		}

		for _, tt := range []struct {
			path   string
			status int
			want   []string
		}{
			{"/admin/sites/demo/consents/1", 200, []string{"Record #1", "This record is intact and linked to its neighbours.", "visitor-of-demo", `href="2" rel="next"`}},
			{"/admin/sites/demo/consents/121", 200, []string{"Record #121", "It is the last of the chain.", `href="120" rel="prev"`}},
			{"/admin/sites/demo/consents/122", 404, []string{"Unknown record: 122"}},
			{"/admin/sites/demo/consents/0", 404, []string{"Unknown record: 0"}},
			{"/admin/sites/demo/consents/x", 404, []string{"Unknown record: x"}},
		} {
			r := viewer.get(tt.path)
			if r.status != tt.status {
				t.Errorf("%s: %d, want %d", tt.path, r.status, tt.status)
			}
			for _, w := range tt.want {
				if !strings.Contains(r.body, w) {
					t.Errorf("%s lacks %q", tt.path, w)
				}
			}
		}
		// A record of another site, by its number, is not the viewer's.
		if r := viewer.get("/admin/sites/opendata-pau/consents/1"); r.status != http.StatusForbidden || strings.Contains(r.body, "visitor-of-opendata-pau") {
			t.Errorf("viewer of demo reads record 1 of opendata-pau: %d", r.status)
		}
		viewer.lang = "fr"
		if r := viewer.get(fmt.Sprintf("/admin/sites/demo/consents/%d", 60)); !strings.Contains(r.body, "Enregistrement n° 60") || !strings.Contains(r.body, "Cet enregistrement est intact") {
			t.Errorf("the record page in French lacks its title or status")
		}
	})
}
