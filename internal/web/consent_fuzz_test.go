package web

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/charte/charte/internal/demo"
	"github.com/charte/charte/internal/hostile"
	"github.com/charte/charte/internal/proof"
	"github.com/charte/charte/internal/store"
)

// FuzzConsentBody feeds arbitrary bodies to the consent API's decoding and
// checks: they never panic, and whatever passes has exactly the decisions
// of the revision and a page without query string.
func FuzzConsentBody(f *testing.F) {
	sites, err := demo.Sites()
	if err != nil {
		f.Fatal(err)
	}
	rev := store.Revision{SiteID: "demo", ID: sites[1].Revision(), Site: sites[1]}
	f.Add(`{"id":"AAAAAAAAAAAAAAAAAAAAAA","consent_id":"cccccccccccccccccccccc","revision":"r","action":"custom","decisions":{"statistics":true,"marketing":false},"language":"fr","page":"/a?b=c","gpc":false}`)
	f.Add(`{"decisions":{"statistics":"yes"}}`)
	f.Add(`[[[[[[[[`)
	f.Add(`{"id":"AAAAAAAAAAAAAAAAAAAAAA","consent_id":"cccccccccccccccccccccc","action":"accept_all","decisions":{"statistics":true,"marketing":true},"language":"en","page":"//evil.example/x"}`)
	for _, c := range hostile.Texts {
		f.Add(`{"id":"AAAAAAAAAAAAAAAAAAAAAA","consent_id":"cccccccccccccccccccccc","revision":"r","action":"custom","decisions":{"statistics":true,"marketing":false},"language":"fr","page":"/a` + c.Value + `","gpc":false}`)
	}
	f.Add(`{"id":"AAAAAAAAAAAAAAAAAAAAAA","consent_id":"cccccccccccccccccccccc","revision":"r","action":"custom","decisions":{"statistics":true,"marketing":false},"language":"fr","page":"/a%00b%ff","gpc":false}`)
	f.Fuzz(func(t *testing.T, body string) {
		r := httptest.NewRequest("POST", "/api/v1/sites/demo/consents", strings.NewReader(body))
		r.Header.Set("Content-Type", "application/json")
		req, err := decodeConsent(httptest.NewRecorder(), r)
		if err != nil {
			if e, ok := err.(*Error); !ok || e.Status < 400 || e.Status >= 500 {
				t.Fatalf("decode error %v is not a 4xx", err)
			}
			return
		}
		rec := proof.Record{ID: req.ID, SiteID: "demo", ConsentID: req.ConsentID, Action: req.Action, Revision: req.Revision,
			Language: req.Language, Page: req.Page, Decisions: req.Decisions}
		if err := proof.CheckConsent(&rec, rev.Site); err != nil {
			if e, ok := fieldError(err).(*Error); !ok || e.Status != http.StatusUnprocessableEntity || e.Field == "" {
				t.Fatalf("check error %v is not a 422 naming a field", err)
			}
			return
		}
		if len(rec.Decisions) != 2 || strings.ContainsAny(rec.Page, "?#") || !strings.HasPrefix(rec.Page, "/") || strings.HasPrefix(rec.Page, "//") {
			t.Fatalf("accepted %+v", rec)
		}
		// What passes can be stored: the batcher would not refuse it.
		if err := rec.Check(); err != nil {
			t.Fatalf("accepted %+v, which Check refuses: %v", rec, err)
		}
	})
}
