package assets

import (
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"
)

func TestLoadAndServe(t *testing.T) {
	fsys := fstest.MapFS{
		"static/site.css": {Data: []byte("body {\n  color : red ;\n}\n")},
		"static/app.js":   {Data: []byte("// a comment\nconst answer = 40 + 2;\n")},
	}
	s, err := Load(fsys, "static", "/static/")
	if err != nil {
		t.Fatal(err)
	}
	url := s.URL("site.css")
	if !strings.HasPrefix(url, "/static/site.css?v=") || len(url) != len("/static/site.css?v=")+12 {
		t.Fatalf("URL %q", url)
	}
	tests := []struct {
		name, target, ifNoneMatch, wantBody, wantType, wantCache string
		status                                                   int
	}{
		{"minified css, versioned", url, "", "body{color:red}", "text/css; charset=utf-8", "immutable", 200},
		{"minified js, unversioned", "/static/app.js", "", "const answer=40+2", "text/javascript; charset=utf-8", "max-age=300", 200},
		{"revalidated", url, `"` + s.files["site.css"].hash + `"`, "", "", "", 304},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := httptest.NewRecorder()
			r := httptest.NewRequest("GET", tt.target, nil)
			if tt.ifNoneMatch != "" {
				r.Header.Set("If-None-Match", tt.ifNoneMatch)
			}
			name := strings.TrimPrefix(strings.SplitN(tt.target, "?", 2)[0], "/static/")
			if !s.Serve(w, r, name) {
				t.Fatal("not served")
			}
			if w.Code != tt.status || !strings.Contains(w.Body.String(), tt.wantBody) ||
				!strings.Contains(w.Header().Get("Content-Type"), tt.wantType) || !strings.Contains(w.Header().Get("Cache-Control"), tt.wantCache) {
				t.Errorf("got %d %q %q %q", w.Code, w.Body.String(), w.Header().Get("Content-Type"), w.Header().Get("Cache-Control"))
			}
		})
	}
	if s.Serve(httptest.NewRecorder(), httptest.NewRequest("GET", "/static/nope.css", nil), "nope.css") {
		t.Error("served a file the set does not hold")
	}
}
