package web_test

import (
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"

	"github.com/charte/charte/internal/store"
	"github.com/charte/charte/internal/store/storetest"
	"github.com/charte/charte/internal/web"
)

// /readyz answers 200 only when the database answers and holds every
// migration; /healthz stays 200 whenever the process serves.
func TestReadyz(t *testing.T) {
	engines := []struct {
		name  string
		empty func(t *testing.T) string // DSN of an empty, unmigrated database
		ready func(t *testing.T) store.Store
	}{
		{"sqlite", func(t *testing.T) string { return "sqlite:" + filepath.Join(t.TempDir(), "empty.db") }, func(t *testing.T) store.Store { return storetest.New(t) }},
		{"postgres", func(t *testing.T) string { return storetest.PostgresDSN(t) }, func(t *testing.T) store.Store { return storetest.NewPostgres(t) }},
	}
	for _, e := range engines {
		t.Run(e.name, func(t *testing.T) {
			for _, tt := range []struct {
				name   string
				store  func(t *testing.T) store.Store
				lang   string
				status int
				want   string
			}{
				{"migrated", e.ready, "en", 200, "ready\n"},
				{"never migrated, en", func(t *testing.T) store.Store {
					st, err := store.Open(context.Background(), e.empty(t))
					if err != nil {
						t.Fatal(err)
					}
					t.Cleanup(func() { st.Close() })
					return st
				}, "en", 503, "The database has pending migrations (charte db migrate): 2026-11-28-0001-init, "},
				{"never migrated, fr", func(t *testing.T) store.Store {
					st, err := store.Open(context.Background(), e.empty(t))
					if err != nil {
						t.Fatal(err)
					}
					t.Cleanup(func() { st.Close() })
					return st
				}, "fr", 503, "La base de données attend des migrations (charte db migrate) : 2026-11-28-0001-init, "},
				{"database gone", func(t *testing.T) store.Store {
					st := e.ready(t)
					st.Close()
					return st
				}, "fr", 503, "La base de données ne répond pas."},
			} {
				t.Run(tt.name, func(t *testing.T) {
					st := tt.store(t)
					srv, err := web.New(web.Config{BaseURL: &url.URL{Scheme: "http", Host: "charte.test"}}, st, slog.New(slog.NewTextHandler(io.Discard, nil)))
					if err != nil {
						t.Fatal(err)
					}
					ts := httptest.NewServer(srv.Handler())
					t.Cleanup(func() { ts.Close(); srv.Close() })
					resp, body := get(t, ts.URL+"/readyz", map[string]string{"Accept-Language": tt.lang})
					if resp.StatusCode != tt.status || !strings.Contains(body, tt.want) {
						t.Errorf("/readyz: %d, want %d with %q\n%s", resp.StatusCode, tt.status, tt.want, body)
					}
					if resp.Header.Get("Cache-Control") != "no-store" && tt.status == 200 {
						t.Errorf("/readyz Cache-Control %q, want no-store", resp.Header.Get("Cache-Control"))
					}
				})
			}
		})
	}
}
