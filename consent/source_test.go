package consent

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/charte/charte/internal/demo"
	"github.com/charte/charte/registry"
)

func siteJSON(t *testing.T, site *registry.Site) []byte {
	var b bytes.Buffer
	if err := registry.EncodeJSON(&b, site); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestParseRegistry(t *testing.T) {
	site := demo.Site("demo")
	bare := siteJSON(t, site)
	wrapped, _ := json.Marshal(map[string]any{"site": json.RawMessage(bare), "revision": "00ff", "published_at": "2026-01-01T00:00:00Z"})
	unrevised, _ := json.Marshal(map[string]any{"site": json.RawMessage(bare)})
	var yaml bytes.Buffer
	registry.EncodeYAML(&yaml, site)
	tests := []struct {
		name, data, revision, err string
	}{
		{name: "bare JSON", data: string(bare), revision: site.Revision()},
		{name: "YAML", data: yaml.String(), revision: site.Revision()},
		{name: "server answer keeps the published revision", data: string(wrapped), revision: "00ff"},
		{name: "server answer without revision", data: string(unrevised), revision: site.Revision()},
		{name: "bad revision", data: `{"site": ` + string(bare) + `, "revision": "ZZ"}`, err: "revision"},
		{name: "invalid site", data: `{"site": {"id": "x"}}`, err: "registry"},
		{name: "not JSON", data: `{"site": `, err: "registry JSON"},
		{name: "too large", data: strings.Repeat(" ", registry.MaxFileSize+65<<10), err: "larger"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			reg, err := ParseRegistry([]byte(tt.data))
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("err = %v, want one mentioning %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if reg.Site.ID != "demo" || reg.Revision != tt.revision {
				t.Errorf("got site %q revision %q, want demo %q", reg.Site.ID, reg.Revision, tt.revision)
			}
		})
	}
}

// A charte server answering with ETags: the source asks with If-None-Match,
// swaps in a new registry, and keeps the last good one when the server fails.
func TestServerSource(t *testing.T) {
	site := demo.Site("demo")
	var body atomic.Value
	body.Store(siteJSON(t, site))
	var down, notModified atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/api/v1/sites/demo/cookies" {
			http.NotFound(w, r)
			return
		}
		if down.Load() == 1 {
			http.Error(w, "down", http.StatusServiceUnavailable)
			return
		}
		b := body.Load().([]byte)
		etag := `"` + fmt.Sprintf("%x", sha256.Sum256(b))[:16] + `"`
		if r.Header.Get("If-None-Match") == etag {
			notModified.Add(1)
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", etag)
		w.Write(b)
	}))
	defer srv.Close()
	src, err := NewServerSource(srv.URL, "demo", nil, discard)
	if err != nil {
		t.Fatal(err)
	}
	first := src.Registry()
	ctx := context.Background()
	if err := src.Refresh(ctx); err != nil || notModified.Load() != 1 || src.Registry() != first {
		t.Fatalf("unchanged registry: err %v, 304s %d", err, notModified.Load())
	}
	site.Name = "Renamed"
	body.Store(siteJSON(t, site))
	if err := src.Refresh(ctx); err != nil || src.Registry().Revision != site.Revision() || src.Registry().Revision == first.Revision {
		t.Fatalf("changed registry not picked up: %v", err)
	}
	good := src.Registry()
	down.Store(1)
	if err := src.Refresh(ctx); err == nil || src.Registry() != good {
		t.Fatalf("server down: err %v; the last good registry must stay", err)
	}
	srv.Close()
	if err := src.Refresh(ctx); err == nil || src.Registry() != good {
		t.Fatal("server gone: the last good registry must stay")
	}
	if _, err := NewServerSource(srv.URL, "demo", nil, discard); err == nil {
		t.Error("starting without any registry must fail")
	}
}

func TestFileSource(t *testing.T) {
	site := demo.Site("demo")
	path := filepath.Join(t.TempDir(), "demo.json")
	os.WriteFile(path, siteJSON(t, site), 0o600)
	if _, err := NewFileSource(path, "other", discard); err == nil || !strings.Contains(err.Error(), `"other"`) {
		t.Errorf("site id mismatch: %v", err)
	}
	src, err := NewFileSource(path, "demo", discard)
	if err != nil {
		t.Fatal(err)
	}
	first := src.Registry()
	os.WriteFile(path, []byte("id: [broken"), 0o600)
	if err := src.Refresh(context.Background()); err == nil || src.Registry() != first {
		t.Errorf("broken file: err %v; the last good registry must stay", err)
	}
	site.Name = "Renamed"
	os.WriteFile(path, siteJSON(t, site), 0o600)
	if err := src.Refresh(context.Background()); err != nil || src.Registry().Revision != site.Revision() {
		t.Errorf("fixed file not picked up: %v", err)
	}
}
