package admin_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/charte/charte/internal/store/storetest"
	"github.com/charte/charte/registry"
)

// TestSettingsBlocking: the settings page offers the banner's automatic
// blocking, which the draft keeps; an unknown value is refused, naming
// the setting, and changes nothing.
func TestSettingsBlocking(t *testing.T) {
	st := storetest.New(t)
	e := newEnv(t, st)
	ctx := context.Background()
	ed := e.signedIn("editor@example.org")
	page := ed.get("/admin/sites/demo/")
	if !strings.Contains(page.body, `name="blocking" value="observe"`) || !strings.Contains(page.body, "Blocage automatique dans le bandeau") {
		t.Fatalf("the settings page does not offer automatic blocking:\n%.2000s", page.body)
	}
	form := func(blocking string) url.Values {
		return url.Values{"name": {"Démo"}, "languages": {"fr", "en"}, "default_language": {"fr"}, "respect_gpc": {"1"}, "blocking": {blocking}}
	}
	tests := []struct {
		value, want string
		status      int
		saying      string
	}{
		{"observe", registry.BlockingObserve, http.StatusSeeOther, ""},
		{"everything", registry.BlockingObserve, http.StatusUnprocessableEntity, `blocage inconnu &#34;everything&#34; : ne l&#39;indiquez pas`},
		{"", "", http.StatusSeeOther, ""},
	}
	for _, tt := range tests {
		r := ed.post("/admin/sites/demo/", form(tt.value))
		if r.status != tt.status || !strings.Contains(r.body, tt.saying) {
			t.Errorf("blocking %q: %d, want %d saying %q:\n%.1500s", tt.value, r.status, tt.status, tt.saying, r.body)
		}
		draft, err := st.Site(ctx, "demo")
		if err != nil {
			t.Fatal(err)
		}
		if draft.Blocking != tt.want {
			t.Errorf("after %q the draft says blocking %q, want %q", tt.value, draft.Blocking, tt.want)
		}
	}
}
