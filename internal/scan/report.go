package scan

import (
	"slices"
	"time"
)

// ReportVersion is the version of the JSON schema in SCHEMA.md. It changes
// only when a field changes meaning or disappears; new fields keep it.
const ReportVersion = 1

// The passes of a scan, in the order they run.
const (
	PassArrival = "arrival" // nothing clicked
	PassRefuse  = "refuse"  // "reject all" chosen
	PassAccept  = "accept"  // "accept all" chosen
)

// Passes lists the pass names in order.
var Passes = []string{PassArrival, PassRefuse, PassAccept}

// Report is the whole result of a scan. It is plain data: the CLI renders it,
// and the back office can store it as JSON and render it again later in
// another language (messages are computed at render time, never stored).
type Report struct {
	Version    int       `json:"version"`
	URL        string    `json:"url"`
	SiteID     string    `json:"site_id,omitempty"`
	SiteName   string    `json:"site_name,omitempty"`
	Revision   string    `json:"revision,omitempty"`
	StartedAt  time.Time `json:"started_at"`
	FinishedAt time.Time `json:"finished_at"`
	Browser    string    `json:"browser,omitempty"`
	// Pages are the pages each pass visited, in crawl order.
	Pages []string `json:"pages"`
	// Banner is the consent banner as the visitor first saw it.
	Banner   Banner    `json:"banner"`
	Passes   []Pass    `json:"passes"`
	Findings []Finding `json:"findings"`
	// Checks are the kinds of findings the scanner looked for (Kinds, as
	// they were when the report was made), so that a kind added later is
	// not taken for a change against an older report that could not have
	// found it.
	Checks []string `json:"checks,omitempty"`
}

// Checked tells whether the scan looked for findings of kind: those the
// report's Checks list; in a report made before they were recorded, any
// kind it found, and every kind but those added since (early-script).
func (r *Report) Checked(kind string) bool {
	if r.Checks != nil {
		return slices.Contains(r.Checks, kind)
	}
	if kind != KindEarlyScript {
		return true
	}
	return slices.ContainsFunc(r.Findings, func(f Finding) bool { return f.Kind == kind })
}

// Banner says which banner the scanner found on arrival. Screenshot is a PNG
// of the viewport (base64 in JSON).
type Banner struct {
	// Kind is "charte" (window.charte present), "other" (a banner found by
	// its buttons' text) or "none".
	Kind       string `json:"kind"`
	Screenshot []byte `json:"screenshot,omitempty"`
}

// Banner kinds and consent methods.
const (
	BannerCharte = "charte"
	BannerOther  = "other"
	BannerNone   = "none"
)

// Pass is what one fresh browser profile stored and contacted.
type Pass struct {
	Name string `json:"name"`
	// Consent is how the choice was made: empty in the arrival pass.
	Consent *Consent      `json:"consent,omitempty"`
	Visits  []Visit       `json:"visits"`
	Cookies []Cookie      `json:"cookies"`
	Storage []StorageKey  `json:"storage"`
	Hosts   []ContactHost `json:"third_party_hosts"`
	// Blocked are the requests the address policy refused (back-office
	// scans reach only public addresses unless the server allows more).
	Blocked []BlockedRequest `json:"blocked_requests,omitempty"`
	// Services are the catalogue's services (charte services list) the
	// pages' requests belong to, by their URLs.
	Services []DetectedService `json:"services,omitempty"`
	// Scripts are the services' scripts the pages left free to run, page
	// by page (RanScript).
	Scripts []RanScript `json:"scripts,omitempty"`
}

// DetectedService is a catalogue service a pass's pages contacted: its
// recipe id, the first URL that matched its patterns, that URL's host and
// the number of matching requests.
type DetectedService struct {
	ID       string `json:"id"`
	URL      string `json:"url"`
	Host     string `json:"host"`
	Requests int    `json:"requests"`
}

