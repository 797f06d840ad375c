package proof_test

import (
	"errors"
	"testing"

	"github.com/charte/charte/internal/proof"
	"github.com/charte/charte/registry"
)

// TestCheckConsent: what a visitor sends is held against the revision they
// were shown, and each refusal names the field at fault.
func TestCheckConsent(t *testing.T) {
	site := &registry.Site{ID: "demo", Languages: []string{"fr", "en"}, Categories: []registry.Category{
		{ID: "necessary", Exempt: true}, {ID: "statistics"}, {ID: "marketing"}}}
	sent := func(change func(r *proof.Record)) proof.Record {
		r := proof.Record{ID: "AAAAAAAAAAAAAAAAAAAAAA", ConsentID: "cccccccccccccccccccccc", SiteID: "demo",
			Action: proof.Custom, Decisions: map[string]bool{"statistics": true, "marketing": false},
			Language: "fr", Page: "/datasets?q=private", Revision: "r"}
		if change != nil {
			change(&r)
		}
		return r
	}
	tests := []struct {
		name      string
		change    func(r *proof.Record)
		wantField string
	}{
		{"a custom choice", nil, ""},
		{"accept all", func(r *proof.Record) { r.Action, r.Decisions["marketing"] = proof.AcceptAll, true }, ""},
		{"a partial withdrawal", func(r *proof.Record) { r.Action = proof.Withdraw }, ""},
		{"short id", func(r *proof.Record) { r.ID = "abc" }, "id"},
		{"consent id with a slash", func(r *proof.Record) { r.ConsentID = "cccccccccccccccccccc/c" }, "consent_id"},
		{"unknown action", func(r *proof.Record) { r.Action = "maybe" }, "action"},
		{"language the site lacks", func(r *proof.Record) { r.Language = "de" }, "language"},
		{"page on another host", func(r *proof.Record) { r.Page = "//evil.example/x" }, "page"},
		{"page with a NUL once decoded", func(r *proof.Record) { r.Page = "/a%00b" }, "page"},
		{"a category missing", func(r *proof.Record) { delete(r.Decisions, "marketing") }, "decisions"},
		{"an exempt category decided", func(r *proof.Record) { r.Decisions["necessary"] = true }, "decisions"},
		{"an unknown category instead of one", func(r *proof.Record) {
			delete(r.Decisions, "marketing")
			r.Decisions["ads"] = false
		}, "decisions"},
		{"accept all refusing one", func(r *proof.Record) { r.Action = proof.AcceptAll }, "decisions"},
		{"reject all granting one", func(r *proof.Record) { r.Action = proof.RejectAll }, "decisions"},
		{"withdraw refusing nothing", func(r *proof.Record) { r.Action, r.Decisions["marketing"] = proof.Withdraw, true }, "decisions"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := sent(tt.change)
			err := proof.CheckConsent(&r, site)
			var fe *proof.FieldError
			switch {
			case tt.wantField == "" && err != nil:
				t.Fatalf("refused: %v", err)
			case tt.wantField == "" && r.Page != "/datasets":
				t.Errorf("page kept as %q, want its path only", r.Page)
			case tt.wantField != "" && (!errors.As(err, &fe) || fe.Field != tt.wantField):
				t.Errorf("err = %v, want a FieldError on %s", err, tt.wantField)
			}
		})
	}
	t.Run("every cookie exempt", func(t *testing.T) {
		exempt := &registry.Site{ID: "x", Languages: []string{"fr"}, Categories: []registry.Category{{ID: "necessary", Exempt: true}}}
		r := sent(nil)
		var fe *proof.FieldError
		if err := proof.CheckConsent(&r, exempt); !errors.As(err, &fe) || fe.Field != "site" {
			t.Errorf("err = %v, want a FieldError on site", err)
		}
	})
}
