package admin

import (
	"encoding/csv"
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/charte/charte/internal/httpx"
	"github.com/charte/charte/internal/proof"
	"github.com/charte/charte/internal/store"
)

const pageSize = 50

type consentFilter struct {
	Since, Until     string // YYYY-MM-DD, as typed
	Action, Revision string
	After            int64 // keyset: records after this seq
}

type consentData struct {
	F       consentFilter
	Records []proof.Record
	Next    int64 // seq to continue from, 0 when this is the last page
	Actions []string
}

// filter reads the query; a malformed date is a 400 naming the field.
func readFilter(r *http.Request) (consentFilter, time.Time, time.Time, error) {
	q := r.URL.Query()
	f := consentFilter{Since: q.Get("since"), Until: q.Get("until"), Action: q.Get("action"), Revision: q.Get("revision")}
	var since, until time.Time
	var err error
	if f.Since != "" {
		if since, err = time.Parse("2006-01-02", f.Since); err != nil {
			return f, since, until, &httpError{status: http.StatusBadRequest, key: "error.date", args: []any{"Field", "since"}, field: "since"}
		}
	}
	if f.Until != "" {
		if until, err = time.Parse("2006-01-02", f.Until); err != nil {
			return f, since, until, &httpError{status: http.StatusBadRequest, key: "error.date", args: []any{"Field", "until"}, field: "until"}
		}
		until = until.AddDate(0, 0, 1) // the whole day
	}
	if a := q.Get("after"); a != "" {
		if f.After, err = strconv.ParseInt(a, 10, 64); err != nil || f.After < 0 {
			return f, since, until, &httpError{status: http.StatusBadRequest, key: "error.after", field: "after"}
		}
	}
	if f.Action != "" && !slices.Contains(proof.Actions, f.Action) {
		return f, since, until, &httpError{status: http.StatusBadRequest, key: "error.action", args: []any{"Action", f.Action}, field: "action"}
	}
	return f, since, until, nil
}

func (f consentFilter) match(rec proof.Record) bool {
	return rec.Seq > f.After && (f.Action == "" || rec.Action == f.Action) && (f.Revision == "" || rec.Revision == f.Revision)
}

// consentLog pages through the records in chain order, oldest first, by
// seq (keyset pagination in SQL): a page stays the same however many
// choices arrive meanwhile, and costs the same deep in a long log.
func (a *Admin) ConsentLog(w http.ResponseWriter, r *http.Request) error {
	f, since, until, err := readFilter(r)
	if err != nil {
		return err
	}
	p, err := a.sitePage(w, r, "consents.title")
	if err != nil {
		return err
	}
	d := consentData{F: f, Actions: proof.Actions}
	// One more than a page tells whether there is a next page.
	d.Records, err = a.st.ConsentPage(r.Context(), store.ConsentQuery{SiteID: p.Site.ID, Since: since, Until: until,
		Action: f.Action, Revision: f.Revision, After: f.After, Limit: pageSize + 1})
	if err != nil {
		return err
	}
	if len(d.Records) > pageSize {
		d.Records = d.Records[:pageSize]
		d.Next = d.Records[pageSize-1].Seq
	}
	p.Data = d
	return a.render(w, "consents", p)
}

// stream sends the matching records to emit, the site being checked by the
// route's permission: the id in the URL is the only one ever read.
func (a *Admin) stream(r *http.Request, emit func(proof.Record) error) error {
	f, since, until, err := readFilter(r)
	if err != nil {
		return err
	}
	if _, err := a.draft(r); err != nil {
		return err
	}
	return a.st.Consents(r.Context(), r.PathValue("site"), since, until, func(rec proof.Record) error {
		if !f.match(rec) {
			return nil
		}
		return emit(rec)
	})
}

var csvHeader = []string{"seq", "id", "consent_id", "time", "action", "decisions", "revision", "language", "page", "ip", "user_agent", "gpc", "prev_hash", "hash"}

// exportCSV streams the proof: nothing is held in memory, so a year of
// records exports as easily as a day.
func (a *Admin) ExportCSV(w http.ResponseWriter, r *http.Request) error {
	if _, err := a.draft(r); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+r.PathValue("site")+`-consents.csv"`)
	cw := csv.NewWriter(w)
	cw.Write(csvHeader)
	a.audit(r, r.PathValue("site"), "consents.export", map[string]any{"format": "csv", "query": r.URL.RawQuery})
	err := a.stream(r, func(rec proof.Record) error {
		dec, _ := json.Marshal(rec.Decisions)
		return cw.Write([]string{strconv.FormatInt(rec.Seq, 10), rec.ID, rec.ConsentID, rec.Time.UTC().Format(proof.TimeFormat),
			rec.Action, string(dec), rec.Revision, rec.Language, rec.Page, rec.IP, rec.UserAgent,
			strconv.FormatBool(rec.GPC), rec.PrevHash, rec.Hash})
	})
	cw.Flush()
	if err != nil {
		// Headers are gone: the truncated file must not look complete.
		a.log.Error("consent export interrupted", "site", r.PathValue("site"), "err", err)
		panic(http.ErrAbortHandler)
	}
	return cw.Error()
}

// exportJSON streams a JSON array, one record per line; it also answers
// GET /api/v1/sites/{site}/consents for scripts and browser calls.
func (a *Admin) ExportJSON(w http.ResponseWriter, r *http.Request) error {
	if _, err := a.draft(r); err != nil {
		return err
	}
	if _, _, _, err := readFilter(r); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/json")
	if !httpx.IsAPI(r) {
		w.Header().Set("Content-Disposition", `attachment; filename="`+r.PathValue("site")+`-consents.json"`)
	}
	a.audit(r, r.PathValue("site"), "consents.export", map[string]any{"format": "json", "query": r.URL.RawQuery})
	sep := "[\n"
	err := a.stream(r, func(rec proof.Record) error {
		b, err := json.Marshal(rec)
		if err != nil {
			return err
		}
		_, err = w.Write([]byte(sep + string(b)))
		sep = ",\n"
		return err
	})
	if err != nil {
		a.log.Error("consent export interrupted", "site", r.PathValue("site"), "err", err)
		panic(http.ErrAbortHandler)
	}
	if sep == "[\n" {
		_, err = w.Write([]byte("[]\n"))
	} else {
		_, err = w.Write([]byte("\n]\n"))
	}
	return err
}

// verifyChain walks the whole chain, from its purge anchor, and checks it
// against its head, as "charte consents verify" does.
func (a *Admin) VerifyChain(w http.ResponseWriter, r *http.Request) error {
	p, err := a.sitePage(w, r, "verify.title")
	if err != nil {
		return err
	}
	p.Data, err = proof.VerifyChain(r.Context(), a.st, p.Site.ID)
	if err != nil {
		return err
	}
	return a.render(w, "verify", p)
}

func decisions(m map[string]bool) string {
	var parts []string
	for k, v := range m {
		parts = append(parts, k+"="+strconv.FormatBool(v))
	}
	slices.Sort(parts)
	return strings.Join(parts, " ")
}
