package admin_test

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/charte/charte/internal/auth"
	"github.com/charte/charte/internal/proof"
	"github.com/charte/charte/internal/store"
	"github.com/charte/charte/internal/store/storetest"
	"github.com/charte/charte/internal/testenv"
	"github.com/charte/charte/internal/web"
)

// node serves another charte node on st, a second connection pool to e's
// database, as a second `charte serve` process would: same accounts and
// sites, its own caches, rate limits and scan slot.
func (e *env) node(st store.Store, cfg web.Config) *env {
	e.t.Helper()
	n := &env{t: e.t, st: st, srv: httptest.NewUnstartedServer(nil)}
	n.srv.Start()
	e.t.Cleanup(n.srv.Close)
	n.base, _ = url.Parse(n.srv.URL)
	cfg.BaseURL, cfg.PasswordParams = n.base, cheap
	n.serve(cfg)
	return n
}

func openPostgres(t *testing.T, dsn string) store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// TestTwoNodesOnePostgres runs two real charte servers on one PostgreSQL
// database: a publish through one is served by the other without waiting
// for its cache (whose TTL is an hour here, so only the notification can
// carry it); a scan of a site started on one is refused on the other while
// it runs; consents posted to both make one chain that verifies.
func TestTwoNodesOnePostgres(t *testing.T) {
	dsn := storetest.PostgresDSN(t)
	stA, stB := openPostgres(t, dsn), openPostgres(t, dsn)
	if _, err := stA.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	cfg := web.Config{RevisionTTL: time.Hour, ConsentRate: 0, ScanPrivateNetworks: true}
	a := newEnvConfig(t, stA, cfg)
	b := a.node(stB, cfg)

	t.Run("publish through one is served by the other", func(t *testing.T) {
		revision := func(n *env) string {
			r := n.browser().get("/api/v1/sites/demo/cookies")
			var body struct{ Revision string }
			if err := json.Unmarshal([]byte(r.body), &body); err != nil || r.status != 200 {
				t.Fatalf("cookies: %d %v", r.status, err)
			}
			return body.Revision
		}
		before := revision(b) // now in b's cache, for an hour
		tok, hash := auth.NewToken()
		if _, err := stA.CreateToken(context.Background(), auth.Token{Name: "ops", Hash: hash, Role: auth.Owner, CreatedBy: "cli"}); err != nil {
			t.Fatal(err)
		}
		ops := a.bearer(tok)
		if r := ops.callWith("PUT", "/api/v1/sites/demo/draft/texts", `{"en": {"title": "Cookies, published on node A"}}`, nil); r.status != 200 {
			t.Fatalf("edit texts on a: %d %s", r.status, r.body)
		}
		r := ops.callWith("POST", "/api/v1/sites/demo/publish", "", nil)
		published := time.Now()
		var pub struct{ Revision string }
		if err := json.Unmarshal([]byte(r.body), &pub); r.status != 201 || err != nil || pub.Revision == before {
			t.Fatalf("publish on a: %d %s", r.status, r.body)
		}
		for revision(b) != pub.Revision {
			if time.Since(published) > 10*time.Second {
				t.Fatalf("node b still serves %s 10 s after node a published %s", before, pub.Revision)
			}
			time.Sleep(5 * time.Millisecond)
		}
		t.Logf("node b served node a's publish %v after it was answered", time.Since(published).Round(time.Millisecond))
	})

	t.Run("consents posted to both make one chain", func(t *testing.T) {
		rev, err := stA.Published(context.Background(), "demo")
		if err != nil {
			t.Fatal(err)
		}
		before, err := stA.ProofHead(context.Background(), "demo")
		if err != nil {
			t.Fatal(err)
		}
		const perNode = 60
		var wg sync.WaitGroup
		for _, n := range []*env{a, b} {
			for w := range 4 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for range perNode / 4 {
						body := fmt.Sprintf(`{"id":%q,"consent_id":%q,"revision":%q,"action":"accept_all","decisions":{"statistics":true,"marketing":true},"language":"fr","page":"/","gpc":false}`,
							rand.Text()[:22], rand.Text()[:22], rev.ID)
						req, _ := http.NewRequest("POST", n.srv.URL+"/api/v1/sites/demo/consents", strings.NewReader(body))
						req.Header.Set("Content-Type", "application/json")
						req.Header.Set("Origin", "https://opendata.pau.fr")
						resp, err := http.DefaultClient.Do(req)
						if err != nil {
							t.Error(err)
							return
						}
						resp.Body.Close()
						if resp.StatusCode != 201 {
							t.Errorf("consent on node %s (worker %d): %d", n.srv.URL, w, resp.StatusCode)
						}
					}
				}()
			}
		}
		wg.Wait()
		c, err := proof.VerifyChain(context.Background(), stB, "demo")
		if err != nil {
			t.Fatal(err)
		}
		if c.Break != nil || c.Head.Count != before.Count+2*perNode {
			t.Errorf("chain after consents on both nodes: break %v, %d records, want %d", c.Break, c.Head.Count, before.Count+2*perNode)
		}
	})

	t.Run("a scan started on one is refused on the other", func(t *testing.T) {
		chromium := testenv.Chromium(t)
		if testing.Short() {
			t.Skip("drives Chromium; skipped with -short")
		}
		cfg.Chromium = chromium
		a.serve(withBase(cfg, a))
		b.serve(withBase(cfg, b))
		// The scanned page does not answer until released: the scan on a
		// runs as long as the test needs.
		release := make(chan struct{})
		var once sync.Once
		unblock := func() { once.Do(func() { close(release) }) }
		defer unblock()
		site := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			select {
			case <-release:
			case <-r.Context().Done():
			}
			fmt.Fprint(w, "<!doctype html><title>slow</title><p>slow page")
		}))
		defer site.Close()
		form := url.Values{"url": {site.URL + "/"}, "pages": {"1"}}
		onA, onB := a.signedIn("editor@example.org"), b.signedIn("editor@example.org")
		onB.lang = "fr"
		r := onA.post("/admin/sites/demo/scans", form)
		page := r.header.Get("Location")
		if r.status != http.StatusSeeOther || !strings.HasPrefix(page, "/admin/sites/demo/scans/") {
			t.Fatalf("start on a: %d %q\n%s", r.status, page, r.body)
		}
		r = onB.post("/admin/sites/demo/scans", form)
		if r.status != http.StatusConflict || !strings.Contains(r.body, "Une analyse de ce site est en cours sur un autre serveur charte") ||
			!strings.Contains(r.body, `href="`+page+`"`) {
			t.Errorf("start on b while a scans: %d, want 409 naming a's scan\n%s", r.status, r.body)
		}
		// Another site is not held by a's scan of demo: b's slot is free
		// and the lease is per site.
		r = onB.post("/admin/sites/demo/scans", url.Values{"url": {site.URL + "/"}, "pages": {"0"}})
		if r.status != http.StatusBadRequest {
			t.Errorf("bad form on b: %d, want 400 before any lease is taken", r.status)
		}
		unblock()
		deadline := time.Now().Add(3 * time.Minute)
		for {
			if r := onA.get(page); r.status != 200 || !strings.Contains(r.body, `http-equiv="refresh"`) {
				break
			}
			if time.Now().After(deadline) {
				t.Fatal("a's scan still runs after 3 minutes")
			}
			time.Sleep(200 * time.Millisecond)
		}
		// Once a's scan ended, its lease is released: b may scan the site.
		if r := onB.post("/admin/sites/demo/scans", form); r.status != http.StatusSeeOther {
			t.Errorf("start on b after a's scan ended: %d, want 303\n%s", r.status, r.body)
		}
	})
}

func withBase(cfg web.Config, e *env) web.Config {
	cfg.BaseURL, cfg.PasswordParams = e.base, cheap
	return cfg
}
