package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/charte/charte/internal/proof"
	"github.com/charte/charte/internal/store"
	"github.com/charte/charte/internal/store/storetest"
	"github.com/charte/charte/internal/web"
)

// apiServer is a real charte server on a seeded database.
type apiServer struct {
	*httptest.Server
	st  store.Store
	rev string // demo's published revision
}

func startAPIServerB(b *testing.B) *apiServer {
	return startAPIServer(b, storetest.New(b), web.Config{})
}

func startAPIServer(t testing.TB, st store.Store, cfg web.Config) *apiServer {
	t.Helper()
	ctx := context.Background()
	storetest.Seed(t, st)
	// The server is told its own URL, as `charte serve` is: route through a
	// variable set once the listener is up.
	var handler http.Handler
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { handler.ServeHTTP(w, r) }))
	if cfg.BaseURL == nil {
		cfg.BaseURL, _ = url.Parse(ts.URL)
	}
	srv, err := web.New(cfg, st, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	handler = srv.Handler()
	t.Cleanup(func() { ts.Close(); srv.Close() })
	rev, err := st.Published(ctx, "demo")
	if err != nil {
		t.Fatal(err)
	}
	return &apiServer{Server: ts, st: st, rev: rev.ID}
}

func (a *apiServer) post(t *testing.T, site, origin, contentType, body string) (int, map[string]any, http.Header) {
	t.Helper()
	req, _ := http.NewRequest("POST", a.URL+"/api/v1/sites/"+site+"/consents", strings.NewReader(body))
	if origin != "" {
		req.Header.Set("Origin", origin)
	}
	req.Header.Set("Content-Type", contentType)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	json.NewDecoder(resp.Body).Decode(&out)
	return resp.StatusCode, out, resp.Header
}

func consentBody(id, rev, action string, stats, marketing bool) string {
	return fmt.Sprintf(`{"id":%q,"consent_id":"cccccccccccccccccccccc","revision":%q,"action":%q,`+
		`"decisions":{"statistics":%t,"marketing":%t},"language":"fr","page":"/datasets?q=secret","gpc":false}`,
		id, rev, action, stats, marketing)
}

const siteOrigin = "https://opendata.pau.fr"

func TestConsentAPI(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, st store.Store) {
		a := startAPIServer(t, st, web.Config{})
		id := "AAAAAAAAAAAAAAAAAAAAAA"
		good := consentBody(id, a.rev, "custom", true, false)
		tests := []struct {
			name, site, origin, ctype, body string
			status                          int
			field                           string
		}{
			{"stored", "demo", siteOrigin, "application/json", good, 201, ""},
			{"resend gives the first record", "demo", siteOrigin, "application/json", strings.Replace(good, `"statistics":true`, `"statistics":false`, 1), 200, ""},
			{"unknown site", "nope", siteOrigin, "application/json", good, 404, "site"},
			{"missing origin", "demo", "", "application/json", good, 403, "origin"},
			{"another site's origin", "demo", "https://evil.example", "application/json", good, 403, "origin"},
			{"wrong content type", "demo", siteOrigin, "application/x-www-form-urlencoded", good, 415, ""},
			{"huge body", "demo", siteOrigin, "application/json", `{"id":"` + strings.Repeat("x", 5000) + `"}`, 413, ""},
			{"not json", "demo", siteOrigin, "application/json", `{"id":`, 400, ""},
			{"deep", "demo", siteOrigin, "application/json", strings.Repeat("[", 1000), 400, ""},
			{"wrong type", "demo", siteOrigin, "application/json", `{"decisions": {"statistics": "yes"}}`, 400, "decisions"},
			{"unknown field", "demo", siteOrigin, "application/json", strings.Replace(good, `"gpc"`, `"evil":1,"gpc"`, 1), 400, ""},
			{"forged revision", "demo", siteOrigin, "application/json", consentBody("BBBBBBBBBBBBBBBBBBBBBB", "0123456789abcdef", "custom", true, false), 422, "revision"},
			{"unknown category", "demo", siteOrigin, "application/json", strings.Replace(consentBody("CCCCCCCCCCCCCCCCCCCCCC", a.rev, "custom", true, false), "marketing", "ads", 1), 422, "decisions"},
			{"accept_all refusing", "demo", siteOrigin, "application/json", consentBody("DDDDDDDDDDDDDDDDDDDDDD", a.rev, "accept_all", true, false), 422, "decisions"},
			{"bad id", "demo", siteOrigin, "application/json", consentBody("short", a.rev, "custom", true, false), 422, "id"},
			{"bad action", "demo", siteOrigin, "application/json", consentBody("EEEEEEEEEEEEEEEEEEEEEE", a.rev, "maybe", true, false), 422, "action"},
			{"text/plain is json too", "demo", siteOrigin, "text/plain;charset=UTF-8", consentBody("FFFFFFFFFFFFFFFFFFFFFF", a.rev, "reject_all", false, false), 201, ""},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				status, body, _ := a.post(t, tt.site, tt.origin, tt.ctype, tt.body)
				if status != tt.status {
					t.Fatalf("status %d, want %d (%v)", status, tt.status, body)
				}
				if tt.status >= 400 {
					if body["error"] == "" || body["error"] == nil {
						t.Errorf("no error message: %v", body)
					}
					if tt.field != "" && body["field"] != tt.field {
						t.Errorf("field %v, want %q", body["field"], tt.field)
					}
				}
			})
		}
		recs, err := st.ConsentHistory(context.Background(), "demo", "cccccccccccccccccccccc")
		if err != nil {
			t.Fatal(err)
		}
		if len(recs) != 2 {
			t.Fatalf("stored %d records, want 2 (refused requests must store nothing)", len(recs))
		}
		r := recs[0]
		if r.Page != "/datasets" || !r.Decisions["statistics"] || r.Decisions["marketing"] || r.IP != "127.0.0.0/24" || r.UserAgent != "" {
			t.Errorf("stored record %+v", r)
		}
	})
}

