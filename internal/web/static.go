package web

import (
	"embed"
	"net/http"
)

//go:embed static
var staticFiles embed.FS

func (s *Server) static(w http.ResponseWriter, r *http.Request) error {
	if !s.assets.Serve(w, r, r.PathValue("file")) {
		return errorf(http.StatusNotFound, "", "%s", messages.T(s.lang(r, nil), "notfound"))
	}
	return nil
}
