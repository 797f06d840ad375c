package store

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"

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

// recordColumns is the column order of every query that returns records.
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
	r.GPC = gpc != 0
	return r, nil
}

// recordArgs is the argument list of AppendConsents-insert.sql. Decisions
// are JSON as encoding/json writes them, keys sorted, nil as null: the
// same bytes come back, so the hash still verifies.
func recordArgs(r *proof.Record) ([]any, error) {
	decisions, err := json.Marshal(r.Decisions)
	if err != nil {
		return nil, err
	}
	gpc := 0
	if r.GPC {
		gpc = 1
	}
	return []any{r.SiteID, r.Seq, r.ID, r.ConsentID, timeText(r.Time), r.Action, string(decisions), r.Revision,
		r.Language, r.Page, r.IP, r.UserAgent, gpc, r.PrevHash, r.Hash}, nil
}
