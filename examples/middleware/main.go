// Command middleware is a small Go web app whose cookies are enforced by
// charte's consent middleware: it sets a session cookie (necessary, always
// kept) and a Matomo-style statistics cookie (kept only for visitors who
// accepted statistics), and skips its tracking work for the others.
//
//	go run ./examples/middleware -registry internal/demo/demo.yaml
//	curl -i http://127.0.0.1:8090/   # no choice: only sessionid comes back
package main

import (
	"flag"
	"fmt"
	"log"
	"net/http"
	"time"

	"github.com/charte/charte/consent"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

func main() {
	addr := flag.String("listen", "127.0.0.1:8090", "address to listen on")
	file := flag.String("registry", "internal/demo/demo.yaml", "the site's charte registry (YAML or JSON)")
	banner := flag.String("banner", "http://127.0.0.1:8080/sites/demo/banner.js", "the banner script served by charte")
	flag.Parse()

	// A file source reloads the registry when it changes; a charte server
	// source (consent.NewServerSource) would follow the back office instead.
	src, err := consent.NewFileSource(*file, "", nil)
	if err != nil {
		log.Fatal(err)
	}
	metrics := prometheus.NewRegistry()
	enforce, err := consent.Middleware(src, consent.Options{
		Undeclared: consent.Block,
		Metrics:    metrics,
		Context:    true, // this app asks consent.FromContext what it may do
	})
	if err != nil {
		log.Fatal(err)
	}

	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		// The app sets its cookies as if nothing stood in the way: the
		// middleware removes those the visitor did not accept.
		http.SetCookie(w, &http.Cookie{Name: "sessionid", Value: "s-123", Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode})
		http.SetCookie(w, &http.Cookie{Name: "_pk_id.1.abcd", Value: "visitor-42", Path: "/", HttpOnly: true, MaxAge: 395 * 24 * 3600})

		visitor := consent.FromContext(r.Context())
		if visitor.Allowed("statistics") {
			recordVisit(r.URL.Path) // tracking work only for those who accepted it
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<!doctype html><html lang="fr"><head><title>Exemple</title>
<script src="%s" defer></script></head>
<body><h1>Exemple / Example</h1>
<p>Statistiques autorisées / statistics allowed: %v</p>
<p><button data-charte-open>Gérer mes cookies / Manage my cookies</button></p></body></html>`,
			*banner, visitor.Allowed("statistics"))
	})
	mux.Handle("GET /metrics", promhttp.HandlerFor(metrics, promhttp.HandlerOpts{}))

	srv := &http.Server{Addr: *addr, Handler: enforce(mux), ReadHeaderTimeout: 5 * time.Second}
	log.Printf("listening on http://%s", *addr)
	log.Fatal(srv.ListenAndServe())
}

func recordVisit(path string) { log.Printf("visit %s counted", path) }
