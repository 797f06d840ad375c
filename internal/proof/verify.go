package proof

import "fmt"

// Break describes the first place a chain stops proving anything.
type Break struct {
	Seq    int64  // the record's position (the expected one when removed)
	ID     string // the record found there, "" when none
	Reason string
}

func (b *Break) Error() string {
	if b.ID == "" {
		return fmt.Sprintf("record %d: %s", b.Seq, b.Reason)
	}
	return fmt.Sprintf("record %d (%s): %s", b.Seq, b.ID, b.Reason)
}

// Verifier walks a site's records in stored order and finds the first one
// that was altered, removed or reordered. Its zero value checks a chain from
// its first record; NewVerifier checks one whose start was purged.
type Verifier struct {
	anchor   Anchor
	last     int64  // seq of the last record accepted (the anchor's at first)
	lastHash string // its hash
	count    int64  // records accepted
	first    *Break
}

// NewVerifier checks a chain that resumes after anchor: its first record
// must be anchor.Seq+1 and point at anchor.Hash, so a changed anchor or a
// changed first record breaks the chain as any other tampering does.
func NewVerifier(anchor Anchor) *Verifier {
	return &Verifier{anchor: anchor, last: anchor.Seq, lastHash: anchor.Hash}
}

// Add checks the next record. It returns the first break found so far, so a
// caller may stop at once.
func (v *Verifier) Add(r Record) *Break {
	if v.first != nil {
		return v.first
	}
	want := v.last + 1
	// Right after a purge anchor, the reasons name it: that is where to look.
	atAnchor := v.count == 0 && !v.anchor.IsZero()
	switch {
	case r.Seq < want && atAnchor:
		v.first = &Break{Seq: r.Seq, ID: r.ID, Reason: fmt.Sprintf("out of order: found at or before the purge anchor (record %d)", v.last)}
	case r.Seq < want:
		v.first = &Break{Seq: r.Seq, ID: r.ID, Reason: fmt.Sprintf("out of order: found after record %d", v.last)}
	case r.Seq > want && atAnchor:
		v.first = &Break{Seq: want, Reason: fmt.Sprintf("missing: the purge anchor is at record %d but the chain resumes at record %d", v.last, r.Seq)}
	case r.Seq > want:
		v.first = &Break{Seq: want, Reason: fmt.Sprintf("missing: the chain jumps from record %d to %d", v.last, r.Seq)}
	case r.PrevHash != v.lastHash && atAnchor:
		v.first = &Break{Seq: r.Seq, ID: r.ID, Reason: "does not follow the purge anchor (the anchor or this record was changed)"}
	case r.PrevHash != v.lastHash:
		v.first = &Break{Seq: r.Seq, ID: r.ID, Reason: "does not follow the previous record (removed, replaced or reordered records before it)"}
	case r.ComputeHash() != r.Hash:
		v.first = &Break{Seq: r.Seq, ID: r.ID, Reason: "altered: its content does not match its hash"}
	}
	if v.first == nil {
		v.last, v.lastHash = r.Seq, r.Hash
		v.count++
	}
	return v.first
}

// Finish compares the walked chain with the published head (the seq of its
// last record and that record's hash), which catches records removed from
// the end. It returns nil when the whole chain holds.
func (v *Verifier) Finish(headCount int64, headHash string) *Break {
	if v.first != nil {
		return v.first
	}
	switch {
	case headCount > v.last:
		return &Break{Seq: v.last + 1, Reason: fmt.Sprintf("missing: the head counts %d records, the chain ends at record %d", headCount, v.last)}
	case headCount < v.last:
		return &Break{Seq: headCount + 1, Reason: fmt.Sprintf("the head counts %d records but the chain goes on to record %d", headCount, v.last)}
	case headHash != v.lastHash:
		return &Break{Seq: v.last, Reason: "the last record does not match the head hash"}
	}
	return nil
}

// Count is the number of records verified so far (those after the anchor).
func (v *Verifier) Count() int64 { return v.count }

// Last is the seq of the last record verified, the anchor's before any.
func (v *Verifier) Last() int64 { return v.last }
