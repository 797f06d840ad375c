package proof

import (
	"bytes"
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
)

// Witness is a head saved earlier by someone other than the database: the
// JSON of /proof/head, a line of a checkpoint export, or a record of a
// consent export. Source says where it was read ("heads.jsonl:3"), so a
// failure names it.
type Witness struct {
	Source string
	Head   SignedHead
}

// MaxWitnessFile bounds what ParseWitnesses reads: an hourly checkpoint log
// of ten years is about 30 MB.
const MaxWitnessFile = 256 << 20

var hexHash = regexp.MustCompile(`^[0-9a-f]{64}$`)

// ParseWitnesses reads the witnesses of one file named name: JSON objects,
// one a line (a checkpoint export, `curl … >> heads.jsonl`), pretty-printed
// over several lines, or a JSON array of them. Objects may carry other
// fields ("now", "checkpointed_at", a record's "prev_hash"); each must name
// its site, a seq (or count) and the hash there.
func ParseWitnesses(name string, r io.Reader) ([]Witness, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxWitnessFile+1))
	if err != nil {
		return nil, fmt.Errorf("witness %s: %w", name, err)
	}
	if len(data) > MaxWitnessFile {
		return nil, fmt.Errorf("witness %s: larger than %d MiB", name, MaxWitnessFile>>20)
	}
	line := func(off int64) int { return 1 + bytes.Count(data[:off], []byte("\n")) }
	dec := json.NewDecoder(bytes.NewReader(data))
	var ws []Witness
	// next decodes one object, named by the line it starts on.
	next := func() error {
		start := dec.InputOffset()
		// InputOffset is where the previous value ended: skip the blanks
		// after it so the line named is the object's own.
		for int(start) < len(data) && bytes.IndexByte([]byte(" \t\r\n,"), data[start]) >= 0 {
			start++
		}
		src := fmt.Sprintf("%s:%d", name, line(start))
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return fmt.Errorf("witness %s: not JSON: %w", src, syntaxOnly(err))
		}
		h, err := parseHead(raw)
		if err != nil {
			return fmt.Errorf("witness %s: %w", src, err)
		}
		ws = append(ws, Witness{Source: src, Head: h})
		return nil
	}
	rest := func() []byte { return bytes.TrimSpace(data[dec.InputOffset():]) }
	if first := bytes.TrimSpace(data); len(first) > 0 && first[0] == '[' {
		dec.Token() // the '[' just seen
		for dec.More() {
			if err := next(); err != nil {
				return nil, err
			}
		}
		if _, err := dec.Token(); err != nil {
			return nil, fmt.Errorf("witness %s: the list does not end: %w", name, syntaxOnly(err))
		}
		if r := rest(); len(r) > 0 {
			return nil, fmt.Errorf("witness %s:%d: text after the list", name, line(int64(len(data)-len(bytes.TrimLeft(data[dec.InputOffset():], " \t\r\n")))))
		}
	}
	for len(rest()) > 0 {
		if err := next(); err != nil {
			return nil, err
		}
	}
	if len(ws) == 0 {
		return nil, fmt.Errorf("witness %s: no head in the file", name)
	}
	return ws, nil
}

// syntaxOnly drops the Go type names encoding/json adds to some errors.
func syntaxOnly(err error) error {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return fmt.Errorf("%s", se.Error())
	}
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		return errors.New("the file ends inside a JSON value")
	}
	return errors.New("want a JSON object")
}

// parseHead reads one witness object and checks that it says something.
func parseHead(raw json.RawMessage) (SignedHead, error) {
	var w struct {
		SignedHead
		Seq   *int64 `json:"seq"`
		Count *int64 `json:"count"`
	}
	if len(raw) == 0 || raw[0] != '{' {
		return SignedHead{}, errors.New("want a JSON object (a head: site, seq, hash)")
	}
	if err := json.Unmarshal(raw, &w); err != nil {
		return SignedHead{}, errors.New("want a head: site (text), seq (a number), hash (text)")
	}
	h := w.SignedHead
	switch {
	case w.Seq != nil && w.Count != nil && *w.Seq != *w.Count:
		return SignedHead{}, fmt.Errorf("seq %d and count %d disagree", *w.Seq, *w.Count)
	case w.Seq != nil:
		h.Seq = *w.Seq
	case w.Count != nil:
		h.Seq = *w.Count
	default:
		return SignedHead{}, errors.New("no seq (or count): not a head")
	}
	h.Count = h.Seq
	switch {
	case h.Site == "":
		return SignedHead{}, errors.New("no site: not a head")
	case h.Seq < 0:
		return SignedHead{}, fmt.Errorf("seq %d is negative", h.Seq)
	case h.Seq == 0 && h.Hash != "":
		return SignedHead{}, errors.New("seq 0 (an empty chain) with a hash")
	case h.Seq > 0 && !hexHash.MatchString(h.Hash):
		return SignedHead{}, fmt.Errorf("hash %q: want 64 lower-case hex digits", clip(h.Hash))
	}
	return h, nil
}

