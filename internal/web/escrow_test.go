package web

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/charte/charte/internal/store"
	"github.com/charte/charte/internal/version"
	"github.com/charte/charte/registry"
)

// TestBannerEscrowOnce: however many visitors ask at once, each script is
// escrowed once, with the bytes they got, and later requests cost nothing.
func TestBannerEscrowOnce(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	rev, err := e.store.Published(ctx, "demo")
	if err != nil {
		t.Fatal(err)
	}
	paths := map[string]string{
		"fr": "/sites/demo/banner.js?lang=fr",
		"en": "/sites/demo/banner/" + rev.ID + "/en.js", // the revision URL shares the cache entry
	}
	served := func(n int) map[string]string {
		var mu sync.Mutex
		var wg sync.WaitGroup
		bodies := map[string]string{}
		for i := range n {
			lang := []string{"fr", "en"}[i%2]
			wg.Go(func() {
				res := get(t, e.URL+paths[lang], http.Header{"Accept-Encoding": {"gzip"}})
				mu.Lock()
				defer mu.Unlock()
				if res.StatusCode != 200 || (bodies[lang] != "" && bodies[lang] != res.body) {
					t.Errorf("%s: status %d, or a body differing from another request's", lang, res.StatusCode)
				}
				bodies[lang] = res.body
			})
		}
		wg.Wait()
		e.server.escrow.wait()
		return bodies
	}
	bodies := served(40)
	check := func(when string) {
		t.Helper()
		list, err := e.store.BannerEscrow(ctx, "demo", rev.ID)
		if err != nil || len(list) != 2 || list[0].Lang != "en" || list[1].Lang != "fr" {
			t.Fatalf("%s: escrow %+v, %v; want en and fr once each", when, list, err)
		}
		for _, b := range list {
			got, err := e.store.BannerScript(ctx, "demo", rev.ID, b.SHA256)
			if err != nil || string(got.Script) != bodies[b.Lang] || got.Version != version.String() || got.Version == "" {
				t.Errorf("%s: escrowed %s is not the script served (%v), or version %q is not %q", when, b.Lang, err, got.Version, version.String())
			}
		}
		metrics := get(t, e.URL+"/metrics", nil).body
		for _, line := range []string{`charte_banner_escrows_total{result="stored"} 2`} {
			if !strings.Contains(metrics, line+"\n") {
				t.Errorf("%s: /metrics lacks %s", when, line)
			}
		}
		for _, result := range []string{"known", "failed"} {
			if strings.Contains(metrics, `charte_banner_escrows_total{result="`+result+`"}`) {
				t.Errorf("%s: an escrow ended %s: the script was built more than once", when, result)
			}
		}
	}
	check("after 40 concurrent first requests")
	served(20)
	check("after 20 more requests")
}

