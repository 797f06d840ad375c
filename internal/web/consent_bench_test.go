package web_test

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"github.com/charte/charte/internal/store"
	"github.com/charte/charte/internal/web"
)

// BenchmarkConsentPost measures durable consent writes through HTTP on
// loopback, against a SQLite file with synchronous=FULL: each 201 is on disk.
func BenchmarkConsentPost(b *testing.B) {
	st, err := store.Open(context.Background(), "sqlite:"+filepath.Join(b.TempDir(), "bench.db"))
	if err != nil {
		b.Fatal(err)
	}
	if _, err := st.Migrate(context.Background()); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	a := startAPIServer(b, st, web.Config{})
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 256}}
	b.SetParallelism(32)
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		id := make([]byte, 16)
		for pb.Next() {
			rand.Read(id)
			body := consentBody(base64.RawURLEncoding.EncodeToString(id), a.rev, "reject_all", false, false)
			req, _ := http.NewRequest("POST", a.URL+"/api/v1/sites/demo/consents", strings.NewReader(body))
			req.Header.Set("Origin", siteOrigin)
			req.Header.Set("Content-Type", "application/json")
			resp, err := client.Do(req)
			if err != nil {
				b.Fatal(err)
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusCreated {
				b.Fatalf("status %d", resp.StatusCode)
			}
		}
	})
}
