package store_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/charte/charte/internal/store"
	"github.com/charte/charte/internal/store/storetest"
)

func TestBannerEscrow(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		site := savedSite(t, s)
		rev, err := s.Publish(ctx, site.ID)
		if err != nil {
			t.Fatal(err)
		}
		// Bytes a text column could alter: a NUL, non-ASCII, invalid UTF-8.
		fr := []byte("/* v1 */ var a = \"Tout accepter\"; \x00 é \xff")
		en := []byte("/* v1 */ var a = \"Accept all\";")
		at := time.Date(2026, 11, 28, 10, 0, 0, 123456000, time.UTC)
		b := store.EscrowedBanner{SiteID: site.ID, Revision: rev.ID, Lang: "fr", Version: "v1.0.0", FirstServed: at, Script: fr}

		// Concurrent first servings, as on several nodes: one stores.
		var wg sync.WaitGroup
		var mu sync.Mutex
		stored, failed := 0, 0
		for range 16 {
			wg.Go(func() {
				ok, err := s.EscrowBanner(ctx, b)
				mu.Lock()
				defer mu.Unlock()
				if err != nil {
					failed++
					t.Errorf("EscrowBanner: %v", err)
				} else if ok {
					stored++
				}
			})
		}
		wg.Wait()
		if stored != 1 || failed != 0 {
			t.Fatalf("16 concurrent escrows: %d stored, %d failed; want 1 and 0", stored, failed)
		}
		// Later: the same bytes again keep the first serving; an upgrade that
		// builds other bytes adds a row beside them.
		later := b
		later.FirstServed, later.Version = at.Add(time.Hour), "v2.0.0"
		if ok, err := s.EscrowBanner(ctx, later); ok || err != nil {
			t.Errorf("escrowing the same bytes again: %v, %v; want false, nil", ok, err)
		}
		upgraded := later
		upgraded.Script = []byte("/* v2 */ var a = \"Tout accepter\";")
		english := b
		english.Lang, english.Script = "en", en
		for _, e := range []store.EscrowedBanner{upgraded, english} {
			if ok, err := s.EscrowBanner(ctx, e); !ok || err != nil {
				t.Errorf("escrow %s %s: %v, %v; want true, nil", e.Lang, e.Version, ok, err)
			}
		}

		list, err := s.BannerEscrow(ctx, site.ID, rev.ID)
		if err != nil {
			t.Fatal(err)
		}
		want := []struct {
			lang, version string
			at            time.Time
			script        []byte
		}{
			{"en", "v1.0.0", at, en},
			{"fr", "v1.0.0", at, fr},
			{"fr", "v2.0.0", at.Add(time.Hour), upgraded.Script},
		}
		if len(list) != len(want) {
			t.Fatalf("BannerEscrow lists %d scripts, want %d: %+v", len(list), len(want), list)
		}
		for i, w := range want {
			got := list[i]
			if got.Lang != w.lang || got.Version != w.version || !got.FirstServed.Equal(w.at) || got.SHA256 != sha(w.script) ||
				got.Size != len(w.script) || got.Script != nil || got.SiteID != site.ID || got.Revision != rev.ID {
				t.Errorf("escrow %d = %+v, want %s %s %v sha %s, %d bytes, no script", i, got, w.lang, w.version, w.at, sha(w.script), len(w.script))
			}
			full, err := s.BannerScript(ctx, site.ID, rev.ID, got.SHA256)
			if err != nil || !bytes.Equal(full.Script, w.script) || full.Lang != w.lang || full.Version != w.version || !full.FirstServed.Equal(w.at) {
				t.Errorf("BannerScript(%s) = %q %s %s, %v; want the bytes %q", got.SHA256, full.Script, full.Lang, full.Version, err, w.script)
			}
		}
	})
}

func TestBannerEscrowNotFound(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		site := savedSite(t, s)
		rev, err := s.Publish(ctx, site.ID)
		if err != nil {
			t.Fatal(err)
		}
		script := []byte("x")
		if _, err := s.EscrowBanner(ctx, store.EscrowedBanner{SiteID: site.ID, Revision: rev.ID, Lang: "fr", Version: "(devel)", FirstServed: time.Now(), Script: script}); err != nil {
			t.Fatal(err)
		}
		tests := []struct {
			name, site, revision, sha string
		}{
			{"unknown hash", site.ID, rev.ID, sha([]byte("y"))},
			{"unknown revision", site.ID, "ffffffffffffffff", sha(script)},
			{"unknown site", "nowhere", rev.ID, sha(script)},
		}
		for _, tt := range tests {
			if _, err := s.BannerScript(ctx, tt.site, tt.revision, tt.sha); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("BannerScript, %s: err = %v, want ErrNotFound", tt.name, err)
			}
			if tt.revision != rev.ID || tt.site != site.ID {
				if list, err := s.BannerEscrow(ctx, tt.site, tt.revision); err != nil || len(list) != 0 {
					t.Errorf("BannerEscrow, %s: %v, %v; want nothing", tt.name, list, err)
				}
				b := store.EscrowedBanner{SiteID: tt.site, Revision: tt.revision, Lang: "fr", Version: "(devel)", FirstServed: time.Now(), Script: script}
				if _, err := s.EscrowBanner(ctx, b); !errors.Is(err, store.ErrNotFound) {
					t.Errorf("EscrowBanner, %s: err = %v, want ErrNotFound", tt.name, err)
				}
			}
		}
	})
}

func sha(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}
