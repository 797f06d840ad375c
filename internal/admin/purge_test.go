package admin_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/charte/charte/internal/proof"
	"github.com/charte/charte/internal/store"
	"github.com/charte/charte/internal/store/storetest"
)

// After a retention purge the back office and the API verify the chain from
// its anchor and say so, in French and English.
func TestPurgedSiteVerifiesFromItsAnchor(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, st store.Store) {
		e := newEnv(t, st) // demo: record 1, an hour ago
		now := time.Now().UTC()
		var choices []choice
		for i := range 5 { // records 2 to 6, old enough to go
			choices = append(choices, choice{now.Add(time.Duration(i-50) * time.Minute), proof.AcceptAll, true})
		}
		for i := range 3 { // records 7 to 9, kept
			choices = append(choices, choice{now.Add(time.Duration(i-10) * time.Minute), proof.RejectAll, false})
		}
		addChoices(t, st, "demo", choices)
		res, err := st.PurgeConsents(context.Background(), "demo", now.Add(-30*time.Minute))
		if err != nil || res.Deleted != 6 {
			t.Fatalf("purge: %+v, %v; want 6 records deleted", res, err)
		}
		viewer := e.signedIn("viewer@example.org")
		tests := []struct {
			lang, path string
			status     int
			want       []string
		}{
			{"en", "/admin/sites/demo/verify", 200, []string{"6 records purged (retention) on", "chain verified from record 7, which follows the purge anchor",
				"The chain holds: 3 records verified"}},
			{"fr", "/admin/sites/demo/verify", 200, []string{"6 enregistrements purgés (durée de conservation) le", "enregistrement 7, qui suit",
				"La chaîne est intacte : 3 enregistrements vérifiés"}},
			{"en", "/admin/sites/demo/consents/7", 200, []string{"This record is intact and linked to its neighbours.",
				"The 6 records before this one were purged (retention) on", "purge anchor (#6, hash " + res.Anchor.Hash}},
			{"fr", "/admin/sites/demo/consents/7", 200, []string{"Les 6 enregistrements précédents ont été purgés"}},
			{"en", "/admin/sites/demo/consents/3", 404, []string{"Record 3 was purged (retention) on " + now.Format("2006-01-02")}},
			{"fr", "/admin/sites/demo/consents/6", 404, []string{"6 a été purgé (durée de conservation) le"}},
			{"en", "/api/v1/sites/demo/verify", 200, []string{`"ok": true`, `"count": 3`, `"from": 7`, `"seq": 6`, `"hash": "` + res.Anchor.Hash}},
			{"en", "/api/v1/sites/demo/records/7", 200, []string{`"prev_ok": true`, `"follows_anchor": true`}},
		}
		for _, tt := range tests {
			viewer.lang = tt.lang
			r := viewer.get(tt.path)
			for _, w := range tt.want {
				if r.status != tt.status || !strings.Contains(r.body, w) {
					t.Errorf("%s %s: %d, want %d with %q:\n%s", tt.lang, tt.path, r.status, tt.status, w, r.body)
				}
			}
		}
	})
}
