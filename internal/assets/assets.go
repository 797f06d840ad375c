// Package assets serves a web package's embedded static files: minified once
// at start from the readable sources in the binary (no build step), under
// URLs versioned by a content hash so browsers may keep them for a year.
package assets

import (
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"net/http"
	"path"

	"github.com/tdewolff/minify/v2"
	"github.com/tdewolff/minify/v2/css"
	"github.com/tdewolff/minify/v2/js"
)

// Set is the static files of one directory, served under one URL prefix.
type Set struct {
	prefix string
	files  map[string]file
}

type file struct {
	body        []byte
	contentType string
	hash        string
}

var contentTypes = map[string]string{".css": "text/css", ".js": "text/javascript", ".svg": "image/svg+xml"}

// Load reads every file of dir in fsys, minifying CSS and JavaScript, for
// serving under prefix ("/static/").
func Load(fsys fs.FS, dir, prefix string) (*Set, error) {
	m := minify.New()
	m.AddFunc("text/css", css.Minify)
	m.AddFunc("text/javascript", js.Minify)
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, err
	}
	s := &Set{prefix: prefix, files: map[string]file{}}
	for _, e := range entries {
		body, err := fs.ReadFile(fsys, path.Join(dir, e.Name()))
		if err != nil {
			return nil, err
		}
		ct := contentTypes[path.Ext(e.Name())]
		if ct == "text/css" || ct == "text/javascript" {
			if body, err = m.Bytes(ct, body); err != nil {
				return nil, err
			}
		}
		if ct == "" {
			ct = http.DetectContentType(body)
		} else {
			ct += "; charset=utf-8"
		}
		sum := sha256.Sum256(body)
		s.files[e.Name()] = file{body: body, contentType: ct, hash: hex.EncodeToString(sum[:6])}
	}
	return s, nil
}

// URL is the versioned URL of a file, for templates.
func (s *Set) URL(name string) string {
	return s.prefix + name + "?v=" + s.files[name].hash
}

// Serve writes the named file, with a year of cache when the request names
// its current version; it reports false for a file the set does not hold.
func (s *Set) Serve(w http.ResponseWriter, r *http.Request, name string) bool {
	f, ok := s.files[name]
	if !ok {
		return false
	}
	h := w.Header()
	etag := `"` + f.hash + `"`
	h.Set("ETag", etag)
	h.Set("Content-Type", f.contentType)
	if r.URL.Query().Get("v") == f.hash {
		h.Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		h.Set("Cache-Control", "public, max-age=300")
	}
	if r.Header.Get("If-None-Match") == etag {
		w.WriteHeader(http.StatusNotModified)
		return true
	}
	w.Write(f.body)
	return true
}
