package proof

import "time"

// Anchor is where a site's chain starts once its oldest records were purged
// (retention): the position and hash of the last record deleted. The first
// remaining record must then carry Seq+1 and PrevHash = Hash, so a purge
// shortens the chain without breaking what is left. The zero Anchor is the
// start of a chain that was never purged.
//
// Its JSON form is what `charte consents export` writes first, so that an
// auditor can verify an export offline from it.
type Anchor struct {
	Site string `json:"site"`
	Seq  int64  `json:"seq"`
	Hash string `json:"hash"`
	// Time is the time of the last purged record: everything up to it is gone.
	Time time.Time `json:"time,omitzero"`
	// PurgedAt is when the latest purge ran; Purged counts every record
	// deleted by all purges of the site.
	PurgedAt time.Time `json:"purged_at,omitzero"`
	Purged   int64     `json:"purged"`
}

// IsZero reports whether nothing was ever purged.
func (a Anchor) IsZero() bool { return a.Seq == 0 && a.Hash == "" }

// Next is the seq the remaining chain must start with.
func (a Anchor) Next() int64 { return a.Seq + 1 }
