package store

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/charte/charte/internal/proof"
	"github.com/charte/charte/registry"
)

// Every time is stored as TEXT in proof.TimeFormat: fixed width and UTC, so
// text order is time order on both engines and no driver converts it.
func timeText(t time.Time) string { return t.UTC().Format(proof.TimeFormat) }

func parseTime(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	return time.Parse(proof.TimeFormat, s)
}

// encodeSite stores a registry the way the public API shows it.
func encodeSite(s *registry.Site) (string, error) {
	var b bytes.Buffer
	if err := registry.EncodeJSON(&b, s); err != nil {
		return "", err
	}
	return b.String(), nil
}

func decodeSite(doc string) (*registry.Site, error) {
	var s registry.Site
	if err := json.Unmarshal([]byte(doc), &s); err != nil {
		return nil, fmt.Errorf("stored registry: %w", err)
	}
	return &s, nil
}

// scanner is a *sql.Row or *sql.Rows. scanRecord reads the columns in the
// order every query returning records selects them (site_id, seq, id,
// consent_id, time, … as in queries/Consents.sql): a new such query keeps it.
type scanner interface{ Scan(...any) error }

func scanRecord(row scanner) (proof.Record, error) {
	var (
		r             proof.Record
		tm, decisions string
		gpc           int64
	)
	err := row.Scan(&r.SiteID, &r.Seq, &r.ID, &r.ConsentID, &tm, &r.Action, &decisions, &r.Revision,
		&r.Language, &r.Page, &r.IP, &r.UserAgent, &gpc, &r.PrevHash, &r.Hash)
	if err != nil {
		return r, err
	}
	if r.Time, err = parseTime(tm); err != nil {
		return r, fmt.Errorf("record %s/%d: %w", r.SiteID, r.Seq, err)
	}
	if err := json.Unmarshal([]byte(decisions), &r.Decisions); err != nil {
		return r, fmt.Errorf("record %s/%d decisions: %w", r.SiteID, r.Seq, err)
	}
	r.Decisions, r.Services = splitDecisions(r.Decisions)
	r.GPC = gpc != 0
	return r, nil
}

// jsonRow is one consents row as AppendConsents-insert.sql reads it from
// a JSON array. Decisions are JSON text as encoding/json writes them, keys
// sorted, nil as null: the same bytes come back, so the hash verifies.
type jsonRow struct {
	SiteID    string `json:"site_id"`
	Seq       int64  `json:"seq"`
	ID        string `json:"id"`
	ConsentID string `json:"consent_id"`
	Time      string `json:"time"`
	Action    string `json:"action"`
	Decisions string `json:"decisions"`
	Revision  string `json:"revision"`
	Language  string `json:"language"`
	Page      string `json:"page"`
	IP        string `json:"ip"`
	UserAgent string `json:"user_agent"`
	GPC       int    `json:"gpc"`
	PrevHash  string `json:"prev_hash"`
	Hash      string `json:"hash"`
}

// servicePrefix marks, in the decisions column, a record's decisions per
// service: "service:youtube" cannot be a category id (no colon), so the
// consents table keeps its columns and a record without services is stored
// byte for byte as before.
const servicePrefix = "service:"

// joinDecisions is what the decisions column holds: the categories' and,
// under servicePrefix, the services' decisions.
func joinDecisions(r *proof.Record) map[string]bool {
	if len(r.Services) == 0 {
		return r.Decisions
	}
	all := make(map[string]bool, len(r.Decisions)+len(r.Services))
	for k, v := range r.Decisions {
		all[k] = v
	}
	for k, v := range r.Services {
		all[servicePrefix+k] = v
	}
	return all
}

// splitDecisions undoes joinDecisions.
func splitDecisions(all map[string]bool) (decisions, services map[string]bool) {
	for k, v := range all {
		if id, ok := strings.CutPrefix(k, servicePrefix); ok {
			if services == nil {
				services = map[string]bool{}
			}
			services[id] = v
			delete(all, k)
		}
	}
	return all, services
}

func newJSONRow(r *proof.Record) (jsonRow, error) {
	decisions, err := json.Marshal(joinDecisions(r))
	if err != nil {
		return jsonRow{}, err
	}
	gpc := 0
	if r.GPC {
		gpc = 1
	}
	return jsonRow{r.SiteID, r.Seq, r.ID, r.ConsentID, timeText(r.Time), r.Action, string(decisions), r.Revision,
		r.Language, r.Page, r.IP, r.UserAgent, gpc, r.PrevHash, r.Hash}, nil
}

// checkText refuses what PostgreSQL cannot store in TEXT (NUL, invalid
// UTF-8), on both engines so they accept the same records.
func checkText(r *proof.Record) error {
	for _, s := range []string{r.ID, r.SiteID, r.ConsentID, r.Action, r.Revision, r.Language, r.Page, r.IP, r.UserAgent} {
		if !utf8.ValidString(s) || strings.ContainsRune(s, 0) {
			return fmt.Errorf("record %q: a field holds a NUL byte or invalid UTF-8", r.ID)
		}
	}
	for k := range r.Decisions {
		if !utf8.ValidString(k) || strings.ContainsRune(k, 0) {
			return fmt.Errorf("record %q: a decision holds a NUL byte or invalid UTF-8", r.ID)
		}
	}
	return nil
}
