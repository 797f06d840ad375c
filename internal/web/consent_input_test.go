package web_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/charte/charte/internal/hostile"
	"github.com/charte/charte/internal/store"
	"github.com/charte/charte/internal/store/storetest"
	"github.com/charte/charte/internal/web"
)

// percent encodes every byte of s.
func percent(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		fmt.Fprintf(&b, "%%%02X", s[i])
	}
	return b.String()
}

type consentFields struct {
	id, consentID, revision, action, language, page, key string
}

func (f consentFields) body() string {
	return `{"id":` + hostile.JSON(f.id) + `,"consent_id":` + hostile.JSON(f.consentID) +
		`,"revision":` + hostile.JSON(f.revision) + `,"action":` + hostile.JSON(f.action) +
		`,"decisions":{"statistics":false,` + hostile.JSON(f.key) + `:false}` +
		`,"language":` + hostile.JSON(f.language) + `,"page":` + hostile.JSON(f.page) + `}`
}

// Every text field of a consent, given any hostile string, answers 422
// naming the field, and nothing is stored; on both engines (PostgreSQL
// answered 500 to a NUL in the page, and failed the batch).
func TestConsentHostileText(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, st store.Store) {
		a := startAPIServer(t, st, web.Config{})
		good := consentFields{id: "AAAAAAAAAAAAAAAAAAAAAA", consentID: "cccccccccccccccccccccc", revision: a.rev,
			action: "reject_all", language: "fr", page: "/datasets", key: "marketing"}
		fields := []struct {
			field string
			set   func(f *consentFields, v string)
		}{
			{"id", func(f *consentFields, v string) { f.id = v }},
			{"consent_id", func(f *consentFields, v string) { f.consentID = v }},
			{"revision", func(f *consentFields, v string) { f.revision = a.rev + v }},
			{"action", func(f *consentFields, v string) { f.action = "reject_all" + v }},
			{"language", func(f *consentFields, v string) { f.language = "fr" + v }},
			{"page", func(f *consentFields, v string) { f.page = "/a" + v + "b" }},
			// The example of the report: text that is clean until decoded.
			{"page", func(f *consentFields, v string) { f.page = "/a" + percent(v) + "b" }},
			{"page", func(f *consentFields, v string) { f.page = "/a?q=" + v }},
			{"decisions", func(f *consentFields, v string) { f.key = "marketing" + v }},
		}
		for i, fl := range fields {
			for _, c := range append(append([]hostile.Case{}, hostile.Texts...), hostile.Lines...) {
				t.Run(fmt.Sprintf("%s-%d/%s", fl.field, i, c.Name), func(t *testing.T) {
					f := good
					fl.set(&f, c.Value)
					status, out, _ := a.post(t, "demo", siteOrigin, "application/json", f.body())
					field, _ := out["field"].(string)
					if status != http.StatusUnprocessableEntity || (field != fl.field && !strings.HasPrefix(field, fl.field+".")) {
						t.Errorf("status %d field %q (%v), want 422 on %s", status, field, out, fl.field)
					}
					if msg, _ := out["error"].(string); msg == "" || strings.Contains(msg, "internal") {
						t.Errorf("error %q", msg)
					}
				})
			}
		}
		// Unusual but fine text passes, and the clean record is stored once.
		for i, c := range hostile.Fine {
			f := good
			f.id = fmt.Sprintf("F%021d", i)
			f.page = "/" + c.Value
			if status, out, _ := a.post(t, "demo", siteOrigin, "application/json", f.body()); status != http.StatusCreated {
				t.Errorf("page %q: status %d %v, want 201", f.page, status, out)
			}
		}
		recs, err := st.ConsentHistory(context.Background(), "demo", good.consentID)
		if err != nil {
			t.Fatal(err)
		}
		if len(recs) != len(hostile.Fine) {
			t.Errorf("%d records stored, want the %d fine ones only", len(recs), len(hostile.Fine))
		}
	})
}

