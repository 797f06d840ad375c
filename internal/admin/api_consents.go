package admin

import (
	"github.com/charte/charte/internal/httpx"
	"net/http"
	"strconv"
	"time"

	"github.com/charte/charte/internal/proof"
	"github.com/charte/charte/internal/store"
)

type apiRecordAnswer struct {
	Record proof.Record `json:"record"`
	Chain  chainStatus  `json:"chain"`
}

func (a *Admin) APIRecord(w http.ResponseWriter, r *http.Request) error {
	d, err := a.loadRecord(r)
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, apiRecordAnswer{Record: d.Rec, Chain: d.Chain})
}

type apiVerifyAnswer struct {
	OK    bool         `json:"ok"`
	Count int64        `json:"count"`
	Break *proof.Break `json:"break,omitempty"`
	// Anchor and From are there once records were purged: the chain is
	// verified from record From, which follows the anchor.
	Anchor *proof.Anchor `json:"anchor,omitempty"`
	From   int64         `json:"from,omitempty"`
	Reason string        `json:"reason,omitempty"`
}

// apiVerify walks the chain as the verify page and "charte consents
// verify" do.
func (a *Admin) APIVerify(w http.ResponseWriter, r *http.Request) error {
	s, err := a.draft(r)
	if err != nil {
		return err
	}
	c, err := store.VerifyChain(r.Context(), a.st, s.ID)
	if err != nil {
		return err
	}
	out := apiVerifyAnswer{OK: c.Break == nil, Count: c.Verified, Break: c.Break}
	if !c.Anchor.IsZero() {
		out.Anchor, out.From = &c.Anchor, c.Anchor.Next()
	}
	if c.Break != nil {
		out.Reason = c.Break.Error()
	}
	return httpx.WriteJSON(w, http.StatusOK, out)
}

type apiStatsDay struct {
	Day       string `json:"day"`
	Choices   int    `json:"choices"`
	AcceptAll int    `json:"accept_all"`
	RejectAll int    `json:"reject_all"`
	Custom    int    `json:"custom"`
	GPC       int    `json:"gpc"`
	Withdraw  int    `json:"withdraw"`
}

type apiStatsCategory struct {
	ID      string   `json:"id"`
	Asked   int      `json:"asked"`
	Granted int      `json:"granted"`
	Rate    *float64 `json:"rate"` // granted/asked, null when never asked
}

type apiStatsAnswer struct {
	Site  string `json:"site"`
	Days  int    `json:"days"`
	Since string `json:"since"`
	// DisplaysCounted is false: the banner does not report displays, so
	// "shown" cannot be given; choices are what was recorded.
	DisplaysCounted bool               `json:"displays_counted"`
	Daily           []apiStatsDay      `json:"daily"`
	Total           apiStatsDay        `json:"total"`
	Categories      []apiStatsCategory `json:"categories"`
}

func (a *Admin) APIStats(w http.ResponseWriter, r *http.Request) error {
	days, err := periodOf(r)
	if err != nil {
		return err
	}
	s, err := a.draft(r)
	if err != nil {
		return err
	}
	d, err := a.siteStats(r, s, days, "en")
	if err != nil {
		return err
	}
	out := apiStatsAnswer{Site: s.ID, Days: days, Since: d.Since, Total: apiStatsDay(d.Total), Categories: []apiStatsCategory{}}
	out.Total.Day = ""
	for _, row := range d.Rows {
		out.Daily = append(out.Daily, apiStatsDay(row))
	}
	for _, c := range d.Categories {
		ac := apiStatsCategory{ID: c.ID, Asked: c.Asked, Granted: c.Granted}
		if c.Asked > 0 {
			rate := float64(c.Granted) / float64(c.Asked)
			ac.Rate = &rate
		}
		out.Categories = append(out.Categories, ac)
	}
	return httpx.WriteJSON(w, http.StatusOK, out)
}

type apiAuditEntry struct {
	ID     int64          `json:"id"`
	Time   time.Time      `json:"time"`
	Who    string         `json:"who"`
	Site   string         `json:"site,omitempty"`
	Action string         `json:"action"`
	Detail map[string]any `json:"detail,omitempty"`
	IP     string         `json:"ip"`
}

type apiAuditAnswer struct {
	Entries []apiAuditEntry `json:"entries"`
	// Next is the "before" of the next page, 0 on the last one.
	Next int64 `json:"next"`
}

func (a *Admin) APIAudit(w http.ResponseWriter, r *http.Request) error {
	q := store.AuditQuery{SiteID: r.URL.Query().Get("site"), Limit: 100}
	if b := r.URL.Query().Get("before"); b != "" {
		var err error
		if q.Before, err = strconv.ParseInt(b, 10, 64); err != nil || q.Before < 0 {
			return &httpError{status: http.StatusBadRequest, key: "error.after", field: "before"}
		}
	}
	entries, err := a.st.Audit(r.Context(), q)
	if err != nil {
		return err
	}
	out := apiAuditAnswer{Entries: []apiAuditEntry{}}
	for _, e := range entries {
		out.Entries = append(out.Entries, apiAuditEntry{e.ID, e.Time.UTC(), e.Email, e.SiteID, e.Action, e.Detail, e.IP})
	}
	if len(entries) == q.Limit {
		out.Next = entries[len(entries)-1].ID
	}
	return httpx.WriteJSON(w, http.StatusOK, out)
}
