package web

import (
	"embed"
	"net/http"

	"github.com/charte/charte/internal/i18n"
)

//go:embed static
var staticFiles embed.FS

func (s *Server) static(w http.ResponseWriter, r *http.Request) error {
	if !s.assets.Serve(w, r, r.PathValue("file")) {
		return errorf(http.StatusNotFound, "", "%s", i18n.T(s.lang(r, nil), "web.notfound"))
	}
	return nil
}