func clip(s string) string {
	if len(s) > 70 {
		return s[:70] + "…"
	}
	return s
}

// WitnessStatus is the verdict on one witness.
type WitnessStatus int

const (
	// WitnessHolds: the chain holds that record at that seq with that hash.
	WitnessHolds WitnessStatus = iota
	// WitnessBeforeAnchor: the witnessed record was purged (retention): it
	// cannot be checked, and proves nothing either way.
	WitnessBeforeAnchor
	// WitnessFails: the chain contradicts the witness, or its signature
	// does not verify.
	WitnessFails
)

// WitnessVerdict is what CheckWitness found.
type WitnessVerdict struct {
	Witness Witness
	Status  WitnessStatus
	// Signature says how the witness is signed: "signed by key …",
	// "unsigned", or why the signature failed (then Status is WitnessFails).
	Signature string
	Reason    string
}

// ChainView is what checking a witness needs from the chain it is checked
// against: its purge anchor, its head, and the hash stored at a seq.
type ChainView struct {
	Site     string
	Anchor   Anchor
	HeadSeq  int64
	HeadHash string
	// HashAt returns the hash of the record stored at seq, ok false when
	// there is none.
	HashAt func(seq int64) (hash string, ok bool, err error)
}

// CheckWitness checks w against the chain c, and its signature against key
// (which may be nil only for unsigned witnesses: a signed one then fails,
// since nothing can check it). A witness of another site is an error: it was
// given by mistake and says nothing about this chain.
//
// The rule at the purge anchor: a witness after the anchor must match the
// record at its seq; one exactly at it must match the anchor's hash (the
// anchor keeps the last purged record's seq and hash); one before it is
// WitnessBeforeAnchor.
func CheckWitness(w Witness, key ed25519.PublicKey, c ChainView) (WitnessVerdict, error) {
	h := w.Head
	v := WitnessVerdict{Witness: w, Signature: "unsigned"}
	if h.Site != c.Site {
		return v, fmt.Errorf("witness %s is for site %q, not %q", w.Source, h.Site, c.Site)
	}
	fail := func(format string, args ...any) (WitnessVerdict, error) {
		v.Status, v.Reason = WitnessFails, fmt.Sprintf(format, args...)
		return v, nil
	}
	if h.Signed() {
		if key == nil {
			return fail("signed, but no key to check it against")
		}
		if err := VerifyHead(key, h); err != nil {
			v.Signature = err.Error()
			return fail("%v", err)
		}
		v.Signature = "signed by key " + h.KeyID
	}
	switch {
	case h.Seq == 0:
		v.Reason = "an empty chain: nothing to check"
		return v, nil
	case h.Seq < c.Anchor.Seq:
		v.Status = WitnessBeforeAnchor
		v.Reason = fmt.Sprintf("before the retention anchor (records up to %d were purged): not checkable", c.Anchor.Seq)
		return v, nil
	case h.Seq == c.Anchor.Seq:
		if h.Hash != c.Anchor.Hash {
			return fail("record %d is the retention anchor, whose hash is %s, not %s", h.Seq, short(c.Anchor.Hash), short(h.Hash))
		}
		v.Reason = fmt.Sprintf("matches the retention anchor (record %d, the last one purged)", h.Seq)
		return v, nil
	case h.Seq > c.HeadSeq:
		return fail("the chain ends at record %d, before the witnessed record %d: records were removed from its end", c.HeadSeq, h.Seq)
	}
	hash, ok, err := c.HashAt(h.Seq)
	switch {
	case err != nil:
		return v, err
	case !ok:
		return fail("record %d is missing from the chain", h.Seq)
	case hash != h.Hash:
		return fail("record %d has hash %s, the witness says %s: the chain was rewritten", h.Seq, short(hash), short(h.Hash))
	}
	v.Reason = fmt.Sprintf("record %d holds", h.Seq)
	return v, nil
}

// short abbreviates a hash for a message; the full hashes are in the files.
func short(hash string) string {
	if len(hash) > 16 {
		return hash[:16] + "…"
	}
	if hash == "" {
		return `""`
	}
	return hash
}
