package consent

import (
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"
	"time"

	"github.com/charte/charte/registry"
)

// serviceSite declares two marketing services, as publishing expands them,
// and a marketing cookie of the site's own.
func serviceSite() *registry.Site {
	ck := func(name, domain, svc string) registry.Cookie {
		return registry.Cookie{Name: name, Domain: domain, Provider: "P", Purpose: registry.Text{"en": "x"},
			Category: "marketing", Lifetime: "1 year", Party: registry.ThirdParty, ServiceID: svc}
	}
	return &registry.Site{ID: "ville", Name: "Ville", DefaultLanguage: "en", Languages: []string{"en"},
		Categories: []registry.Category{{ID: "necessary", Name: registry.Text{"en": "N"}, Exempt: true}, {ID: "marketing", Name: registry.Text{"en": "M"}}},
		Cookies: []registry.Cookie{ck("VISITOR_INFO1_LIVE", "youtube.com", "youtube"), ck("YSC", "youtube.com", "youtube"),
			ck("cto_bundle", "", "criteo"), ck("own_ad", "", "")},
		Services: []registry.Service{{ID: "youtube", Category: "marketing"}, {ID: "criteo", Category: "marketing"}},
	}
}

// TestEnforcePerService: a cookie belongs to the service declaring it, so a
// choice granting YouTube alone lets YouTube's cookies through and drops
// Criteo's and the site's own marketing cookie; a choice made per category
// (before services existed) still speaks for every service of it.
func TestEnforcePerService(t *testing.T) {
	site := serviceSite()
	rev := site.Revision()
	choice := func(marketing bool, svcs ...ServiceDecision) string {
		c := Choice{ConsentID: "q7R3x_Yb-2KdF0aZ8mNwVg", Revision: rev, Time: now, Decisions: []Decision{{"marketing", marketing}}, Services: svcs}
		return CookieName + "=" + c.Encode()
	}
	set := []string{"VISITOR_INFO1_LIVE=v; Path=/", "cto_bundle=c; Path=/", "own_ad=o; Path=/"}
	tests := []struct {
		name, cookie string
		want         []string
	}{
		{"YouTube alone", choice(false, ServiceDecision{"youtube", true}), set[:1]},
		{"the category, Criteo refused apart", choice(true, ServiceDecision{"criteo", false}), []string{set[0], set[2]}},
		{"a per-category choice grants every service", choice(true), set},
		{"a per-category refusal refuses every service", choice(false), nil},
		{"YouTube alone expires a carried Criteo cookie", "cto_bundle=old; YSC=y; " + choice(false, ServiceDecision{"youtube", true}),
			[]string{set[0], "cto_bundle=; Path=/; Max-Age=0"}},
	}
	e, err := New(Static(site), Options{Now: func() time.Time { return now }, Logger: discard})
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			req := httptest.NewRequest("GET", "/page", nil)
			req.Header.Set("Cookie", tt.cookie)
			e.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				for _, c := range set {
					w.Header().Add("Set-Cookie", c)
				}
			})).ServeHTTP(rec, req)
			if got := rec.Result().Header.Values("Set-Cookie"); !slices.Equal(got, tt.want) {
				t.Errorf("Set-Cookie:\n got %q\nwant %q", got, tt.want)
			}
			// The request a proxy forwards keeps the granted service's
			// cookie and loses the refused one's.
			out := http.Header{}
			e.FilterRequest(req, out)
			if tt.name == "YouTube alone expires a carried Criteo cookie" && out.Get("Cookie") != "YSC=y; "+tt.cookie[len("cto_bundle=old; YSC=y; "):] {
				t.Errorf("forwarded Cookie %q", out.Get("Cookie"))
			}
		})
	}
	c, _ := Decode(choice(false, ServiceDecision{"youtube", true})[len(CookieName)+1:])
	v := &Visitor{reg: NewRegistry(site, ""), choice: c, has: true}
	for svc, want := range map[string]bool{"youtube": true, "criteo": false, "unknown": false} {
		if got := v.AllowedService(svc); got != want {
			t.Errorf("AllowedService(%q) = %v, want %v", svc, got, want)
		}
	}
}
