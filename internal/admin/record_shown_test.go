package admin_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"testing"
	"time"

	"github.com/charte/charte/internal/store"
	"github.com/charte/charte/internal/store/storetest"
)

// TestRecordPageLinksWhatWasShown: the record page links the revision's
// snapshot and the banner scripts escrowed in the record's language,
// marking the one most recently first served before the choice.
func TestRecordPageLinksWhatWasShown(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, st store.Store) {
		e := newEnv(t, st)
		ctx := context.Background()
		rev, err := st.Published(ctx, "demo")
		if err != nil {
			t.Fatal(err)
		}
		recs, err := st.ConsentHistory(ctx, "demo", "visitor-of-demo")
		if err != nil || len(recs) != 1 {
			t.Fatalf("seeded record: %v, %v", recs, err)
		}
		at := recs[0].Time // a French choice, an hour ago
		escrow := func(lang, version, script string, served time.Time) string {
			t.Helper()
			if _, err := st.EscrowBanner(ctx, store.EscrowedBanner{SiteID: "demo", Revision: rev.ID, Lang: lang,
				Version: version, FirstServed: served, Script: []byte(script)}); err != nil {
				t.Fatal(err)
			}
			sum := sha256.Sum256([]byte(script))
			return hex.EncodeToString(sum[:])
		}
		older := escrow("fr", "v1.0.0", "/* v1 fr */", at.Add(-48*time.Hour))
		before := escrow("fr", "v1.1.0", "/* v1.1 fr */", at.Add(-time.Minute))
		after := escrow("fr", "v1.2.0", "/* v1.2 fr */", at.Add(time.Minute))
		english := escrow("en", "v1.1.0", "/* v1.1 en */", at.Add(-time.Minute))
		snapshot := "/api/v1/sites/demo/revisions/" + rev.ID

		viewer := e.signedIn("viewer@example.org")
		owner := e.signedIn("owner@example.org")
		tests := []struct {
			name, lang, path string
			who              *browser
			want, absent     []string
		}{
			{"en", "en", "/admin/sites/demo/consents/1", viewer, []string{
				"What was shown", `href="` + snapshot + `"`, "Snapshot of the published revision",
				`href="` + snapshot + `/banners/` + older + `.js" download`,
				`href="` + snapshot + `/banners/` + after + `.js" download`,
				before + `</code> — charte v1.1.0 — first served on ` + at.Add(-time.Minute).UTC().Format("2006-01-02 15:04:05") + ` UTC — <strong>the latest served before this choice</strong>`,
			}, []string{english, after + "</code> — charte v1.2.0 — first served on " + at.Add(time.Minute).UTC().Format("2006-01-02 15:04:05") + " UTC — <strong>"}},
			{"fr", "fr", "/admin/sites/demo/consents/1", viewer, []string{
				"Ce qui a été montré", "Instantané de la révision publiée", "Script du bandeau tel que servi (fr)",
				before + `</code> — charte v1.1.0 — servi pour la première fois le`, "le plus récent servi avant ce choix",
			}, nil},
			{"nothing escrowed", "en", "/admin/sites/opendata-pau/consents/1", owner, []string{
				"No banner script is kept for this revision in this language",
			}, []string{"/banners/"}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				tt.who.lang = tt.lang
				r := tt.who.get(tt.path)
				if r.status != 200 {
					t.Fatalf("%s: %d", tt.path, r.status)
				}
				for _, w := range tt.want {
					if !strings.Contains(r.body, w) {
						t.Errorf("the page lacks %q", w)
					}
				}
				for _, a := range tt.absent {
					if strings.Contains(r.body, a) {
						t.Errorf("the page shows %q", a)
					}
				}
			})
		}
	})
}