func TestConsentPreflightAndCORS(t *testing.T) {
	a := startAPIServer(t, storetest.New(t), web.Config{})
	for _, tt := range []struct {
		origin string
		status int
	}{{siteOrigin, 204}, {"https://evil.example", 403}} {
		req, _ := http.NewRequest("OPTIONS", a.URL+"/api/v1/sites/demo/consents", nil)
		req.Header.Set("Origin", tt.origin)
		req.Header.Set("Access-Control-Request-Method", "POST")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		allowed := resp.Header.Get("Access-Control-Allow-Origin")
		if resp.StatusCode != tt.status || (tt.status == 204) != (allowed == tt.origin) {
			t.Errorf("%s: status %d, allow-origin %q", tt.origin, resp.StatusCode, allowed)
		}
	}
}

func TestConsentRateLimit(t *testing.T) {
	a := startAPIServer(t, storetest.New(t), web.Config{ConsentRate: 1, ConsentBurst: 2})
	var statuses []int
	var retry string
	for i := range 3 {
		status, _, h := a.post(t, "demo", siteOrigin, "application/json",
			consentBody(fmt.Sprintf("%022d", i), a.rev, "reject_all", false, false))
		statuses = append(statuses, status)
		retry = h.Get("Retry-After")
	}
	if fmt.Sprint(statuses) != "[201 201 429]" || retry == "" {
		t.Errorf("statuses %v, Retry-After %q", statuses, retry)
	}
}

func TestGPCHeaderIsRecorded(t *testing.T) {
	a := startAPIServer(t, storetest.New(t), web.Config{StoreUserAgent: true})
	req, _ := http.NewRequest("POST", a.URL+"/api/v1/sites/demo/consents",
		strings.NewReader(consentBody("GGGGGGGGGGGGGGGGGGGGGG", a.rev, "gpc", false, false)))
	req.Header.Set("Origin", siteOrigin)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Sec-GPC", "1")
	req.Header.Set("User-Agent", "test-agent")
	resp, err := http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != 201 {
		t.Fatalf("%v %v", err, resp.Status)
	}
	recs, _ := a.st.ConsentHistory(context.Background(), "demo", "cccccccccccccccccccccc")
	if len(recs) != 1 || !recs[0].GPC || recs[0].UserAgent != "test-agent" || recs[0].Action != proof.GPC {
		t.Errorf("record %+v", recs)
	}
}

func TestProofHeadAndHistory(t *testing.T) {
	a := startAPIServer(t, storetest.New(t), web.Config{})
	var wg sync.WaitGroup
	for i := range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			a.post(t, "demo", siteOrigin, "application/json", consentBody(fmt.Sprintf("%022d", i), a.rev, "accept_all", true, true))
		}()
	}
	wg.Wait()
	var head struct {
		Count int64
		Hash  string
	}
	getJSON(t, a.URL+"/api/v1/sites/demo/proof/head", 200, &head)
	if head.Count != 20 || len(head.Hash) != 64 {
		t.Errorf("head %+v", head)
	}
	var hist struct{ Records []proof.Record }
	getJSON(t, a.URL+"/api/v1/sites/demo/consents/cccccccccccccccccccccc", 200, &hist)
	if len(hist.Records) != 20 {
		t.Errorf("history has %d records", len(hist.Records))
	}
	getJSON(t, a.URL+"/api/v1/sites/demo/consents/"+url.PathEscape("bad id"), 400, nil)
}

func getJSON(t *testing.T, u string, status int, v any) {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != status {
		t.Fatalf("GET %s: %s", u, resp.Status)
	}
	if v != nil {
		if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
			t.Fatal(err)
		}
	}
}
