package proof

import (
	"fmt"
	"maps"
	"slices"
	"sort"

	"github.com/charte/charte/registry"
)

// FieldError is a record that cannot be stored as it is, naming the field
// at fault by its JSON name. Message is a whole sentence, for the visitor's
// developer to read ("id must be 22 characters of base64url").
type FieldError struct {
	Field   string
	Message string
}

func (e *FieldError) Error() string { return e.Message }

func fieldErrorf(field, format string, args ...any) *FieldError {
	return &FieldError{field, fmt.Sprintf(format, args...)}
}

// Limits on a record's texts, in bytes. They are far above what the banner
// sends and keep a record small enough that a batch of them stays cheap.
const (
	MaxIDLength        = 64
	MaxRevisionLength  = 128
	MaxLanguageLength  = 16
	MaxActionLength    = 32
	MaxPageLength      = 512
	MaxUserAgentLength = 512
	MaxCategoryLength  = 64
	MaxDecisions       = registry.MaxCategories
	// MaxServiceDecisions bounds the services a record decides for.
	MaxServiceDecisions = registry.MaxServices
)

// Check refuses a record whose text the database would refuse or store
// altered (invalid UTF-8, NUL: PostgreSQL fails the whole transaction on
// them) or that holds control characters or is too long. The batcher runs it
// before a record joins a batch: one visitor's bad text must never fail the
// transaction carrying other visitors' records.
func (r *Record) Check() error {
	texts := []struct {
		field string
		value string
		max   int
	}{
		{"id", r.ID, MaxIDLength},
		{"site", r.SiteID, MaxIDLength},
		{"consent_id", r.ConsentID, MaxIDLength},
		{"action", r.Action, MaxActionLength},
		{"revision", r.Revision, MaxRevisionLength},
		{"language", r.Language, MaxLanguageLength},
		{"page", r.Page, MaxPageLength},
		{"ip", r.IP, MaxIDLength},
		{"user_agent", r.UserAgent, MaxUserAgentLength},
	}
	for _, t := range texts {
		if err := checkText(t.field, t.value, t.max); err != nil {
			return err
		}
	}
	if len(r.Decisions) > MaxDecisions {
		return fieldErrorf("decisions", "decisions name more than %d categories", MaxDecisions)
	}
	if len(r.Services) > MaxServiceDecisions {
		return fieldErrorf("services", "services name more than %d services", MaxServiceDecisions)
	}
	for _, k := range slices.Sorted(maps.Keys(r.Services)) {
		if !registry.IsServiceID(k) {
			return fieldErrorf("services", "%q is not a service id", k)
		}
	}
	keys := make([]string, 0, len(r.Decisions))
	for k := range r.Decisions {
		keys = append(keys, k)
	}
	sort.Strings(keys) // the same record always names the same key
	for _, k := range keys {
		if err := checkText("decisions", k, MaxCategoryLength); err != nil {
			return err
		}
	}
	return nil
}

func checkText(field, s string, max int) error {
	if len(s) > max {
		return fieldErrorf(field, "%s is longer than %d bytes", field, max)
	}
	if err := registry.CheckText(s, false); err != nil {
		return fieldErrorf(field, "%s %v", field, err)
	}
	return nil
}