// Choices that make no sense are refused; what the banner sends is not.
func TestConsentRules(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, st store.Store) {
		a := startAPIServer(t, st, web.Config{})
		pau, err := st.Published(context.Background(), "opendata-pau")
		if err != nil {
			t.Fatal(err)
		}
		tests := []struct {
			name, site, body string
			status           int
			field            string
		}{
			{"withdraw granting everything", "demo", consentBody("W1WWWWWWWWWWWWWWWWWWWW", a.rev, "withdraw", true, true), 422, "decisions"},
			// The banner's partial withdrawal: statistics taken back, marketing kept.
			{"withdraw keeping a category", "demo", consentBody("W2WWWWWWWWWWWWWWWWWWWW", a.rev, "withdraw", false, true), 201, ""},
			{"withdraw keeping the other", "demo", consentBody("W3WWWWWWWWWWWWWWWWWWWW", a.rev, "withdraw", true, false), 201, ""},
			{"withdraw refusing everything", "demo", consentBody("W4WWWWWWWWWWWWWWWWWWWW", a.rev, "withdraw", false, false), 201, ""},
			{"custom granting everything", "demo", consentBody("W5WWWWWWWWWWWWWWWWWWWW", a.rev, "custom", true, true), 201, ""},
			// A query string past the stored path's limit is dropped, not
			// cut inside a character and called invalid UTF-8.
			{"long accented query", "demo", strings.Replace(consentBody("W6WWWWWWWWWWWWWWWWWWWW", a.rev, "custom", true, true),
				"/datasets?q=secret", "/datasets?q=x"+strings.Repeat("é", 300), 1), 201, ""},
			{"page too long even with its query", "demo", strings.Replace(consentBody("W7WWWWWWWWWWWWWWWWWWWW", a.rev, "custom", true, true),
				"/datasets?q=secret", "/datasets?q="+strings.Repeat("é", 1100), 1), 422, "page"},
			{"all-exempt site, no decisions", "opendata-pau",
				`{"id":"X1XXXXXXXXXXXXXXXXXXXX","consent_id":"cccccccccccccccccccccc","revision":"` + pau.ID +
					`","action":"reject_all","decisions":{},"language":"fr","page":"/"}`, 422, "site"},
			{"all-exempt site, accept_all", "opendata-pau",
				`{"id":"X2XXXXXXXXXXXXXXXXXXXX","consent_id":"cccccccccccccccccccccc","revision":"` + pau.ID +
					`","action":"accept_all","decisions":{},"language":"en","page":"/"}`, 422, "site"},
			{"all-exempt site, a decision", "opendata-pau",
				`{"id":"X3XXXXXXXXXXXXXXXXXXXX","consent_id":"cccccccccccccccccccccc","revision":"` + pau.ID +
					`","action":"custom","decisions":{"necessary":true},"language":"fr","page":"/"}`, 422, "site"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				status, out, _ := a.post(t, tt.site, siteOrigin, "application/json", tt.body)
				if status != tt.status || (tt.field != "" && out["field"] != tt.field) {
					t.Errorf("status %d %v, want %d on %q", status, out, tt.status, tt.field)
				}
			})
		}
		head, err := st.ProofHead(context.Background(), "opendata-pau")
		if err != nil || head.Count != 0 {
			t.Errorf("opendata-pau chain: %+v %v, want empty", head, err)
		}
	})
}

// A JSON type error names the field and what it must be, never a Go type.
func TestConsentTypeErrors(t *testing.T) {
	a := startAPIServer(t, storetest.New(t), web.Config{})
	for _, tt := range []struct {
		body, field, msg string
	}{
		{`[]`, "", "the body must be a JSON object, not array"},
		{`"consent"`, "", "the body must be a JSON object, not string"},
		{`{"decisions":[]}`, "decisions", "decisions must be a JSON object, not array"},
		{`{"decisions":{"statistics":"yes"}}`, "decisions", "each entry of decisions must be true or false, not string"},
		{`{"gpc":"1"}`, "gpc", "gpc must be true or false, not string"},
		{`{"page":42}`, "page", "page must be a string, not number"},
		{`{"id":null,"page":{}}`, "page", "page must be a string, not object"},
		{`{"evil":1}`, "evil", `unknown field "evil"`},
	} {
		status, out, _ := a.post(t, "demo", siteOrigin, "application/json", tt.body)
		msg, _ := out["error"].(string)
		field, _ := out["field"].(string)
		if status != 400 || field != tt.field || msg != tt.msg {
			t.Errorf("%s: %d %q %q, want 400 %q %q", tt.body, status, field, msg, tt.field, tt.msg)
		}
		if strings.Contains(msg, "web.") || strings.Contains(msg, "Go ") {
			t.Errorf("%s: message %q names a Go type", tt.body, msg)
		}
	}
}