// BlockedRequest is a host the browser tried to reach at an address the
// scan's policy refuses, with the number of requests refused.
type BlockedRequest struct {
	Host     string `json:"host"`
	Address  string `json:"address"`
	Reason   string `json:"reason"` // "loopback", "private", "link-local", …: see SpecialAddress
	Requests int    `json:"requests"`
}

// Consent records the choice the scanner made in a pass.
type Consent struct {
	// Method is "charte", "other" (a button found by its text) or "none"
	// when the scanner found no way to choose.
	Method string `json:"method"`
	// Label is the text of the button clicked.
	Label string `json:"label,omitempty"`
}

// Visit is one page load.
type Visit struct {
	URL    string `json:"url"`
	Status int    `json:"status,omitempty"`
	Error  string `json:"error,omitempty"`
	// Unresponsive is "load" when the page did not finish loading within
	// the load timeout, "script" when it stopped answering the scanner (a
	// busy script) within the step timeout; the scan went on without it.
	Unresponsive string `json:"unresponsive,omitempty"`
	// Dialogs are the JavaScript dialogs the page opened, each dismissed.
	Dialogs []Dialog `json:"dialogs,omitempty"`
}

// Unresponsive reasons.
const (
	UnresponsiveLoad   = "load"
	UnresponsiveScript = "script"
)

// Dialog is a JavaScript dialog a page opened (alert, confirm, prompt or
// beforeunload), dismissed by the scanner. Count is how many times the
// same dialog opened during the visit.
type Dialog struct {
	Type    string `json:"type"`
	Message string `json:"message,omitempty"`
	Count   int    `json:"count"`
}

// Cookie is one cookie found in the browser at the end of a pass, or, when
// Transient, one written during the pass and gone by its end.
type Cookie struct {
	Name   string `json:"name"`
	Domain string `json:"domain"`
	Path   string `json:"path"`
	// Expires is absent for a session cookie. LifetimeSeconds is Expires
	// minus the moment the cookie was read: 0 for a session cookie.
	Expires         *time.Time `json:"expires,omitempty"`
	LifetimeSeconds int64      `json:"lifetime_seconds"`
	HTTPOnly        bool       `json:"http_only"`
	Secure          bool       `json:"secure"`
	SameSite        string     `json:"same_site,omitempty"`
	ThirdParty      bool       `json:"third_party"`
	Class           Class      `json:"class"`
	// Transient marks a cookie written during the pass (by a response or a
	// script) and no longer in the profile at its end: set then removed.
	// Its expiry and lifetime are those the write asked for, from the moment
	// of the write; SetBy ("response" or "script") and Page (the page the
	// tab was loading) say where it came from.
	Transient bool   `json:"transient,omitempty"`
	SetBy     string `json:"set_by,omitempty"`
	Page      string `json:"page,omitempty"`
}

// Lifetime is the observed lifetime.
func (c Cookie) Lifetime() time.Duration { return time.Duration(c.LifetimeSeconds) * time.Second }

// StorageKey is one localStorage or sessionStorage key of one origin.
// Values are not kept: they are the visitor's data, not the site's design.
type StorageKey struct {
	Origin string `json:"origin"`
	Kind   string `json:"kind"` // "local" or "session"
	Key    string `json:"key"`
	Class  Class  `json:"class"`
}

// ContactHost is a third-party host the pages sent requests to.
type ContactHost struct {
	Host     string `json:"host"`
	Requests int    `json:"requests"`
	Declared bool   `json:"declared"`
}

// Pass returns the pass with that name, or nil.
func (r *Report) Pass(name string) *Pass {
	for i := range r.Passes {
		if r.Passes[i].Name == name {
			return &r.Passes[i]
		}
	}
	return nil
}

// Count returns the number of findings of each kind.
func (r *Report) Count() map[string]int {
	n := map[string]int{}
	for _, f := range r.Findings {
		n[f.Kind]++
	}
	return n
}

// Has reports whether any finding has one of the kinds: what --fail-on asks.
func (r *Report) Has(kinds ...string) bool {
	for _, f := range r.Findings {
		for _, k := range kinds {
			if f.Kind == k {
				return true
			}
		}
	}
	return false
}
