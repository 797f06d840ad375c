package web

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"net/http"
	"path"
	"strings"

	"github.com/tdewolff/minify/v2"
	"github.com/tdewolff/minify/v2/css"
	"github.com/tdewolff/minify/v2/js"
)

//go:embed static
var staticFiles embed.FS

// asset is a static file minified once at start, with the hash that versions
// its URL so browsers may cache it for a year.
type asset struct {
	body        []byte
	contentType string
	hash        string
}

// loadAssets minifies every embedded static file: the binary ships readable
// sources and serves small ones, with no build step.
func loadAssets() (map[string]asset, error) {
	m := minify.New()
	m.AddFunc("text/css", css.Minify)
	m.AddFunc("text/javascript", js.Minify)
	entries, err := staticFiles.ReadDir("static")
	if err != nil {
		return nil, err
	}
	out := map[string]asset{}
	for _, e := range entries {
		src, err := staticFiles.ReadFile("static/" + e.Name())
		if err != nil {
			return nil, err
		}
		ct := map[string]string{".css": "text/css", ".js": "text/javascript"}[path.Ext(e.Name())]
		body := src
		if ct != "" {
			if body, err = m.Bytes(ct, src); err != nil {
				return nil, err
			}
		}
		sum := sha256.Sum256(body)
		out[e.Name()] = asset{body: body, contentType: ct + "; charset=utf-8", hash: hex.EncodeToString(sum[:6])}
	}
	return out, nil
}

// assetURL is the versioned URL of a static file, for templates.
func (s *Server) assetURL(name string) string {
	return "/static/" + name + "?v=" + s.assets[name].hash
}

func (s *Server) static(w http.ResponseWriter, r *http.Request) error {
	name := r.PathValue("file")
	a, ok := s.assets[name]
	if !ok || strings.Contains(name, "/") {
		return errorf(http.StatusNotFound, "", "%s", messages.T(s.lang(r, nil), "notfound"))
	}
	h := w.Header()
	etag := `"` + a.hash + `"`
	h.Set("ETag", etag)
	h.Set("Content-Type", a.contentType)
	if r.URL.Query().Get("v") == a.hash {
		h.Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		h.Set("Cache-Control", "public, max-age=300")
	}
	if r.Header.Get("If-None-Match") == etag {
		w.WriteHeader(http.StatusNotModified)
		return nil
	}
	_, err := w.Write(a.body)
	return err
}
