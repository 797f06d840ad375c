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
// that was altered, removed or reordered.
type Verifier struct {
	prev  *Record
	count int64
	first *Break
}

// Add checks the next record. It returns the first break found so far, so a
// caller may stop at once.
func (v *Verifier) Add(r Record) *Break {
	if v.first != nil {
		return v.first
	}
	want := v.count + 1
	prevHash := ""
	if v.prev != nil {
		prevHash = v.prev.Hash
	}
	switch {
	case r.Seq < want:
		v.first = &Break{Seq: r.Seq, ID: r.ID, Reason: fmt.Sprintf("out of order: found after record %d", v.count)}
	case r.Seq > want:
		v.first = &Break{Seq: want, Reason: fmt.Sprintf("missing: the chain jumps from record %d to %d", v.count, r.Seq)}
	case r.PrevHash != prevHash:
		v.first = &Break{Seq: r.Seq, ID: r.ID, Reason: "does not follow the previous record (removed, replaced or reordered records before it)"}
	case r.ComputeHash() != r.Hash:
		v.first = &Break{Seq: r.Seq, ID: r.ID, Reason: "altered: its content does not match its hash"}
	}
	if v.first == nil {
		rec := r
		v.prev, v.count = &rec, r.Seq
	}
	return v.first
}

// Finish compares the walked chain with the published head (count and hash),
// which catches records removed from the end. It returns nil when the whole
// chain holds.
func (v *Verifier) Finish(headCount int64, headHash string) *Break {
	if v.first != nil {
		return v.first
	}
	lastHash := ""
	if v.prev != nil {
		lastHash = v.prev.Hash
	}
	switch {
	case headCount > v.count:
		return &Break{Seq: v.count + 1, Reason: fmt.Sprintf("missing: the head counts %d records, only %d remain", headCount, v.count)}
	case headCount < v.count:
		return &Break{Seq: headCount + 1, Reason: fmt.Sprintf("the head counts %d records but %d are stored", headCount, v.count)}
	case headHash != lastHash:
		return &Break{Seq: v.count, Reason: "the last record does not match the head hash"}
	}
	return nil
}

// Count is the number of records verified so far.
func (v *Verifier) Count() int64 { return v.count }
