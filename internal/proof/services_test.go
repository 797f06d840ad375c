package proof_test

import (
	"testing"

	"github.com/charte/charte/internal/proof"
	"github.com/charte/charte/registry"
)

// A site with services: a record may decide per service, for exactly the
// services needing consent, and its action must agree with them.
func TestCheckConsentServices(t *testing.T) {
	site := &registry.Site{ID: "ville", Languages: []string{"fr"}, Categories: []registry.Category{
		{ID: "necessary", Exempt: true}, {ID: "marketing"}},
		Services: []registry.Service{{ID: "youtube", Category: "marketing"}, {ID: "criteo", Category: "marketing"}, {ID: "google-fonts", Category: "necessary"}}}
	rec := func(action string, marketing bool, svcs map[string]bool) proof.Record {
		return proof.Record{ID: "AAAAAAAAAAAAAAAAAAAAAA", ConsentID: "cccccccccccccccccccccc", SiteID: "ville",
			Action: action, Decisions: map[string]bool{"marketing": marketing}, Services: svcs, Language: "fr", Page: "/", Revision: "r"}
	}
	tests := []struct {
		name  string
		r     proof.Record
		field string
	}{
		{"YouTube alone", rec(proof.Custom, false, map[string]bool{"youtube": true, "criteo": false}), ""},
		{"a record of before services", rec(proof.Custom, true, nil), ""},
		{"accept all grants every service", rec(proof.AcceptAll, true, map[string]bool{"youtube": true, "criteo": true}), ""},
		{"accept all with a service refused", rec(proof.AcceptAll, true, map[string]bool{"youtube": true, "criteo": false}), "decisions"},
		{"reject all with a service granted", rec(proof.RejectAll, false, map[string]bool{"youtube": true, "criteo": false}), "decisions"},
		{"withdrawing one service", rec(proof.Withdraw, true, map[string]bool{"youtube": true, "criteo": false}), ""},
		{"a service missing", rec(proof.Custom, false, map[string]bool{"youtube": true}), "services"},
		{"an exempt service decided", rec(proof.Custom, false, map[string]bool{"youtube": true, "criteo": false, "google-fonts": true}), "services"},
		{"an unknown service instead of one", rec(proof.Custom, false, map[string]bool{"youtube": true, "vimeo": false}), "services"},
		{"a service id with markup", rec(proof.Custom, false, map[string]bool{"<b>": true}), "services"},
	}
	for _, tt := range tests {
		r := tt.r
		err := proof.CheckConsent(&r, site)
		field := ""
		if fe, ok := err.(*proof.FieldError); ok {
			field = fe.Field
		} else if err != nil {
			t.Errorf("%s: %v is not a FieldError", tt.name, err)
			continue
		}
		if field != tt.field {
			t.Errorf("%s: error %v, want one on %q", tt.name, err, tt.field)
		}
	}
	// A record without services hashes as before services existed: the
	// chains already written still verify.
	a, b := rec(proof.Custom, true, nil), rec(proof.Custom, true, map[string]bool{})
	if a.ComputeHash() != b.ComputeHash() {
		t.Error("an empty services map changes the hash")
	}
	c := rec(proof.Custom, true, map[string]bool{"youtube": false, "criteo": true})
	if c.ComputeHash() == a.ComputeHash() {
		t.Error("the services decisions are not hashed")
	}
}
