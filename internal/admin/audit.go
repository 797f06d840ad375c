package admin

import (
	"encoding/json"
	"net/http"
	"strconv"

	"github.com/charte/charte/internal/auth"
	"github.com/charte/charte/internal/store"
)

type auditData struct {
	Entries []auth.AuditEntry
	Site    string
	Next    int64
}

// auditLog is for owners and admins, who act on every site anyway.
func (a *Admin) AuditLog(w http.ResponseWriter, r *http.Request) error {
	q := store.AuditQuery{SiteID: r.URL.Query().Get("site"), Limit: 100}
	if b := r.URL.Query().Get("before"); b != "" {
		var err error
		if q.Before, err = strconv.ParseInt(b, 10, 64); err != nil {
			return errorf(http.StatusBadRequest, "error.after")
		}
	}
	entries, err := a.st.Audit(r.Context(), q)
	if err != nil {
		return err
	}
	d := auditData{Entries: entries, Site: q.SiteID}
	if len(entries) == q.Limit {
		d.Next = entries[len(entries)-1].ID
	}
	p := a.newPage(w, r, "audit.title")
	p.Data = d
	return a.render(w, "audit", p)
}

func detailText(m map[string]any) string {
	if len(m) == 0 {
		return ""
	}
	b, _ := json.Marshal(m)
	return string(b)
}