// The rate limit counts per network as the proof stores it (/24, /48):
// changing address inside it does not reset the count.
func TestConsentRateLimitPerNetwork(t *testing.T) {
	a := startAPIServer(t, storetest.New(t), web.Config{ConsentRate: 1, ConsentBurst: 2, TrustProxy: true})
	n := 0
	post := func(addr string) int {
		n++
		req, _ := http.NewRequest("POST", a.URL+"/api/v1/sites/demo/consents",
			strings.NewReader(consentBody(fmt.Sprintf("N%021d", n), a.rev, "reject_all", false, false)))
		req.Header.Set("Origin", siteOrigin)
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-Forwarded-For", addr)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	for _, tt := range []struct {
		name  string
		addrs []string // the last one is over the limit
		other string   // another network, still allowed
	}{
		{"IPv4 /24", []string{"198.51.100.1", "198.51.100.2", "198.51.100.254"}, "198.51.101.1"},
		{"IPv4-mapped IPv6 in the same /24", []string{"203.0.113.7", "::ffff:203.0.113.8", "203.0.113.9"}, "203.0.114.9"},
		{"IPv6 /64s of one /48", []string{"2001:db8:1:1::1", "2001:db8:1:2::1", "2001:db8:1:ffff:ffff::9"}, "2001:db8:2::1"},
		{"IPv6 one /64", []string{"2001:db8:3::1", "2001:db8:3::2", "2001:db8:3::3"}, "2001:db8:4::3"},
	} {
		var got []int
		for _, addr := range tt.addrs {
			got = append(got, post(addr))
		}
		if fmt.Sprint(got) != "[201 201 429]" {
			t.Errorf("%s: statuses %v, want [201 201 429]", tt.name, got)
		}
		if s := post(tt.other); s != 201 {
			t.Errorf("%s: another network %s got %d, want 201", tt.name, tt.other, s)
		}
	}
}

// The user agent is a header, not a field the visitor chose: it is cleaned
// (invalid UTF-8 replaced, control characters removed, cut on a character
// boundary) rather than refused, and never fails the record; on both
// engines (PostgreSQL refused invalid UTF-8 with a 500).
func TestConsentUserAgentIsCleaned(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, st store.Store) {
		a := startAPIServer(t, st, web.Config{StoreUserAgent: true})
		for i, tt := range []struct{ sent, stored string }{
			{"Mozilla/5.0 \xff(X11)", "Mozilla/5.0 \ufffd(X11)"},
			{"Mozilla/5.0\t\xc0\xaf ok", "Mozilla/5.0\ufffd ok"}, // one U+FFFD per run of bad bytes
			{"a\u0085b", "ab"},
			{strings.Repeat("a", 511) + "é", strings.Repeat("a", 511)},
		} {
			cid := fmt.Sprintf("U%021d", i)
			body := strings.Replace(consentBody(fmt.Sprintf("V%021d", i), a.rev, "reject_all", false, false),
				"cccccccccccccccccccccc", cid, 1)
			req, _ := http.NewRequest("POST", a.URL+"/api/v1/sites/demo/consents", strings.NewReader(body))
			req.Header.Set("Origin", siteOrigin)
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("User-Agent", tt.sent)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusCreated {
				t.Errorf("user agent %q: %s, want 201", tt.sent, resp.Status)
				continue
			}
			recs, err := st.ConsentHistory(context.Background(), "demo", cid)
			if err != nil || len(recs) != 1 || recs[0].UserAgent != tt.stored {
				t.Errorf("user agent %q stored as %+v (%v), want %q", tt.sent, recs, err, tt.stored)
			}
		}
	})
}
