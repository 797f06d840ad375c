package web

import (
	"github.com/charte/charte/internal/i18n"
	"net/http"
	"strings"
)

// readyz tells a load balancer or an orchestrator whether this node may take
// traffic: its database answers and holds every migration this binary
// expects. /healthz says only that the process serves (a liveness probe); a
// node whose database is down or behind is alive but not ready, and
// restarting it would not help.
func (s *Server) readyz(w http.ResponseWriter, r *http.Request) error {
	lang := s.lang(r, nil)
	pending, err := s.store.Pending(r.Context())
	if err != nil {
		s.log.Warn("readyz: database unreachable", "err", err)
		return errorf(http.StatusServiceUnavailable, "", "%s", i18n.Admin(lang, "ready.database"))
	}
	if len(pending) > 0 {
		return errorf(http.StatusServiceUnavailable, "", "%s", i18n.Admin(lang, "ready.pending", "Migrations", strings.Join(pending, ", ")))
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	_, err = w.Write([]byte("ready\n"))
	return err
}