// TestRevisionSnapshotAPI replays a revision after a newer one is published,
// and after an upgrade of charte would build its banner differently.
func TestRevisionSnapshotAPI(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	old, err := e.store.Published(ctx, "demo")
	if err != nil {
		t.Fatal(err)
	}
	oldFR := get(t, e.URL+"/sites/demo/banner.js?lang=fr", nil).body
	e.server.escrow.wait()

	// A new revision, served too.
	site, err := e.store.Site(ctx, "demo")
	if err != nil {
		t.Fatal(err)
	}
	site.Cookies = site.Cookies[1:]
	if err := e.store.SaveSite(ctx, registry.MustCheck(site)); err != nil {
		t.Fatal(err)
	}
	next, err := e.store.Publish(ctx, "demo")
	if err != nil || next.ID == old.ID {
		t.Fatalf("publish: %v, %s", err, next.ID)
	}
	newFR := get(t, e.URL+"/sites/demo/banner/"+next.ID+"/fr.js", nil).body
	e.server.escrow.wait()
	// What an earlier charte served for the old revision: bytes this
	// binary would not build, which only the escrow can give back.
	earlier := []byte("/* charte v0.9.0 */ window.charte = {\"r\":\"" + old.ID + "\"};\n")
	at := time.Date(2026, 6, 1, 8, 0, 0, 0, time.UTC)
	if _, err := e.store.EscrowBanner(ctx, store.EscrowedBanner{SiteID: "demo", Revision: old.ID, Lang: "fr",
		Version: "v0.9.0", FirstServed: at, Script: earlier}); err != nil {
		t.Fatal(err)
	}

	var snap struct {
		Site, Revision string
		PublishedAt    time.Time `json:"published_at"`
		Registry       struct{ ID, Name string }
		Banners        []struct {
			Language, SHA256, URL string
			Version               string    `json:"charte_version"`
			FirstServed           time.Time `json:"first_served"`
			Size                  int
		}
	}
	res := get(t, e.URL+"/api/v1/sites/demo/revisions/"+old.ID, nil)
	if res.StatusCode != 200 || json.Unmarshal([]byte(res.body), &snap) != nil {
		t.Fatalf("snapshot: %d %s", res.StatusCode, res.body)
	}
	if snap.Site != "demo" || snap.Revision != old.ID || !snap.PublishedAt.Equal(old.PublishedAt) || snap.Registry.ID != "demo" || snap.Registry.Name != old.Site.Name {
		t.Errorf("snapshot %+v, want revision %s published %v of demo", snap, old.ID, old.PublishedAt)
	}
	want := map[string]string{sum([]byte(oldFR)): oldFR, sum(earlier): string(earlier)}
	if len(snap.Banners) != 2 {
		t.Fatalf("the old revision lists %d banners, want 2: %+v", len(snap.Banners), snap.Banners)
	}
	for _, b := range snap.Banners {
		body, ok := want[b.SHA256]
		if !ok || b.Language != "fr" || b.Size != len(body) || b.FirstServed.IsZero() {
			t.Errorf("listed banner %+v is none of those served", b)
			continue
		}
		if b.SHA256 == sum(earlier) && (b.Version != "v0.9.0" || !b.FirstServed.Equal(at)) {
			t.Errorf("the earlier banner is listed as built by %s at %v", b.Version, b.FirstServed)
		}
		if !strings.HasPrefix(b.URL, e.URL+"/api/v1/sites/demo/revisions/"+old.ID+"/banners/") {
			t.Errorf("banner URL %s", b.URL)
		}
		got := get(t, b.URL, nil)
		if got.StatusCode != 200 || got.body != body || sum([]byte(got.body)) != b.SHA256 {
			t.Errorf("%s: %d, %d bytes; want the %d bytes served, hashing to the listed sha256", b.URL, got.StatusCode, len(got.body), len(body))
		}
		for k, v := range map[string]string{
			"Content-Type":           "text/plain; charset=utf-8",
			"Content-Disposition":    `attachment; filename="charte-banner-` + b.SHA256 + `.js"`,
			"Cache-Control":          "public, max-age=31536000, immutable",
			"X-Content-Type-Options": "nosniff",
		} {
			if got.Header.Get(k) != v {
				t.Errorf("%s: %s %q, want %q", b.URL, k, got.Header.Get(k), v)
			}
		}
	}

	newPath := "/api/v1/sites/demo/revisions/" + next.ID + "/banners/" + sum([]byte(newFR)) + ".js"
	if got := get(t, e.URL+newPath, nil); got.StatusCode != 200 || got.body != newFR || newFR == oldFR {
		t.Errorf("the new revision's banner: %d, same as the old one: %t", got.StatusCode, newFR == oldFR)
	}
	oldPath := "/api/v1/sites/demo/revisions/" + old.ID
	tests := []struct {
		name, path, lang, message string
	}{
		{"unknown site", "/api/v1/sites/nope/revisions/" + old.ID, "en", "Unknown site or never published revision: nope, " + old.ID},
		{"unknown revision", "/api/v1/sites/demo/revisions/0123456789abcdef", "fr", "Site inconnu ou révision jamais publiée : demo, 0123456789abcdef"},
		{"unknown hash", oldPath + "/banners/" + strings.Repeat("0", 64) + ".js", "en", "No banner " + strings.Repeat("0", 64) + ".js was served for revision " + old.ID + " of demo"},
		{"another revision's hash", oldPath + "/banners/" + sum([]byte(newFR)) + ".js", "fr", "Aucun bandeau " + sum([]byte(newFR)) + ".js n'a été servi pour la révision " + old.ID + " de demo"},
		{"not a hash", oldPath + "/banners/fr.js", "en", "No banner fr.js was served"},
		{"no .js", oldPath + "/banners/" + sum([]byte(oldFR)), "en", "No banner " + sum([]byte(oldFR)) + " was served"},
		{"unknown site, known hash", "/api/v1/sites/nope/revisions/" + old.ID + "/banners/" + sum([]byte(oldFR)) + ".js", "en", "No banner"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := get(t, e.URL+tt.path, http.Header{"Accept-Language": {tt.lang}})
			var body struct{ Error string }
			if res.StatusCode != 404 || res.Header.Get("Content-Type") != "application/json" || json.Unmarshal([]byte(res.body), &body) != nil {
				t.Fatalf("%d %s %s, want a 404 in JSON", res.StatusCode, res.Header.Get("Content-Type"), res.body)
			}
			if !strings.HasPrefix(body.Error, tt.message) {
				t.Errorf("error %q, want %q", body.Error, tt.message)
			}
		})
	}
}

func sum(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}
