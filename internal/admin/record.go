package admin

import (
	"net/http"
	"strconv"

	"github.com/charte/charte/internal/proof"
	"github.com/charte/charte/internal/store"
)

// chainStatus is what one record proves on its own and with its
// neighbours: the full walk is "verify the chain", this is the quick look
// an auditor takes at the record in question.
type chainStatus struct {
	// HashOK: the record's content still gives its stored hash.
	HashOK bool `json:"hash_ok"`
	// PrevOK: its PrevHash is the previous record's hash ("" for the first).
	PrevOK bool `json:"prev_ok"`
	// NextOK: the next record, if any, points at this one; true at the end.
	NextOK bool `json:"next_ok"`
	// Last: no record follows yet.
	Last bool `json:"last"`
	// FollowsAnchor: the records before this one were purged (retention),
	// and PrevOK then compares its PrevHash with the purge anchor's hash.
	FollowsAnchor bool `json:"follows_anchor,omitempty"`
	// Problem explains the first failure in English, "" when the record
	// holds; ProblemKey is its message key, for the page in fr or en.
	Problem    string `json:"problem,omitempty"`
	ProblemKey string `json:"-"`
}

type recordData struct {
	Rec        proof.Record
	Prev, Next *proof.Record
	Chain      chainStatus
	Anchor     proof.Anchor   // where the chain starts, zero when never purged
	History    []proof.Record // the same visitor's choices (pseudonymous id)
}

// loadRecord reads the record {seq} of the URL's site with its neighbours
// and checks the links between them.
func (a *Admin) loadRecord(r *http.Request) (recordData, error) {
	seq, err := strconv.ParseInt(r.PathValue("seq"), 10, 64)
	if err != nil || seq < 1 {
		return recordData{}, errorf(http.StatusNotFound, "error.norecord", "ID", r.PathValue("seq"))
	}
	if _, err := a.draft(r); err != nil {
		return recordData{}, err
	}
	site := r.PathValue("site")
	anchor, err := a.st.ProofAnchor(r.Context(), site)
	if err != nil {
		return recordData{}, err
	}
	if seq <= anchor.Seq {
		return recordData{}, errorf(http.StatusNotFound, "error.purged", "Seq", seq, "PurgedOn", anchor.PurgedAt.UTC().Format("2006-01-02"))
	}
	recs, err := a.st.ConsentPage(r.Context(), store.ConsentQuery{SiteID: site, After: seq - 2, Limit: 3})
	if err != nil {
		return recordData{}, err
	}
	d := recordData{Anchor: anchor}
	found := false
	for i := range recs {
		switch recs[i].Seq {
		case seq - 1:
			d.Prev = &recs[i]
		case seq:
			d.Rec, found = recs[i], true
		case seq + 1:
			d.Next = &recs[i]
		}
	}
	if !found {
		return recordData{}, errorf(http.StatusNotFound, "error.norecord", "ID", r.PathValue("seq"))
	}
	d.Chain = checkLinks(d.Rec, d.Prev, d.Next, anchor)
	d.History, err = a.st.ConsentHistory(r.Context(), site, d.Rec.ConsentID)
	return d, err
}

// checkLinks recomputes the record's hash and compares each link; the
// problems are those proof.Verifier finds, seen from one record. The first
// record kept after a purge links to the anchor instead of a record.
func checkLinks(rec proof.Record, prev, next *proof.Record, anchor proof.Anchor) chainStatus {
	c := chainStatus{HashOK: rec.ComputeHash() == rec.Hash, Last: next == nil}
	switch {
	case !anchor.IsZero() && rec.Seq == anchor.Next():
		c.FollowsAnchor = true
		c.PrevOK = rec.PrevHash == anchor.Hash
	case rec.Seq == 1:
		c.PrevOK = rec.PrevHash == ""
	case prev != nil:
		c.PrevOK = rec.PrevHash == prev.Hash
	}
	c.NextOK = next == nil || next.PrevHash == rec.Hash
	switch {
	case !c.HashOK:
		c.ProblemKey = "record.altered"
	case !c.PrevOK && c.FollowsAnchor:
		c.ProblemKey = "record.badanchor"
	case !c.PrevOK && prev == nil && rec.Seq > 1:
		c.ProblemKey = "record.noprev"
	case !c.PrevOK:
		c.ProblemKey = "record.badprev"
	case !c.NextOK:
		c.ProblemKey = "record.badnext"
	}
	if c.ProblemKey != "" {
		c.Problem = msg("en", c.ProblemKey)
	}
	return c
}

func (a *Admin) RecordPage(w http.ResponseWriter, r *http.Request) error {
	d, err := a.loadRecord(r)
	if err != nil {
		return err
	}
	p, err := a.sitePage(w, r, "record.title")
	if err != nil {
		return err
	}
	shown, err := a.shownFor(r.Context(), d.Rec)
	if err != nil {
		return err
	}
	p.Title = msg(p.Lang, "record.title", "Seq", d.Rec.Seq)
	p.Data = struct {
		recordData
		Shown recordShown
	}{d, shown}
	return a.render(w, "record", p)
}
