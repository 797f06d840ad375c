package consent

import (
	"testing"
	"time"

	"github.com/charte/charte/registry"
)

func TestValid(t *testing.T) {
	site := &registry.Site{ChoiceLifetime: "6 months"}
	now := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	sixMonths, _ := registry.Lifetime("6 months").Duration()
	tests := []struct {
		name     string
		revision string
		at       time.Time
		site     *registry.Site
		want     bool
	}{
		{"just made", "abc", now, site, true},
		{"other revision", "abd", now, site, false},
		{"at the end of the lifetime", "abc", now.Add(-sixMonths), site, true},
		{"one second too old", "abc", now.Add(-sixMonths - time.Second), site, false},
		{"a minute ahead: clock skew", "abc", now.Add(time.Minute), site, true},
		{"two minutes ahead", "abc", now.Add(2 * time.Minute), site, false},
		{"default lifetime is 6 months", "abc", now.Add(-sixMonths + time.Hour), &registry.Site{}, true},
		{"shorter lifetime", "abc", now.Add(-25 * time.Hour), &registry.Site{ChoiceLifetime: "1 day"}, false},
		{"unreadable lifetime never keeps a choice", "abc", now, &registry.Site{ChoiceLifetime: "forever"}, false},
		{"session lifetime keeps nothing", "abc", now, &registry.Site{ChoiceLifetime: "session"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := Choice{ConsentID: NewConsentID(), Revision: "abc", Time: tt.at}
			if got := c.Valid(tt.site, tt.revision, now); got != tt.want {
				t.Errorf("Valid = %v, want %v", got, tt.want)
			}
		})
	}
}
