// Package proof keeps the evidence of consent (GDPR art. 7(1)): append-only
// records, hash-chained per site so that an altered, removed or reordered
// record is detected, and the batching that makes each write durable before
// it is acknowledged.
package proof

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"time"
)

// Actions a visitor can take.
const (
	AcceptAll = "accept_all"
	RejectAll = "reject_all"
	Custom    = "custom"
	Withdraw  = "withdraw"
	GPC       = "gpc"
)

// Actions lists the valid actions.
var Actions = []string{AcceptAll, RejectAll, Custom, Withdraw, GPC}

// TimeFormat is how times are stored and hashed: fixed width, UTC, so that
// text order is time order on every engine.
const TimeFormat = "2006-01-02T15:04:05.000000Z"

// Record is one visitor's choice as the server received it.
type Record struct {
	// ID is made by the browser so that a resend is recognised, not doubled.
	ID        string `json:"id"`
	SiteID    string `json:"site"`
	ConsentID string `json:"consent_id"`
	// Seq is the record's position in its site's chain, from 1.
	Seq       int64           `json:"seq"`
	Time      time.Time       `json:"time"`
	Action    string          `json:"action"`
	Decisions map[string]bool `json:"decisions"`
	// Services are the decisions per service (registry.Service) of a site
	// with services: every service needing consent, granted or not. Absent
	// in records of sites without services and in records made before
	// services existed, where each service followed its category.
	Services map[string]bool `json:"services,omitempty"`
	Revision string          `json:"revision"`
	Language string          `json:"language"`
	Page     string          `json:"page"`
	// IP is truncated to its /24 (IPv4) or /48 (IPv6) network.
	IP        string `json:"ip"`
	UserAgent string `json:"user_agent,omitempty"`
	GPC       bool   `json:"gpc"`
	PrevHash  string `json:"prev_hash"`
	Hash      string `json:"hash"`

	// Created is what an append says of the record it returns: true when
	// this append stored it, false when it is the record stored earlier
	// under the same ID (a browser's resend). It is not part of the proof:
	// neither hashed, stored nor exported.
	Created bool `json:"-"`
}

// canonical is the hashed form: every field but the hash itself, in a fixed
// order, times in TimeFormat. encoding/json sorts the decision keys.
func (r *Record) canonical() []byte {
	b, err := json.Marshal(struct {
		ID        string          `json:"id"`
		SiteID    string          `json:"site"`
		ConsentID string          `json:"consent_id"`
		Seq       int64           `json:"seq"`
		Time      string          `json:"time"`
		Action    string          `json:"action"`
		Decisions map[string]bool `json:"decisions"`
		// omitempty: a record without services hashes as it always did.
		Services  map[string]bool `json:"services,omitempty"`
		Revision  string          `json:"revision"`
		Language  string          `json:"language"`
		Page      string          `json:"page"`
		IP        string          `json:"ip"`
		UserAgent string          `json:"user_agent"`
		GPC       bool            `json:"gpc"`
		PrevHash  string          `json:"prev_hash"`
	}{r.ID, r.SiteID, r.ConsentID, r.Seq, r.Time.UTC().Format(TimeFormat), r.Action, r.Decisions, r.Services,
		r.Revision, r.Language, r.Page, r.IP, r.UserAgent, r.GPC, r.PrevHash})
	if err != nil {
		panic("proof: a Record always marshals: " + err.Error())
	}
	return b
}

// ComputeHash returns the hash that chains r after its PrevHash.
func (r *Record) ComputeHash() string {
	sum := sha256.Sum256(r.canonical())
	return hex.EncodeToString(sum[:])
}

// Chain sets r's position after prev (nil for the first record of a site) and
// computes its hash. Times are truncated to the stored precision first, so the
// hash computed now is the hash verified later.
func (r *Record) Chain(prev *Record) {
	r.Time = r.Time.UTC().Truncate(time.Microsecond)
	r.Seq, r.PrevHash = 1, ""
	if prev != nil {
		r.Seq, r.PrevHash = prev.Seq+1, prev.Hash
	}
	r.Hash = r.ComputeHash()
}
